"""Faults, with the real services: a Redis outage, a worker killed mid-job and a dropped database
connection lose no data, leave no half-written results, and recover with nobody doing anything.

Each test runs its own redis-server, gunicorn and Celery worker on spare ports against the test
database (never the shared services), and stops exactly those. The job is
``tests.hardening.fault_tasks.write_batch``: all its rows in one transaction, slowly.
"""

import logging
import time
import uuid

import psycopg
import pytest
import requests
from django.db import connection

from raa.models import AuditEvent, Role
from tests.conftest import PASSWORD, build_world
from tests.hardening.fault_tasks import BATCH
from tests.hardening.html_forms import csrf_token, save_form, step_edit_links
from tests.hardening.stack import (
    OwnRedis,
    celery_worker,
    gunicorn,
    service_env,
    wait_for,
)

ROWS = 30
PAUSE = 0.1  # seconds between rows: the job takes about 3 s, long enough to interrupt


@pytest.fixture
def database_url(transactional_db):
    """The test database, with the world committed so the services' processes see it."""
    build_world()
    s = connection.settings_dict
    server = f"{s['USER'] or 'postgres'}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgres://{server}/{s['NAME']}"


@pytest.fixture
def own_redis():
    server = OwnRedis().start()
    yield server
    server.stop()


@pytest.fixture
def processes():
    started = []
    yield started
    for process in started:
        process.stop()


def batch_rows(batch: str) -> int:
    return AuditEvent.objects.filter(object_type=BATCH, object_id=batch).count()


def send_batch(own_redis, batch: str, pidfile) -> None:
    """Put a write_batch job on our Redis (the test process's Celery app points elsewhere)."""
    from tests.hardening.fault_tasks import app, write_batch

    with app.connection_for_write(own_redis.url) as conn:
        write_batch.apply_async(args=[batch, ROWS, PAUSE, str(pidfile)], connection=conn)


def started_pid(pidfile) -> int:
    wait_for(lambda: pidfile.exists() and pidfile.read_text(), 60, "the job to start")
    return int(pidfile.read_text())


def test_a_worker_process_killed_mid_job_leaves_nothing_half_written_and_the_job_finishes(
    database_url, own_redis, processes, tmp_path
):
    import os
    import signal

    env = service_env(database_url, own_redis.url)
    worker = celery_worker(env, tmp_path / "worker.log", "tests.hardening.fault_tasks")
    processes.append(worker)
    batch, pidfile = uuid.uuid4().hex, tmp_path / "job.pid"
    send_batch(own_redis, batch, pidfile)

    child = started_pid(pidfile)
    time.sleep(ROWS * PAUSE / 2)  # half way through its rows
    pidfile.unlink()
    os.kill(child, signal.SIGKILL)  # the process running the job dies (out of memory, say)
    assert batch_rows(batch) == 0, "a killed job must leave none of its rows"

    # Nobody does anything: the worker replaces its process and runs the job again, whole.
    wait_for(lambda: batch_rows(batch) == ROWS, 90, "the job to be run again to the end")
    assert started_pid(pidfile) != child
    time.sleep(1)
    assert batch_rows(batch) == ROWS  # once, not twice
    assert "WorkerLostError" in worker.output()


def test_a_whole_worker_killed_mid_job_hands_the_job_to_the_next_worker(
    database_url, own_redis, processes, tmp_path
):
    env = service_env(database_url, own_redis.url)
    first = celery_worker(env, tmp_path / "first.log", "tests.hardening.fault_tasks")
    processes.append(first)
    batch, pidfile = uuid.uuid4().hex, tmp_path / "job.pid"
    send_batch(own_redis, batch, pidfile)
    started_pid(pidfile)
    time.sleep(ROWS * PAUSE / 2)
    first.kill()  # the machine or container dies: no clean shutdown, no acknowledgement
    pidfile.unlink()
    assert batch_rows(batch) == 0

    # The process manager starts a worker again (docker-compose: restart: unless-stopped).
    second = celery_worker(env, tmp_path / "second.log", "tests.hardening.fault_tasks")
    processes.append(second)
    wait_for(lambda: batch_rows(batch) == ROWS, 90, "the next worker to finish the job")
    time.sleep(1)
    assert batch_rows(batch) == ROWS


