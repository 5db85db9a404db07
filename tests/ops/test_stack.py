"""What docker-compose.yml runs, run on this machine (Docker does not run here): the `migrate`
service's command, the image's build-time `collectstatic`, then the `web` service's command line
(gunicorn with raa/gunicorn.conf.py and the production settings) on a spare port, against a
throwaway PostgreSQL database and a redis-server of the test's own.

The throwaway database is a copy of the migrated test database (CREATE DATABASE ... TEMPLATE), so
`migrate` finds its work done in seconds; every fresh test database applies the migrations from
nothing, and `migrate` here proves the compose command line and production settings. (Should the
copy be refused, the database is made empty and migrated from nothing.)
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
import requests
import yaml
from django.db import connections
from psycopg import sql

from tests.hardening.stack import BIN, OwnRedis, Process, free_port, wait_for

ROOT = Path(__file__).resolve().parents[2]
SERVICES = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
HOST = "adoption.example.gov.uk"
# The test database must exist (it is the throwaway one's template): pytest-django makes it only
# for a session whose tests ask for a database.
pytestmark = pytest.mark.django_db

SECRET = "k3#q9-a-random-looking-secret-for-the-stack-test-8hZ!x2vLw0pR7tN4mB6cY1sD5"


def here(command: list[str]) -> list[str]:
    """A compose command as it runs on this machine: this virtual environment's programs."""
    first = {"python": sys.executable, "gunicorn": str(BIN / "gunicorn")}
    return [first.get(command[0], command[0]), *command[1:]]


def run(command: list[str], env: dict, timeout: int = 120) -> str:
    done = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


@pytest.fixture(scope="module")
def throwaway_database(django_db_setup, django_db_blocker):
    settings = connections["default"].settings_dict
    template = settings["NAME"]
    name = f"{template}_stack"[:63]
    server = {
        "host": settings["HOST"] or "127.0.0.1",
        "port": settings["PORT"] or 5432,
        "user": settings["USER"] or "postgres",
        "password": settings["PASSWORD"] or None,
    }
    with django_db_blocker.unblock():
        connections.close_all()  # a template may have no one connected
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        try:
            admin.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )
        except psycopg.errors.ObjectInUse:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    password = f":{server['password']}" if server["password"] else ""
    yield f"postgres://{server['user']}{password}@{server['host']}:{server['port']}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture(scope="module")
def stack(throwaway_database, tmp_path_factory):
    """(base URL, the web server's process) after migrate and collectstatic, as compose has it."""
    redis = OwnRedis().start()
    port = free_port()
    env = {
        "PATH": str(BIN) + ":/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "HOME": str(tmp_path_factory.mktemp("home")),
        # docker-compose.yml's own `environment` ...
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": throwaway_database,
        "REDIS_URL": redis.url,
        # ... and what a council's .env holds.
        "DJANGO_SECRET_KEY": SECRET,
        "DJANGO_ALLOWED_HOSTS": HOST,
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
    }
    migrated = run(here(SERVICES["migrate"]["command"]), env)
    assert "Operations to perform" in migrated or "No migrations to apply" in migrated
    # The Dockerfile's build step, with Django's manifest storage (tests/ops/collect_settings.py:
    # the same names and manifest, without the slow compression).
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "python manage.py collectstatic --no-input -v0" in dockerfile
    run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        {**env, "DJANGO_SETTINGS_MODULE": "tests.ops.collect_settings"},
    )
    log = tmp_path_factory.mktemp("web") / "web.log"
    web = Process(here(SERVICES["web"]["command"]), env, log)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(
            lambda: requests.get(base + "/healthz", timeout=2).status_code == 200,
            60,
            "the web service's /healthz",
        )
        yield base, web
    finally:
        web.stop()
        redis.stop()


def test_healthz_answers_plain_http_whatever_the_host(stack):
    base, _ = stack
    for host in ("127.0.0.1:8000", "10.20.30.40", HOST, "anything.invalid"):
        response = requests.get(
            base + "/healthz", headers={"Host": host}, allow_redirects=False, timeout=10
        )
        assert response.status_code == 200, host
        assert response.json() == {
            "status": "ok",
            "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
        }


def test_the_sign_in_page_answers_behind_the_tls_proxy(stack):
    base, _ = stack
    proxied = {"Host": HOST, "X-Forwarded-Proto": "https"}
    response = requests.get(
        base + "/accounts/login/", headers=proxied, allow_redirects=False, timeout=10
    )
    assert response.status_code == 200
    assert 'name="username"' in response.text
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    # Its style sheet, collected at build time, is served by WhiteNoise under a hashed name.
    css = re.search(
        r'href="(/static/vendor/bootstrap/css/bootstrap\.min\.[0-9a-f]{12}\.css)"', response.text
    )
    assert css, "the page links the collected, hashed style sheet"
    assert requests.get(base + css.group(1), headers=proxied, timeout=10).status_code == 200
    # Without the proxy's header, a page (not /healthz) is sent to HTTPS.
    plain = requests.get(
        base + "/accounts/login/", headers={"Host": HOST}, allow_redirects=False, timeout=10
    )
    assert plain.status_code == 301
    assert plain.headers["Location"] == f"https://{HOST}/accounts/login/"


def test_the_web_service_logs_json_lines_with_the_request_id(stack):
    base, web = stack
    requests.get(
        base + "/accounts/login/?q=Quillfeather",
        headers={"Host": HOST, "X-Forwarded-Proto": "https", "X-Request-ID": "stack-test-0042"},
        timeout=10,
    )
    requests.get(base + "/healthz", timeout=10)  # flushes nothing, but gives the log a moment
    wait_for(lambda: "stack-test-0042" in web.output(), 10, "the request's log lines")
    lines = [json.loads(line) for line in web.output().splitlines() if line.strip()]
    mine = {line["logger"]: line for line in lines if line.get("request_id") == "stack-test-0042"}
    assert mine["raa.request"]["path"] == "/accounts/login/"
    assert mine["raa.request"]["status"] == 200
    assert mine["gunicorn.access"]["path"] == "/accounts/login/"
    assert "Quillfeather" not in web.output()
    assert any(line["logger"] == "gunicorn.error" for line in lines)  # gunicorn's own, as JSON
