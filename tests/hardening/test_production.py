"""The production settings (DJANGO_DEBUG=false) as a browser meets them: over HTTPS behind the
proxy, every answer carries HSTS, the strict CSP and the other security headers, cookies are
HTTPS-only, and two-factor sign-in is required."""

import json

from tests.raa.test_settings import manage

PROBE = """
import json
from django.conf import settings
from django.test import Client
r = Client().get("/", secure=True, headers={"x-forwarded-proto": "https"})
plain = Client().get("/", headers={"x-forwarded-proto": "http"})
print(json.dumps({
    "status": r.status_code,
    "headers": dict(r.headers),
    "plain_status": plain.status_code,
    "plain_location": plain.headers.get("Location", ""),
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "two_factor": settings.TWO_FACTOR_REQUIRED,
}))
"""


def test_production_answers_carry_the_security_headers():
    result = manage(
        "shell",
        "-c",
        PROBE,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="k3#q9-a-random-looking-secret-for-the-test-8hZ!x2vLw0pR7tN4mB6cY1sD5",
        DJANGO_ALLOWED_HOSTS="testserver",
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    headers = {k.lower(): v for k, v in seen["headers"].items()}
    assert seen["status"] == 302  # anonymous: to the sign-in page
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert "no-store" in headers["cache-control"]  # no page is kept by a browser or proxy
    # Plain http is sent to https.
    assert seen["plain_status"] == 301
    assert seen["plain_location"].startswith("https://")
    assert seen["session_secure"] and seen["csrf_secure"]
    assert seen["two_factor"] is True
