"""The load test's people (run by `make load`, see tests/hardening/load.py; not part of pytest).

Social workers open their children, open a step of a child's journey and save a corrected date;
managers open the dashboard, the tracking list, board reports and the children list. They sign in
with the demo logins, through the real sign-in page, as a browser behind the council's TLS proxy
would (X-Forwarded-Proto: https, so the production settings' secure cookies and CSRF checks apply).

Every request is named by page (``/children/[id]/``) so the report gives p50 and p95 per page. A
save the date rules refuse, or that meets another person's save of the same child, is a correct
answer (the person is told), not an error; any 5xx or unexpected status is an error.

One run, in phases, driven by ``Phases`` (a locust load shape):

- **arrive**: USERS people sign in, SPAWN_RATE a second, and start working (until all have signed
  in, so no sign-in, which costs a deliberate 0.6 s of CPU, falls in a measured phase);
- **work** (measured: the table "people as they work"): each person reads 5 to 15 seconds between
  pages, for WORK_SECONDS;
- **capacity** (measured: "capacity"): the same people stop reading and are paced so that, all
  together, they ask for RATE requests a second; RATE steps up through CAPACITY_RATES, each step
  held for STEP_SECONDS of which the first SETTLE_SECONDS are not counted; the run stops after the
  first step whose p95 passes CAPACITY_P95_MS (or after the last step).

Every request's time is kept per phase and step, by page, and written to LOAD_RESULTS_FILE (JSON)
when locust quits, with the count of saves answered "saved".
"""

import json
import os
import random
import re
import time
from collections import defaultdict
from datetime import date, timedelta

from locust import HttpUser, LoadTestShape, events, task

from tests.hardening.html_forms import csrf_token, save_form, step_edit_links

PASSWORD = os.environ.get("LOAD_PASSWORD", "adoption-demo")
RESULTS_FILE = os.environ.get("LOAD_RESULTS_FILE", "")
USERS = int(os.environ.get("LOAD_USERS", "50"))
SPAWN_RATE = float(os.environ.get("LOAD_SPAWN_RATE", "2"))
WORK_SECONDS = int(os.environ.get("LOAD_SECONDS", "90"))
READING = (5.0, 15.0)  # seconds a person spends on a page before the next, while working
CAPACITY_RATES = [
    float(r) for r in os.environ.get("LOAD_CAPACITY_RATES", "10,15,20,25,30,35,40,50,60").split(",")
]
STEP_SECONDS = int(os.environ.get("LOAD_STEP_SECONDS", "20"))
SETTLE_SECONDS = 5
# The first step also waits for people still reading a page from the working phase.
FIRST_SETTLE_SECONDS = int(READING[1])
CAPACITY_P95_MS = 1000.0

SAVED = {"saved": 0, "refused": 0}
SIGNED_IN = {"people": 0}
# What is going on now (set by the shape, read by the people and the request listener).
NOW = {"phase": "arrive", "step": -1, "rate": 0.0, "measured": False}
# (phase, step) -> page name -> [milliseconds, ...]; failures likewise, with the reason.
TIMES: dict = defaultdict(lambda: defaultdict(list))
FAILURES: dict = defaultdict(list)
# (phase, step) -> [start, end], seconds since the epoch, of the measured part.
BOUNDS: dict = {}


def measure(on: bool) -> None:
    """Start or stop counting requests in the current phase and step, noting when."""
    bucket = (NOW["phase"], NOW["step"])
    if on and not NOW["measured"]:
        BOUNDS[bucket] = [time.time(), None]
    elif not on and NOW["measured"]:
        BOUNDS[bucket][1] = time.time()
    NOW["measured"] = on


def percentile(times: list[float], share: float) -> float:
    """The nearest-rank percentile (share 0.95 for p95) of ``times``; 0 for none."""
    if not times:
        return 0.0
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, max(0, int(share * len(ordered) + 0.999999) - 1))]


@events.request.add_listener
def keep_time(name, response_time, exception=None, **kwargs):
    bucket = (NOW["phase"], NOW["step"])
    if exception is not None:  # an error counts whenever it happens, signing in too
        FAILURES[bucket].append(f"{name}: {exception}")
    if NOW["measured"]:
        TIMES[bucket][name].append(response_time)


