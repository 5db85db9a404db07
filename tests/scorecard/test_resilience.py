"""Faults with the real pieces: a Redis of our own that we stop and start, a Celery worker and
recomputes in separate processes, one killed mid-way. (Transactional: the other processes must
see committed data.)"""

import os
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django.db import connection, transaction

from children.models import EventKind as K
from raa.freshness import RecomputeMarker
from raa.models import Council, Region, User
from scorecard import periods as P
from scorecard.models import ScorecardResult
from scorecard.services import recompute_all
from tests.scorecard.journeys import child

ROOT = Path(__file__).resolve().parents[2]
W = P.window(2014)
pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    wait_for(lambda: _port_open(port), "our Redis to start")
    return process


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_for(condition, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.1)


def env_for(redis_url: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    db = connection.settings_dict
    env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    env["DJANGO_DEBUG"] = "true"
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def manage(*args, env, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **kwargs,
    )


@pytest.fixture
def council():
    region = Region.objects.create(name="Resilience region")
    return Council.objects.create(region=region, la_code="981", name="Resilience Council")


def adopted_child(council, placed: date):
    return child(
        council,
        entered=date(2014, 1, 10),
        events=[
            (K.PLACEMENT_ORDER, date(2014, 6, 1)),
            (K.MATCHED, date(2014, 9, 1)),
            (K.PLACED, placed),
            (K.ADOPTION_ORDER, date(2015, 3, 1)),
        ],
    )


def a1(council) -> int | None:
    row = ScorecardResult.objects.get(council=council, kind=P.WINDOW, start=W.start)
    return row.measures["A1"].get("value")


SAVE_MILESTONE = """
from datetime import date
from children.models import Child
from children.services import child_record_milestone
from raa.models import User
child = Child.objects.get(child_id="{child_id}", council__la_code="981")
child_record_milestone(child=child, kind="permanence_decision", date=date(2014, 4, 1),
                       acting_user=User.objects.get(username="resilience-worker"))
print("SAVED")
"""


def test_with_redis_down_a_save_succeeds_and_the_sweep_recomputes_once_it_is_back(council):
    port = free_port()
    redis_url = f"redis://127.0.0.1:{port}/0"
    User.objects.create(username="resilience-worker")
    record = adopted_child(council, placed=date(2014, 10, 1))  # A1: 264 days
    recompute_all()
    assert a1(council) == 264
    # The broker is down (never started): the save still succeeds, and leaves its marker.
    saving = manage(
        "shell", "-c", SAVE_MILESTONE.format(child_id=record.child_id), env=env_for(redis_url)
    )
    output, _ = saving.communicate(timeout=120)
    assert saving.returncode == 0, output
    assert "SAVED" in output
    assert RecomputeMarker.objects.filter(council=council).exists()
    # Meanwhile the figures changed: a second adopted child, placed after 120 days.
    adopted_child(council, placed=date(2014, 5, 10))
    redis = start_redis(port)
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "raa",
            "worker",
            "--pool=solo",
            "--loglevel=warning",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env_for(redis_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        # Redis is back: the periodic sweep (run here once, as beat would) queues the council.
        sweeping = manage(
            "shell",
            "-c",
            "from scorecard.tasks import sweep; print(sweep())",
            env=env_for(redis_url),
        )
        output, _ = sweeping.communicate(timeout=120)
        assert sweeping.returncode == 0, output
        wait_for(
            lambda: not RecomputeMarker.objects.filter(council=council).exists(),
            "the worker to recompute",
            seconds=120,
        )
        # (264 + 120) / 2 = 192
        assert a1(council) == 192
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        redis.terminate()
        redis.wait(timeout=30)


def test_a_recompute_killed_mid_way_leaves_the_old_results_and_the_next_run_completes(council):
    adopted_child(council, placed=date(2014, 10, 1))
    recompute_all()
    old = ScorecardResult.objects.get(council=council, kind=P.WINDOW, start=W.start)
    adopted_child(council, placed=date(2014, 5, 10))
    RecomputeMarker.objects.create(council=council, requested_at=old.computed_at)
    # Hold the marker's row: the recompute writes every result, then blocks removing it.
    with transaction.atomic():
        RecomputeMarker.objects.select_for_update().get(council=council)
        running = manage("recompute_scorecards", env=env_for(None))

        def blocked() -> bool:
            if running.poll() is not None:
                raise AssertionError(f"the recompute ended: {running.stdout.read()}")
            with connection.cursor() as cursor:
                # activity is read once per transaction unless the snapshot is cleared
                cursor.execute("SELECT pg_stat_clear_snapshot()")
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' "
                    "AND query LIKE 'DELETE%scorecard_recomputemarker%'"
                )
                return cursor.fetchone()[0] > 0

        wait_for(blocked, "the recompute to reach its writes", seconds=120)
        running.kill()  # the worker dies mid-write
        running.wait(timeout=30)
    # Its transaction died with it: the old results and the marker are still there.
    kept = ScorecardResult.objects.get(council=council, kind=P.WINDOW, start=W.start)
    assert kept.computed_at == old.computed_at and a1(council) == 264
    assert RecomputeMarker.objects.filter(council=council).exists()
    # The next run completes.
    summary = recompute_all()
    assert not summary.skipped
    assert a1(council) == 192
    assert not RecomputeMarker.objects.filter(council=council).exists()
