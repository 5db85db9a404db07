"""Logs an operations team can use: a JSON line per request with its id, the person's id, the
path without its query string, the status and the time taken; a named line per security event;
never a name, a username or a date of birth (tests/hardening/test_logs.py covers a day's work)."""

import json
import logging

import pytest

from raa.models import Role
from raa.request_log import JsonLineFormatter, RequestIdFilter
from raa.security_log import security_event
from raa.services import user_add_or_update
from tests.conftest import PASSWORD


class JsonLines(logging.Handler):
    """Every record the configured loggers let through, as production writes it (JSON)."""

    def __init__(self):
        super().__init__(level=logging.NOTSET)
        self.addFilter(RequestIdFilter())
        self.setFormatter(JsonLineFormatter())
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))

    def parsed(self) -> list[dict]:
        return [json.loads(line) for line in self.lines]

    def events(self) -> list[dict]:
        return [line for line in self.parsed() if line.get("logger") == "raa.security"]


@pytest.fixture
def json_log():
    handler = JsonLines()
    root = logging.getLogger()
    # The settings' level (INFO), whatever a library imported by an earlier test left behind.
    level = root.level
    root.setLevel(logging.INFO)
    root.addHandler(handler)
    yield handler
    root.removeHandler(handler)
    root.setLevel(level)


def test_a_request_line_has_id_person_path_status_and_duration(client_for, world, json_log):
    user = world.user(Role.SOCIAL_WORKER, "A")
    client = client_for(user)
    response = client.get("/children/?q=Quillfeather", HTTP_X_REQUEST_ID="proxy-4f2a9c1e")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "proxy-4f2a9c1e"  # echoed for the person reporting it
    (line,) = [line for line in json_log.parsed() if line["logger"] == "raa.request"]
    assert line["request_id"] == "proxy-4f2a9c1e"
    assert line["user_id"] == user.pk
    assert line["path"] == "/children/"  # the search (a name) is not logged
    assert line["method"] == "GET"
    assert line["status"] == 200
    assert line["duration_ms"] > 0
    assert line["level"] == "INFO" and line["event"] == "request"
    assert "time" in line
    assert "Quillfeather" not in json.dumps(json_log.parsed())


def test_a_request_id_that_could_forge_a_line_is_replaced(client, json_log):
    response = client.get("/accounts/login/", HTTP_X_REQUEST_ID='x" injected\n{"status":200}')
    new_id = response["X-Request-ID"]
    assert len(new_id) == 32 and new_id.isalnum()  # a fresh uuid4, hex
    (line,) = [line for line in json_log.parsed() if line["logger"] == "raa.request"]
    assert line["request_id"] == new_id
    assert line["user_id"] is None  # nobody signed in


def test_every_line_written_during_a_request_carries_its_id(client, db, json_log):
    # A failed sign-in writes a security event in the middle of the request.
    client.post(
        "/accounts/login/",
        {"username": "nobody-here", "password": "wrong"},
        HTTP_X_REQUEST_ID="req-0000-1111",
    )
    ids = {line["logger"]: line["request_id"] for line in json_log.parsed()}
    assert ids["raa.security"] == "req-0000-1111"
    assert ids["raa.request"] == "req-0000-1111"


def test_sign_in_failure_and_lockout_are_named_events_without_the_username(
    client, world, json_log, settings
):
    user = world.user(Role.BOARD_MEMBER, "C")
    client.post("/accounts/login/", {"username": "no-such-account", "password": "x"})
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": user.username, "password": "nope"})
    events = json_log.events()
    names = [e["event"] for e in events]
    assert names.count("sign_in_failed") == settings.AXES_FAILURE_LIMIT + 1
    assert "lockout" in names
    assert events[0] == {**events[0], "event": "sign_in_failed", "known_account": False}
    lockout = next(e for e in events if e["event"] == "lockout")
    assert lockout["user_id"] == user.pk
    assert user.username not in json.dumps(events)
    assert "no-such-account" not in json.dumps(events)  # what was typed may be a password


def test_sign_in_and_sign_out(client, world, json_log):
    user = world.user(Role.SOCIAL_WORKER, "B")
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    client.post("/accounts/logout/")
    events = [(e["event"], e["user_id"]) for e in json_log.events()]
    assert events == [("sign_in", user.pk), ("sign_out", user.pk)]
    assert json_log.events()[0]["backend"] == "ModelBackend"  # the password form


def test_an_export_is_a_security_event(client_for, world, json_log):
    user = world.user(Role.TEAM_MANAGER, "A")
    response = client_for(user).get("/tracking/export.csv")
    assert response.status_code == 200
    (export,) = [e for e in json_log.events() if e["event"] == "export"]
    assert export["user_id"] == user.pk
    assert export["object_type"]
    assert export["audit_event_id"] > 0  # the audit trail's row for the same export


def test_a_role_change_is_a_security_event(world, json_log):
    person = world.user(Role.SOCIAL_WORKER, "A")
    user_add_or_update(username=person.username, role=Role.DATA_OFFICER, region=world.region)
    (change,) = [e for e in json_log.events() if e["event"] == "role_change"]
    assert change["user_id"] == person.pk
    assert change["role"] == "data_officer"
    assert change["change"] == "added"
    assert change["council_id"] is None and change["region_id"] == world.region.pk


def test_a_wrong_two_factor_code_is_a_security_event(client_for, world, json_log):
    from raa import two_factor

    user = world.user(Role.MANAGER, "region")
    device = two_factor.pending_app_device(user)
    assert two_factor.confirm_app_device(user=user, device=device, code="000000") is None
    assert [e["event"] for e in json_log.events()] == ["two_factor_failed"]


def test_a_security_event_refuses_a_name_or_username():
    with pytest.raises(ValueError, match="username"):
        security_event("sign_in", username="jsmith")
