"""`make load`: the production stack on this machine, measured two ways.

1. A fresh PostgreSQL database (LOAD_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/
   raa_load; dropped and made again), migrated and seeded with the demo region.
2. Our own redis-server on a spare port; gunicorn (DJANGO_DEBUG=false, WhiteNoise, collected
   static files) and a Celery worker, all on 127.0.0.1.
3. locust, headless, one run in phases (tests/hardening/locustfile.py): 50 people (social workers
   saving milestones, managers on dashboards and tracking) sign in, then
   (a) **people as they work**: each reads 5 to 15 s between pages, LOAD_SECONDS (90) measured;
   (b) **capacity**: the same people paced to ask for 10, 15, 20, ... requests a second, 20 s a
       step, until a step's aggregated p95 passes 1 s.
4. The report: (a) requests, errors, p50 and p95 per page, and the gunicorn workers' CPU per
   request; (b) per step the rate asked for, the rate answered, p50, p95, CPU per request, and
   the rate at which the p95 passes 1 s; whether every save answered "saved" is in the database's
   history (nothing lost); the machine's load average before and after (other work on the machine
   makes the times noisy; the CPU per request much less so).
   Exit 1 if any page's p95 in (a) is 300 ms or more, or on any error or loss.

Everything started here is stopped at the end, whatever happens.
"""

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.hardening.stack import (  # noqa: E402
    BIN,
    ROOT,
    OwnRedis,
    Process,
    celery_worker,
    free_port,
    wait_for,
)

USERS = int(os.environ.get("LOAD_USERS", "50"))
# People arrive over RAMP seconds (signing in costs a deliberate 0.6 s of CPU: Django's password
# hashing), then SECONDS of all USERS working together are measured, then the capacity steps
# (at most 9 of 20 s).
SPAWN_RATE = float(os.environ.get("LOAD_SPAWN_RATE", "2"))
RAMP = int(USERS / SPAWN_RATE) + 5
SECONDS = int(os.environ.get("LOAD_SECONDS", "90"))
WORKING_P95_MS = 300
CAPACITY_P95_MS = 1000
DATABASE_URL = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/raa_load")
SECRET = "load-test-only-" + os.urandom(24).hex()


def say(message: str) -> None:
    print(f"[load] {message}", flush=True)


def run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(args, cwd=ROOT, env=env, check=True, timeout=600)


def fresh_database(url: str) -> None:
    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def history_saves_since(url: str, since: float) -> int:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT count(*) FROM children_historicaljourneyevent "
            "WHERE history_type = '~' AND history_date >= to_timestamp(%s)",
            [since],
        ).fetchone()[0]


def percentile(times: list[float], share: float) -> float:
    if not times:
        return 0.0
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, max(0, int(share * len(ordered) + 0.999999) - 1))]


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