def terminate_connections(database: str, application_name: str) -> int:
    """pg_terminate_backend on our own services' connections (by application name) only."""
    with psycopg.connect(
        host="127.0.0.1", user="postgres", dbname=database, autocommit=True
    ) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND application_name = %s AND pid <> pg_backend_pid()",
            [database, application_name],
        ).fetchall()
    return len(rows)


def test_a_database_connection_dropped_mid_job_leaves_nothing_half_written_and_it_retries(
    database_url, own_redis, processes, tmp_path
):
    name = connection.settings_dict["NAME"]
    env = service_env(f"{database_url}?application_name=raa_fault_worker", own_redis.url)
    worker = celery_worker(env, tmp_path / "worker.log", "tests.hardening.fault_tasks")
    processes.append(worker)
    batch, pidfile = uuid.uuid4().hex, tmp_path / "job.pid"
    send_batch(own_redis, batch, pidfile)
    started_pid(pidfile)
    time.sleep(ROWS * PAUSE / 2)
    assert terminate_connections(name, "raa_fault_worker") >= 1
    assert batch_rows(batch) == 0

    wait_for(lambda: batch_rows(batch) == ROWS, 90, "the job to retry on a new connection")
    time.sleep(1)
    assert batch_rows(batch) == ROWS
    assert "Retry" in worker.output()


def sign_in(base: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base + "/accounts/login/", timeout=30)
    done = session.post(
        base + "/accounts/login/",
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(page.text)},
        headers={"Referer": base + "/accounts/login/"},
        timeout=30,
        allow_redirects=False,
    )
    assert done.status_code == 302, "signed in"
    return session


def save_a_step(session: requests.Session, base: str, child, **changes) -> requests.Response:
    """Open the child's record, open the ADM decision's Correct page, change it and Save."""
    from children.models import EventKind

    record = session.get(f"{base}/children/{child.pk}/", timeout=30)
    assert record.status_code == 200
    adm = child.events.get(kind=EventKind.ADM_DECISION)
    edit_url = f"{base}/children/{child.pk}/steps/{adm.pk}/"
    assert edit_url[len(base) :] in step_edit_links(record.text)
    form = save_form(session.get(edit_url, timeout=30).text)
    return session.post(
        edit_url,
        {**form["data"], **changes},
        headers={"Referer": edit_url},
        timeout=30,
        allow_redirects=False,
    )


def test_during_a_redis_outage_social_workers_keep_saving_and_the_worker_recovers_by_itself(
    database_url, own_redis, processes, tmp_path, world
):
    from datetime import date

    from children.models import EventKind, JourneyEvent
    from raa.freshness import RecomputeMarker
    from tests.hardening.fault_tasks import app

    env = service_env(database_url, own_redis.url)
    web, base = gunicorn(env, tmp_path / "web.log")
    processes.append(web)
    worker = celery_worker(env, tmp_path / "worker.log", "tests.hardening.fault_tasks")
    processes.append(worker)
    session = sign_in(base, world.user(Role.SOCIAL_WORKER, "A").username)
    RecomputeMarker.objects.all().delete()

    own_redis.stop()  # Redis goes away
    saved = save_a_step(session, base, world.child_a, date="2021-09-02")
    assert saved.status_code == 302, saved.text[:500]
    adm = JourneyEvent.objects.get(child=world.child_a, kind=EventKind.ADM_DECISION)
    assert adm.date == date(2021, 9, 2)
    assert adm.history.count() == 2  # the change kept its history
    # The change and its pending-recompute marker are in the database: nothing lost.
    assert RecomputeMarker.objects.filter(council=world.councils["A"]).exists()
    for page in ("/", "/children/", f"/children/{world.child_a.pk}/", "/tracking/"):
        assert session.get(base + page, timeout=30).status_code == 200, page

    own_redis.start()  # Redis comes back on the same address; nobody restarts anything
    from raa.tasks import ping

    with app.connection_for_write(own_redis.url) as conn:
        result = ping.apply_async(connection=conn)
    wait_for(
        lambda: own_redis.client().get(f"celery-task-meta-{result.id}") is not None,
        90,
        "the worker to reconnect and run a task",
    )
    assert b"pong" in own_redis.client().get(f"celery-task-meta-{result.id}")
    # What the web server and the worker logged meanwhile names no child.
    logged = web.output() + worker.output()
    assert "/children/" in logged  # the access log is there to look at
    for personal in ("Ada", "Testworld", "2021-01-05", "05/01/2021"):
        assert personal not in logged


