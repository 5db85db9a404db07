"""Error reports (Sentry) only when SENTRY_DSN is set, and without personal data: a failing page
whose local variables, error text, form, cookies and query string hold a child's name reaches a
Sentry endpoint (a small HTTP server of the test's own) with the error's type and place only."""

import gzip
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli
import pytest
import sentry_sdk
from django.db import connections

from raa.sentry import scrub
from tests.hardening.test_logs import DOB_UK, FIRST, LAST
from tests.raa.test_settings import manage

FAIL = f"""
import pytest
import sentry_sdk
from django.db import connections
from django.test import Client
from django.test.utils import override_settings
assert sentry_sdk.get_client().is_active()
with override_settings(ROOT_URLCONF="tests.ops.sentry_urls"):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "{FIRST}-cookie"
    r = client.post("/fails/?q={LAST}", {{"first_name": "{FIRST}", "date_of_birth": "{DOB_UK}"}})
sentry_sdk.flush(10)
print(r.status_code)
"""


class Received(BaseHTTPRequestHandler):
    bodies: list[bytes] = []

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":
            body = brotli.decompress(body)
        self.bodies.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.mark.django_db
def test_a_failing_page_reaches_sentry_without_personal_data(django_db_setup):
    db = connections["default"].settings_dict
    database_url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
    database_url += f"{db['PORT'] or 5432}/{db['NAME']}"  # the test database: the error page
    server = ThreadingHTTPServer(("127.0.0.1", 0), Received)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = manage(
            "shell",
            "-c",
            FAIL,
            DJANGO_DEBUG="true",
            DATABASE_URL=database_url,
            DJANGO_ALLOWED_HOSTS="testserver",
            DJANGO_LOG_LEVEL="CRITICAL",
            SENTRY_DSN=f"http://publickey@127.0.0.1:{server.server_port}/1",
        )
    finally:
        server.shutdown()
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "500"
    sent = b"".join(Received.bodies).decode()
    # From Django's integration (and from the "Internal Server Error" log, at a log level that
    # lets it through).
    events = [json.loads(line) for line in sent.splitlines() if '"exception"' in line]
    assert events
    for event in events:
        exception = event["exception"]["values"][-1]
        assert exception["type"] == "ValueError"
        assert exception["value"] == "[removed]"
        assert any(frame["function"] == "fails" for frame in exception["stacktrace"]["frames"])
        assert "vars" not in json.dumps(exception)
    for secret in (FIRST, LAST, DOB_UK, "sessionid"):
        at = sent.find(secret)
        assert at == -1, sent[max(0, at - 300) : at + 100]


def test_no_sentry_without_a_dsn():
    assert not sentry_sdk.get_client().is_active()  # SENTRY_DSN is not set for the tests


def test_scrub_removes_what_could_hold_a_name():
    event = {
        "request": {
            "url": f"https://adoption.example/children/?q={LAST}",
            "query_string": f"q={LAST}",
            "data": {"first_name": FIRST},
            "cookies": {"sessionid": "x"},
            "headers": {"Cookie": "sessionid=x", "Referer": f"/?q={LAST}", "User-Agent": "UA"},
        },
        "user": {"id": 7, "username": "jsmith", "email": "j@example.org"},
        "exception": {"values": [{"type": "IntegrityError", "value": f"DETAIL: ({LAST})"}]},
        "logentry": {"message": "Saved %s", "params": [FIRST], "formatted": f"Saved {FIRST}"},
        "extra": {"name": FIRST},
    }
    assert scrub(event) == {
        "request": {"url": "https://adoption.example/children/", "headers": {"User-Agent": "UA"}},
        "user": {"id": 7},
        "exception": {"values": [{"type": "IntegrityError", "value": "[removed]"}]},
        "logentry": {"message": "Saved %s"},
    }