class CpuMeter:
    """The CPU seconds (user + system) used so far by a process group (gunicorn's master and
    workers), read from /proc once a second, so a phase's CPU per request can be worked out."""

    def __init__(self, group: int):
        self.group = group
        self.readings: list[tuple[float, float]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._tick = os.sysconf("SC_CLK_TCK")

    def start(self) -> "CpuMeter":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.readings.append((time.time(), self.cpu_seconds()))
            self._stop.wait(1)

    def cpu_seconds(self) -> float:
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # the process ended meanwhile
            if int(fields[2]) == self.group:  # pgrp
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / self._tick

    def at(self, moment: float) -> float:
        """CPU seconds used by ``moment`` (interpolated between the readings either side)."""
        before = max((r for r in self.readings if r[0] <= moment), default=self.readings[0])
        after = min((r for r in self.readings if r[0] >= moment), default=self.readings[-1])
        if after[0] == before[0]:
            return before[1]
        share = (moment - before[0]) / (after[0] - before[0])
        return before[1] + share * (after[1] - before[1])


def main() -> int:
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base_env["PYTHONPATH"] = str(ROOT)
    python = str(BIN / "python")
    say(f"fresh database {DATABASE_URL.rsplit('/', 1)[1]}: migrate and seed the demo region")
    fresh_database(DATABASE_URL)
    dev = {**base_env, "DATABASE_URL": DATABASE_URL, "DJANGO_DEBUG": "true"}
    run([python, "manage.py", "migrate", "--no-input", "-v0"], dev)
    run([python, "manage.py", "seed_demo"], dev)

    redis = OwnRedis().start()
    prod = {
        **base_env,
        "DATABASE_URL": DATABASE_URL,
        "REDIS_URL": redis.url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_SECURE_SSL_REDIRECT": "false",  # the TLS proxy's job; locust speaks http to us
        "DJANGO_TWO_FACTOR_REQUIRED": "false",  # the demo logins have no authenticator app
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    run([python, "manage.py", "collectstatic", "--no-input", "-v0"], prod)
    work = Path(tempfile.mkdtemp(prefix="raa-load-"))
    started: list[Process] = []
    try:
        port = free_port()
        web = Process(
            [str(BIN / "gunicorn"), "raa.wsgi", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", "3", "--threads", "4", "--worker-class", "gthread"]
            + [
                "--timeout",
                "60",
                "--keep-alive",
                "30",
                "--access-logfile",
                str(work / "access.log"),
            ]
            + ["--access-logformat", "%(t)s %(m)s %(U)s %(s)s %(b)s %(M)sms"],
            prod,
            work / "web.log",
        )
        started.append(web)
        started.append(celery_worker(prod, work / "worker.log", "raa", concurrency=1))
        host = f"http://127.0.0.1:{port}"
        import requests

        wait_for(
            lambda: requests.get(host + "/accounts/login/", timeout=2).status_code == 200,
            60,
            "gunicorn",
        )
        say(f"gunicorn on {host}, a Celery worker, Redis on {redis.url}")
        say(
            f"{USERS} users arriving over {RAMP}s; (a) {SECONDS}s measured while they work; "
            f"(b) capacity steps until p95 passes {CAPACITY_P95_MS} ms. Load average "
            f"{load_average()}"
        )
        load_before = load_average()
        meter = CpuMeter(web.pid).start()
        begin = time.time()
        locust = subprocess.run(
            [str(BIN / "locust"), "-f", str(ROOT / "tests/hardening/locustfile.py")]
            + ["--headless", "--stop-timeout", "10", "--host", host]
            + ["--only-summary", "--loglevel", "WARNING"],
            cwd=ROOT,
            env={
                **base_env,
                "LOAD_RESULTS_FILE": str(work / "results.json"),
                "LOAD_USERS": str(USERS),
                "LOAD_SPAWN_RATE": str(SPAWN_RATE),
                "LOAD_SECONDS": str(SECONDS),
            },
            capture_output=True,
            text=True,
            timeout=RAMP + 60 + SECONDS + 9 * 20 + 120,
        )
        time.sleep(1)
        meter.stop()
        load_after = load_average()
        (work / "locust.log").write_text(locust.stdout + locust.stderr)
        results = json.loads((work / "results.json").read_text())
        in_history = history_saves_since(DATABASE_URL, begin)
    finally:
        for process in started:
            process.stop()
        redis.stop()

    phases = results["phases"]
    failures = [f for phase in phases for f in phase["failures"]]

    def cpu_ms(phase: dict, requests: int) -> float:
        used = meter.at(phase["end"]) - meter.at(phase["start"])
        return 1000 * used / max(requests, 1)

    working = next(p for p in phases if p["phase"] == "work")
    seconds = working["end"] - working["start"]
    print()
    print(f"(a) People as they work: {USERS} people reading 5-15 s between pages, {seconds:.0f}s")
    print(f"{'page':40} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    slow = []
    every = []
    for name, times in sorted(working["pages"].items()):
        errors = sum(1 for f in working["failures"] if f.startswith(name + ": "))
        p95 = percentile(times, 0.95)
        if p95 >= WORKING_P95_MS:
            slow.append(name)
        every += times
        print(
            f"{name[:40]:40} {len(times):>8} {errors:>6} {percentile(times, 0.5):>7.0f} "
            f"{p95:>7.0f} {max(times):>7.0f}"
        )
    print(
        f"{'all pages':40} {len(every):>8} {len(working['failures']):>6} "
        f"{percentile(every, 0.5):>7.0f} {percentile(every, 0.95):>7.0f} {max(every):>7.0f}"
    )
    print(
        f"{len(every) / seconds:.1f} requests/s; gunicorn CPU {cpu_ms(working, len(every)):.0f} ms "
        f"a request. Every page's p95 under {WORKING_P95_MS} ms: "
        + ("yes." if not slow else f"NO ({', '.join(slow)}).")
    )

    print()
    print("(b) Capacity: requests a second asked for, step by step, until p95 passes 1 s")
    print(
        f"{'asked/s':>7} {'answered/s':>10} {'requests':>8} {'errors':>6} {'p50 ms':>7} "
        f"{'p95 ms':>7} {'CPU ms/req':>10}"
    )
    steps = sorted((p for p in phases if p["phase"] == "capacity"), key=lambda p: p["step"])
    below = above = None
    for step in steps:
        times = [ms for page in step["pages"].values() for ms in page]
        rate = len(times) / (step["end"] - step["start"])
        p95 = percentile(times, 0.95)
        print(
            f"{step['rate']:>7.0f} {rate:>10.1f} {len(times):>8} {len(step['failures']):>6} "
            f"{percentile(times, 0.5):>7.0f} {p95:>7.0f} {cpu_ms(step, len(times)):>10.0f}"
        )
        if p95 <= CAPACITY_P95_MS:
            below = (rate, p95)
        elif above is None:
            above = (rate, p95)
    if above and below:
        # Straight line between the last step under 1 s and the first over it.
        (r0, p0), (r1, p1) = below, above
        capacity = r0 + (r1 - r0) * (CAPACITY_P95_MS - p0) / (p1 - p0)
        print(
            f"Capacity: p95 passes {CAPACITY_P95_MS} ms at about {capacity:.0f} requests/s "
            f"(between {r0:.1f}/s, p95 {p0:.0f} ms, and {r1:.1f}/s, p95 {p1:.0f} ms)."
        )
    elif above:
        print(f"Capacity: p95 already passes {CAPACITY_P95_MS} ms at {above[0]:.1f} requests/s.")
    elif below:
        print(f"Capacity: more than {below[0]:.1f} requests/s (p95 {below[1]:.0f} ms, last step).")

    saved, refused = results["saves"]["saved"], results["saves"]["refused"]
    print()
    print(
        f"Milestone saves: {saved} saved, {refused} refused with a message (date rule or "
        f"someone else's save); {in_history} changes in the history since the start."
    )
    for line in failures:
        print("error:", line)
    if locust.returncode not in (0, 1):
        print((locust.stdout + locust.stderr)[-3000:])
    lost = saved - in_history
    print("Nothing lost." if lost <= 0 else f"LOST: {lost} saves answered 'saved' are missing.")
    print(f"Machine load average (1, 5, 15 min): {load_before} before, {load_after} after.")
    print(f"Logs: {work}")
    ok = not slow and not failures and lost <= 0 and locust.returncode == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