def test_a_web_process_whose_database_connection_was_dropped_answers_the_next_request(
    database_url, own_redis, processes, tmp_path, world
):
    name = connection.settings_dict["NAME"]
    env = service_env(f"{database_url}?application_name=raa_fault_web", own_redis.url)
    web, base = gunicorn(env, tmp_path / "web.log", workers=1)
    processes.append(web)
    session = sign_in(base, world.user(Role.SOCIAL_WORKER, "A").username)
    assert session.get(base + "/children/", timeout=30).status_code == 200
    assert terminate_connections(name, "raa_fault_web") >= 1  # the kept connection dies
    # The next request notices (CONN_HEALTH_CHECKS), connects again and answers: no 500.
    saved = save_a_step(session, base, world.child_a, date="2021-09-03")
    assert saved.status_code == 302
    assert world.child_a.events.filter(date="2021-09-03").exists()
    assert session.get(base + "/children/", timeout=30).status_code == 200


def test_a_task_sent_while_redis_is_down_does_not_fail_the_save(own_redis, db, caplog):
    # An in-process Celery worker (other tests) may have raised the root logger's level.
    caplog.set_level(logging.WARNING)
    """enqueue_after_commit: the change commits; the refused send is logged, not raised."""
    from celery import Celery
    from django.db import transaction

    from raa.freshness import enqueue_after_commit

    app = Celery("outage", broker=own_redis.url, set_as_current=False)
    app.conf.broker_connection_timeout = 1
    app.conf.broker_transport_options = {"socket_connect_timeout": 1}

    @app.task(name="outage.recompute")
    def recompute(council_id):
        return council_id

    own_redis.stop()
    # The ``db`` fixture's transaction never commits: run what would run on commit.
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True), transaction.atomic():
        enqueue_after_commit(recompute, 1)
    assert "Broker unreachable, outage.recompute not sent now" in caplog.text

    own_redis.start()
    with TestCase.captureOnCommitCallbacks(execute=True), transaction.atomic():
        enqueue_after_commit(recompute, 2)
    assert own_redis.client().llen("celery") == 1  # sent once Redis is back


def test_during_a_redis_outage_the_cache_answers_not_cached_instead_of_failing(own_redis, caplog):
    caplog.set_level(logging.WARNING)
    from raa import cache as tolerant

    tolerant._last_warning[0] = 0.0  # the warning is logged at most once a minute
    cache = tolerant.TolerantRedisCache(
        own_redis.url, {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2}}
    )
    cache.set("figure", 42)
    assert cache.get("figure") == 42
    own_redis.stop()
    assert cache.get("figure", "not cached") == "not cached"
    cache.set("figure", 43)  # dropped, not raised
    assert cache.get_or_set("other", lambda: "from the database") == "from the database"
    assert cache.get_many(["figure", "other"]) == {}
    assert "Cache unavailable" in caplog.text
    own_redis.start()  # back, empty (our server keeps nothing on disk): caching again
    cache.set("figure", 44)
    assert cache.get("figure") == 44
