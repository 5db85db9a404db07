"""``GET /healthz`` (INTERFACES.md, "Operations"): 200 when the database, cache and broker answer,
503 naming the part that does not; any Host header, no sign-in, no personal data.

The broker and cache that go down are a redis-server of the test's own on a spare port
(tests/hardening/stack.py), never the shared one."""

import json
import socket

import pytest

from tests.hardening.stack import OwnRedis, free_port
from tests.raa.test_settings import manage

OK = {"status": "ok", "checks": {"database": "ok", "cache": "ok", "broker": "ok"}}


@pytest.fixture
def own_redis():
    server = OwnRedis().start()
    yield server
    server.stop()


def redis_cache(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "raa.cache.TolerantRedisCache",
            "LOCATION": url,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


@pytest.mark.django_db
def test_everything_answers_ok_to_anyone_with_no_sign_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == OK  # names of parts only: nobody's data


@pytest.mark.django_db
def test_any_host_header_is_answered_though_a_page_would_be_refused(client):
    # A container health check or load balancer asks by address: 10.0.0.7 is not an allowed host.
    assert client.get("/accounts/login/", HTTP_HOST="10.0.0.7:8000").status_code == 400
    response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200
    assert json.loads(response.content) == OK


@pytest.mark.django_db
def test_a_broker_that_is_down_is_named(client, settings, own_redis):
    settings.CELERY_BROKER_URL = own_redis.url
    assert client.get("/healthz").status_code == 200  # ours, while it runs
    own_redis.stop()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "failing": ["broker"],
        "checks": {"database": "ok", "cache": "ok", "broker": "unavailable"},
    }


@pytest.mark.django_db
def test_a_cache_that_is_down_is_named(client, settings, own_redis):
    settings.CACHES = redis_cache(own_redis.url)
    assert client.get("/healthz").status_code == 200
    own_redis.stop()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["failing"] == ["cache"]


def test_a_database_that_is_down_is_named():
    # No PostgreSQL listens on a port just found free: the database does not answer.
    port = free_port()
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0
    result = manage(
        "shell",
        "-c",
        "from django.test import Client; r = Client().get('/healthz'); "
        "print(r.status_code, r.content.decode())",
        DJANGO_DEBUG="true",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/nothing_here",
        DJANGO_LOG_LEVEL="CRITICAL",
    )
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503"
    assert json.loads(body)["failing"] == ["database"]


def test_only_get_and_head(client):
    assert client.post("/healthz").status_code == 405
