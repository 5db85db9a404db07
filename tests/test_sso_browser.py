"""Single sign-on through a real OpenID Connect provider, in a real browser.

The provider is django-oauth-toolkit running in a second Django process (tests/oidc_provider/)
with its own SQLite file and an RSA key made for the run; the agency's app is pytest-django's live
server, configured for that provider by discovery. Chromium clicks "Sign in with your council
account", signs in at the provider, consents, and comes back: signed in when the provider's email
matches a person of the agency, refused with a page that says why when it does not.
"""

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from playwright.sync_api import expect

from raa.models import AuditAction, AuditEvent, Role, User
from tests.test_browser import browser_page  # noqa: F401  (the shared browser fixture)

ROOT = Path(__file__).resolve().parents[1]
CLIENT_ID = "raa-test-client"
CLIENT_SECRET = "raa-test-client-secret-0123456789"
PROVIDER_PASSWORD = "council-directory-pass-7"
#: The provider's people; the agency knows the first two by email (in another letter case).
PEOPLE = [
    {"username": "a.worker", "email": "Ada.Worker@Council-A.example"},
    {"username": "mfa-person", "email": "team.manager@council-a.example"},
    {"username": "stranger", "email": "stranger@elsewhere.example"},
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _private_key_pem() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


@pytest.fixture(scope="module")
def oidc_provider(live_server, tmp_path_factory):
    """Start the provider with the live server's callback registered; yields its issuer URL."""
    port = _free_port()
    issuer = f"http://127.0.0.1:{port}/o"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OIDC_PROVIDER_DB": str(tmp_path_factory.mktemp("provider") / "provider.sqlite3"),
        "OIDC_PROVIDER_RSA_KEY": _private_key_pem(),
        "OIDC_PROVIDER_ISSUER": issuer,
        "OIDC_PROVIDER_CLIENT": json.dumps(
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uri": f"{live_server.url}/oidc/callback/",
            }
        ),
        "OIDC_PROVIDER_PEOPLE": json.dumps([{**p, "password": PROVIDER_PASSWORD} for p in PEOPLE]),
    }
    subprocess.run(
        [sys.executable, "-m", "tests.oidc_provider.setup_provider"], env=env, cwd=ROOT, check=True
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            assert server.poll() is None, "the test OIDC provider did not start"
            assert time.monotonic() < deadline, "the test OIDC provider did not answer in 30s"
            time.sleep(0.3)
        yield issuer
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def sso(browser_page, oidc_provider, settings):  # noqa: F811
    """The browser, with the live server configured for the provider (endpoints by discovery)."""
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_ISSUER = oidc_provider
    page, world, base = browser_page
    User.objects.filter(pk=world.user(Role.SOCIAL_WORKER, "A").pk).update(
        email="ada.worker@council-a.example"
    )
    User.objects.filter(pk=world.user(Role.TEAM_MANAGER, "A").pk).update(
        email="Team.Manager@council-a.example"
    )
    return page, world, base, oidc_provider


def council_sign_in(page, base: str, issuer: str, username: str, screenshots=None) -> None:
    """From the agency's sign-in page, through the provider's sign-in and consent, and back."""
    page.goto(base + "/")
    expect(page).to_have_url(f"{base}/accounts/login/?next=/")
    if screenshots:
        page.screenshot(path=str(screenshots / "login-with-sso.png"))
    page.get_by_role("link", name="Sign in with your council account").click()
    provider = issuer.removesuffix("/o")
    page.wait_for_url(re.compile("^" + re.escape(provider)))
    if page.get_by_label("Username").count():
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PROVIDER_PASSWORD)
        page.get_by_role("button", name="Sign in at the council").click()
    page.wait_for_load_state()
    authorize = page.get_by_role("button", name="Authorize")
    if page.url.startswith(provider) and authorize.count():  # consent, when asked
        authorize.click()
    page.wait_for_url(re.compile("^" + re.escape(base)))


def test_a_council_account_with_a_known_email_signs_in_to_the_agency(sso, tmp_path):
    page, world, base, issuer = sso
    worker = world.user(Role.SOCIAL_WORKER, "A")
    council_sign_in(page, base, issuer, "a.worker")
    expect(page).to_have_url(base + "/")
    expect(page.get_by_role("heading", name="Welcome, Social Worker")).to_be_visible()
    expect(page.get_by_test_id("who")).to_contain_text("Council A")
    # Audited, and nothing about the person changed: same one person, same role.
    signed_in = AuditEvent.objects.get(user=worker, action=AuditAction.SIGNED_IN)
    assert signed_in.detail == "single sign-on; provider reports several factors: no"
    assert User.objects.filter(email__iexact="ada.worker@council-a.example").count() == 1
    assert [m.role for m in worker.memberships.active()] == [Role.SOCIAL_WORKER]
    page.screenshot(path=str(tmp_path / "signed-in.png"))


def test_a_council_account_nobody_in_the_agency_has_sees_a_clear_refusal(sso, tmp_path):
    page, world, base, issuer = sso
    people_before = User.objects.count()
    with page.expect_response(re.compile(r"/oidc/callback/")) as callback:
        council_sign_in(page, base, issuer, "stranger", screenshots=tmp_path)
    assert callback.value.status == 403
    expect(
        page.get_by_role("heading", name="Your council account is not registered with the agency")
    ).to_be_visible()
    expect(page.get_by_text("ask your administrator")).to_be_visible()
    page.screenshot(path=str(tmp_path / "not-registered.png"))
    assert User.objects.count() == people_before  # nobody created
    page.goto(base + "/")  # and not signed in
    expect(page).to_have_url(f"{base}/accounts/login/?next=/")


def test_the_providers_mfa_stands_for_our_code_only_when_the_setting_says_so(sso, settings):
    """A team manager (two-factor required) signs in with a council account whose ID token says
    "mfa": asked to set up our own code by default; straight in with OIDC_MFA_REPLACES_TOTP."""
    page, world, base, issuer = sso
    settings.TWO_FACTOR_REQUIRED = True
    settings.OIDC_MFA_REPLACES_TOTP = False
    council_sign_in(page, base, issuer, "mfa-person")
    expect(page).to_have_url(base + "/accounts/two-factor/setup/")
    page.get_by_role("button", name="Sign out").click()

    settings.OIDC_MFA_REPLACES_TOTP = True
    council_sign_in(page, base, issuer, "mfa-person")
    expect(page).to_have_url(base + "/")
    expect(page.get_by_role("heading", name="Welcome, Team Manager")).to_be_visible()