class Person(HttpUser):
    abstract = True
    usernames: tuple[str, ...] = ()
    sent = 0  # requests since the last wait
    due = 0.0  # when the next task should start, while pacing in the capacity phase

    def wait_time(self) -> float:
        """Reading time while working; in the capacity phase, the pause that keeps this person at
        their share of the step's rate (USERS people together asking for RATE requests a second),
        with no pause when the answers came too slowly to keep up."""
        sent, self.sent = max(self.sent, 1), 0
        if NOW["phase"] != "capacity":
            return random.uniform(*READING)
        now = time.monotonic()
        gap = USERS / NOW["rate"] * sent * random.uniform(0.5, 1.5)
        self.due = max(now, (self.due or now) + gap)
        return self.due - now

    def on_start(self):
        self.client.headers["X-Forwarded-Proto"] = "https"
        origin = self.host.replace("http://", "https://")
        self.origin = origin
        page = self.client.get("/accounts/login/", name="/accounts/login/")
        self.keep_cookies()
        with self.client.post(
            "/accounts/login/",
            {
                "username": random.choice(self.usernames),
                "password": PASSWORD,
                "csrfmiddlewaretoken": csrf_token(page.text),
            },
            headers={"Referer": origin + "/accounts/login/"},
            allow_redirects=False,
            name="sign in",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in answered {response.status_code}")
        self.keep_cookies()
        SIGNED_IN["people"] += 1

    def keep_cookies(self):
        """The proxy in front of gunicorn speaks https to the browser; locust speaks http to
        gunicorn directly, so keep sending the secure cookies as the browser would."""
        for cookie in self.client.cookies:
            cookie.secure = False

    def open(self, path: str, name: str):
        self.sent += 1
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{name} answered {response.status_code}")
        self.keep_cookies()
        return response


class SocialWorker(Person):
    weight = 3
    usernames = ("worker", "worker2", "adoption")

    @task(2)
    def children_list(self):
        self.open("/children/", "/children/")

    @task(5)
    def save_a_milestone(self):
        page = self.open(f"/children/?page={random.randint(1, 5)}", "/children/?page=[n]")
        children = sorted(set(re.findall(r'href="/children/(\d+)/"', page.text)))
        if not children:
            return
        child = random.choice(children)
        record = self.open(f"/children/{child}/", "/children/[id]/")
        steps = step_edit_links(record.text)
        if not steps:
            return
        url = random.choice(steps)
        form = save_form(self.open(url, "/children/[id]/steps/[id]/").text)
        data = dict(form["data"])
        if data.get("date"):
            moved = date.fromisoformat(data["date"]) + timedelta(days=random.choice([-1, 1]))
            data["date"] = moved.isoformat()
        self.sent += 1
        with self.client.post(
            url,
            data,
            headers={"Referer": self.origin + url},
            allow_redirects=False,
            name="save /children/[id]/steps/[id]/",
            catch_response=True,
        ) as response:
            self.keep_cookies()
            if response.status_code == 302:
                SAVED["saved"] += 1
            elif response.status_code == 200:
                SAVED["refused"] += 1  # a date rule or a concurrent edit: the page says why
            else:
                response.failure(f"save answered {response.status_code}")


class Manager(Person):
    weight = 2
    usernames = ("manager", "regional")

    @task(3)
    def dashboard(self):
        self.open("/scorecard/", "/scorecard/")

    @task(3)
    def tracking(self):
        self.open("/tracking/", "/tracking/")

    @task(1)
    def reports(self):
        self.open("/reports/", "/reports/")

    @task(1)
    def home(self):
        self.open("/", "/")

    @task(1)
    def children(self):
        self.open("/children/", "/children/")


class Phases(LoadTestShape):
    """arrive -> work (measured) -> capacity steps (measured), as the module docstring says."""

    def __init__(self):
        super().__init__()
        self.arrive = USERS / SPAWN_RATE + 5
        self.work_started = 0.0
        self.step_started = 0.0

    def tick(self):
        t = self.get_run_time()
        if NOW["phase"] == "arrive":
            # everyone signed in (or a minute more than it should take), then a breath
            if (SIGNED_IN["people"] < USERS and t < self.arrive + 60) or t < self.arrive:
                return USERS, SPAWN_RATE
            NOW.update(phase="work", step=0)
            measure(True)
            self.work_started = t
        if t < self.work_started + WORK_SECONDS:
            return USERS, SPAWN_RATE
        if NOW["phase"] == "work":
            self.start_step(0, t)
        step = NOW["step"]
        settle = FIRST_SETTLE_SECONDS if step == 0 else SETTLE_SECONDS
        if t - self.step_started >= settle:
            measure(True)
        if t - self.step_started >= settle + STEP_SECONDS - SETTLE_SECONDS:
            times = [ms for page in TIMES[("capacity", step)].values() for ms in page]
            if percentile(times, 0.95) > CAPACITY_P95_MS or step + 1 >= len(CAPACITY_RATES):
                measure(False)
                return None
            self.start_step(step + 1, t)
        return USERS, SPAWN_RATE

    def start_step(self, step: int, t: float) -> None:
        measure(False)
        NOW.update(phase="capacity", step=step, rate=CAPACITY_RATES[step])
        self.step_started = t


@events.quitting.add_listener
def write_results(environment, **kwargs):
    if not RESULTS_FILE:
        return
    measure(False)
    phases = []
    for (phase, step), (start, end) in BOUNDS.items():
        phases.append(
            {
                "phase": phase,
                "step": step,
                "rate": CAPACITY_RATES[step] if phase == "capacity" else None,
                "start": start,
                "end": end,
                "pages": TIMES[(phase, step)],
                "failures": FAILURES[(phase, step)],
            }
        )
    unmeasured = [f for bucket, f in FAILURES.items() if bucket not in BOUNDS]
    phases.append({"phase": "unmeasured", "failures": sum(unmeasured, [])})
    with open(RESULTS_FILE, "w") as out:
        json.dump({"saves": SAVED, "phases": phases}, out)
