"""The load test's people (run by `make load`, see tests/hardening/load.py; not part of pytest).

Social workers open their children, open a step of a child's journey and save a corrected date;
managers open the dashboard, the tracking list, board reports and the children list. They sign in
with the demo logins, through the real sign-in page, as a browser behind the council's TLS proxy
would (X-Forwarded-Proto: https, so the production settings' secure cookies and CSRF checks apply).

Every request is named by page (``/children/[id]/``) so the report gives p50 and p95 per page. A
save the date rules refuse, or that meets another person's save of the same child, is a correct
answer (the person is told), not an error; any 5xx or unexpected status is an error.
"""

import os
import random
import re
from datetime import date, timedelta

from locust import HttpUser, between, events, task

from tests.hardening.html_forms import csrf_token, save_form, step_edit_links

PASSWORD = os.environ.get("LOAD_PASSWORD", "adoption-demo")
SAVES_FILE = os.environ.get("LOAD_SAVES_FILE", "")
SAVED = {"saved": 0, "refused": 0}


class Person(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)
    usernames: tuple[str, ...] = ()

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

    def keep_cookies(self):
        """The proxy in front of gunicorn speaks https to the browser; locust speaks http to
        gunicorn directly, so keep sending the secure cookies as the browser would."""
        for cookie in self.client.cookies:
            cookie.secure = False

    def open(self, path: str, name: str):
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


@events.quitting.add_listener
def write_saves(environment, **kwargs):
    if SAVES_FILE:
        with open(SAVES_FILE, "w") as out:
            out.write(f"{SAVED['saved']} {SAVED['refused']}\n")
