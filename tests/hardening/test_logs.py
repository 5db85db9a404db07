"""No personal data in logs: a day's work on a child with a recognisable name and date of birth
leaves neither in anything the configured loggers emit, nor in the web server's access log."""

import logging
import re
from pathlib import Path

import pytest

from raa.models import Role
from raa.request_log import JsonLineFormatter, RequestIdFilter
from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
FIRST, LAST, DOB_ISO, DOB_UK = "Zephyrine", "Quillfeather", "2019-02-03", "03/02/2019"


class Everything(logging.Handler):
    """Keeps every record the configured loggers let through, formatted as the console would:
    the plain line, and the production JSON line with every field a call added (request id,
    person, path, security event...)."""

    def __init__(self):
        super().__init__(level=logging.NOTSET)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.json = JsonLineFormatter()
        self.addFilter(RequestIdFilter())

    def emit(self, record):
        self.lines.append(self.format(record))  # includes any traceback
        self.lines.append(self.json.format(record))


@pytest.fixture
def log_lines():
    handler = Everything()
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.DEBUG)  # the most a deployment could turn on for our own loggers
    yield handler.lines
    root.setLevel(old_level)
    root.removeHandler(handler)


def test_a_days_work_on_a_child_logs_no_name_or_date_of_birth(client, world, log_lines):
    from children.models import Child

    # A mistyped password, then in (the lock-out log names the account, never the person).
    client.post("/accounts/login/", {"username": "social_worker-a", "password": LAST})
    client.post("/accounts/login/", {"username": "social_worker-a", "password": PASSWORD})
    form = {
        "council": world.councils["A"].pk,
        "child_id": "LOG001",
        "first_name": FIRST,
        "last_name": LAST,
        "date_of_birth": DOB_UK,
        "sex": "F",
        "ethnicity": "WBRI",
    }
    client.post("/children/new/", {**form, "date_of_birth": "31/02/2019"})  # refused: no date
    client.post("/children/new/", form)
    child = Child.objects.get(child_id="LOG001")
    client.get(f"/children/?q={LAST}")  # searched by name: the address holds the name
    client.get(f"/children/{child.pk}/")
    client.post(f"/children/{child.pk}/edit/", {**form, "last_name": LAST + "x"})
    client.get(f"/adopters/?q={LAST}")
    client.get(f"/children/{world.child_b.pk}/?q={LAST}")  # another council's: 404, logged
    client.get(f"/scorecard/?q={LAST}")  # a social worker may not: 403, logged

    assert any("Not Found" in line for line in log_lines), "the test must see the request log"
    # ... and the lines issue 19 added: each request's, and the security events.
    assert any('"logger": "raa.request"' in line for line in log_lines)
    for event in ("sign_in_failed", "sign_in"):
        assert any(f'"event": "{event}"' in line for line in log_lines), event
    leaks = [
        line
        for line in log_lines
        if re.search(f"{FIRST}|{LAST}|{DOB_ISO}|{DOB_UK}", line, re.IGNORECASE)
    ]
    assert leaks == []


def test_the_access_log_leaves_out_query_strings_and_referrers():
    """gunicorn's access log (raa/gunicorn.conf.py, the `web` service) has the path, never the
    query string (which can hold a searched name) nor the referrer (which holds one too): in its
    plain format, and in the JSON line it writes in production."""
    conf = (ROOT / "raa" / "gunicorn.conf.py").read_text()
    fmt = re.search(r'^access_log_format = "([^"]*)"', conf, re.MULTILINE).group(1)
    assert "%(U)s" in fmt
    for field in ("%(r)s", "%(q)s", "%(f)s", "%({referer}i)s"):
        assert field not in fmt
    json_fields = re.findall(r'atoms(?:\[|\.get\()"([^"]+)"', conf)
    assert "U" in json_fields
    assert not {"r", "q", "f", "{referer}i", "a"} & set(json_fields)


def test_the_log_sees_names_if_they_were_there(log_lines):
    """The check above can fail: a name logged by mistake is caught."""
    logging.getLogger("raa").warning("Saved child %s", FIRST)
    assert any(FIRST in line for line in log_lines)


def test_a_locked_account_logs_the_username_only(client, world, log_lines, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post("/accounts/login/", {"username": "board_member-c", "password": "nope"})
    user = world.user(Role.BOARD_MEMBER, "C")
    assert not any(user.last_name in line for line in log_lines)


def test_the_demo_servers_request_log_has_paths_without_query_strings():
    """`make demo` serves with runserver, whose request log (django.server) would print the
    searched name; as configured in settings it prints the path only."""
    from django.core.servers.basehttp import WSGIRequestHandler

    lines = Everything()
    server_log = logging.getLogger("django.server")
    server_log.addHandler(lines)
    try:
        request = WSGIRequestHandler.__new__(WSGIRequestHandler)  # no socket: just its log
        request.request = None
        for line in (
            f"GET /children/?q={LAST}&page=2 HTTP/1.1",
            f"GET /adopters/?q={FIRST} HTTP/1.1",
        ):
            request.requestline = line
            request.log_request(200, 512)
    finally:
        server_log.removeHandler(lines)
    assert [line for line in lines.lines if not line.startswith("{")] == [
        'django.server INFO "GET /children/ HTTP/1.1" 200 512',
        'django.server INFO "GET /adopters/ HTTP/1.1" 200 512',
    ]
