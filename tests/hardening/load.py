"""`make load`: 50 people for 60 seconds against the production stack on this machine.

1. A fresh PostgreSQL database (LOAD_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/
   raa_load; dropped and made again), migrated and seeded with the demo region.
2. Our own redis-server on a spare port; gunicorn (DJANGO_DEBUG=false, WhiteNoise, collected
   static files) and a Celery worker, all on 127.0.0.1.
3. locust, headless: 50 users (social workers saving milestones, managers on dashboards and
   tracking) for LOAD_SECONDS (60), then it stops by itself.
4. The report: requests, errors, p50 and p95 per page; and whether every save that was answered
   "saved" is in the database's history (nothing lost). Exit 1 on any error or loss.

Everything started here is stopped at the end, whatever happens.
"""

import csv
import os
import subprocess
import sys
import tempfile
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
# hashing), then the figures are reset and SECONDS of all USERS working together are measured.
SPAWN_RATE = float(os.environ.get("LOAD_SPAWN_RATE", "2"))
RAMP = int(USERS / SPAWN_RATE) + 5
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
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


def percentiles(stats_csv: Path) -> list[dict]:
    with stats_csv.open() as f:
        return list(csv.DictReader(f))


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
        say(f"{USERS} users arriving over {RAMP}s, then measured for {SECONDS}s")
        begin = time.time()
        locust = subprocess.run(
            [str(BIN / "locust"), "-f", str(ROOT / "tests/hardening/locustfile.py")]
            + ["--headless", "--users", str(USERS), "--spawn-rate", str(SPAWN_RATE)]
            + ["--run-time", f"{SECONDS + RAMP}s", "--reset-stats", "--stop-timeout", "10"]
            + ["--host", host]
            + ["--csv", str(work / "load"), "--only-summary", "--loglevel", "WARNING"],
            cwd=ROOT,
            env={**base_env, "LOAD_SAVES_FILE": str(work / "saves.txt")},
            capture_output=True,
            text=True,
            timeout=SECONDS + RAMP + 120,
        )
        time.sleep(1)
        saved, refused = (int(x) for x in (work / "saves.txt").read_text().split())
        in_history = history_saves_since(DATABASE_URL, begin)
    finally:
        for process in started:
            process.stop()
        redis.stop()

    rows = percentiles(work / "load_stats.csv")
    failures = (work / "load_failures.csv").read_text().strip().splitlines()[1:]
    print()
    print(f"{'page':44} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    for row in rows:
        print(
            f"{row['Name'][:44]:44} {row['Request Count']:>8} {row['Failure Count']:>6} "
            f"{row['50%']:>7} {row['95%']:>7} {float(row['Max Response Time']):>7.0f}"
        )
    total = next(r for r in rows if r["Name"] == "Aggregated")
    seconds = SECONDS
    print()
    print(
        f"{total['Request Count']} requests in {seconds}s by {USERS} users "
        f"({float(total['Requests/s']):.1f}/s), {total['Failure Count']} errors."
    )
    print(
        f"Milestone saves: {saved} saved, {refused} refused with a message (date rule or "
        f"someone else's save); {in_history} changes in the history since the start."
    )
    for line in failures:
        print("error:", line)
    if locust.returncode not in (0, 1):
        print(locust.stderr[-3000:])
    lost = saved - in_history
    ok = int(total["Failure Count"]) == 0 and lost <= 0 and locust.returncode == 0
    print("Nothing lost." if lost <= 0 else f"LOST: {lost} saves answered 'saved' are missing.")
    print(f"Logs: {work}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
