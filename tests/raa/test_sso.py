"""Single sign-on's rules without a browser: when it is off, which claims match a person, what
counts as several factors, and who is refused. The whole redirect flow against a real provider
is in tests/test_sso_browser.py."""

import pytest
from django.conf import settings
from django.test import RequestFactory

from raa import sso
from raa.models import Role, User
from tests.conftest import PASSWORD

ISSUER = "https://login.example.org/tenant/v2.0"


@pytest.fixture
def sso_on(settings):
    settings.OIDC_RP_CLIENT_ID = "client"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_ISSUER = ISSUER


def test_sso_is_off_unless_configured_no_button_and_no_urls(client, db):
    assert not settings.OIDC_RP_CLIENT_ID  # the test environment sets none
    page = client.get("/accounts/login/").content.decode()
    assert "Sign in with your council account" not in page
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def test_when_configured_the_login_page_offers_the_council_account(client, db, sso_on):
    page = client.get("/accounts/login/?next=/children/").content.decode()
    assert 'href="/oidc/authenticate/?next=/children/">Sign in with your council account' in page


@pytest.mark.parametrize(
    ("claims", "matched"),
    [
        ({"email": "a@council.example", "email_verified": True}, "a@council.example"),
        # Entra: the tenant owns the email's domain.
        ({"email": "a@council.example", "xms_edov": True}, "a@council.example"),
        # An email nobody vouches for is not used; Entra's sign-in name is.
        ({"email": "boss@council.example", "upn": "a@council.example"}, "a@council.example"),
        ({"email": "boss@council.example", "email_verified": False}, ""),
        ({"preferred_username": "a@council.example"}, "a@council.example"),
        ({"preferred_username": "not-an-email"}, ""),
        ({}, ""),
    ],
)
def test_which_claim_matches_a_person(claims, matched):
    assert sso.matching_email(claims) == matched


@pytest.mark.parametrize(
    ("amr", "several"),
    [
        (["pwd", "mfa"], True),
        (["pwd", "otp"], True),
        (["fido", "mfa"], True),
        (["pwd"], False),
        (["otp"], False),
        ("mfa", True),
        (None, False),
    ],
)
def test_which_amr_counts_as_several_factors(amr, several):
    assert sso.used_several_factors({"amr": amr}) is several


def match(claims: dict):
    """Run the backend's matching on an ID token's claims (no user-info endpoint configured)."""
    backend = sso.CouncilAccountBackend()
    backend.OIDC_OP_USER_ENDPOINT = None
    request = RequestFactory().get("/oidc/callback/")
    backend.request = request
    return backend.get_or_create_user("access", "id", claims), getattr(request, "sso_refusal", None)


def verified(email: str) -> dict:
    return {"sub": "1", "email": email, "email_verified": True, "amr": ["pwd", "mfa"]}


def test_an_existing_active_person_is_matched_and_nothing_about_them_changes(world, sso_on):
    worker = world.user(Role.SOCIAL_WORKER, "A")
    User.objects.filter(pk=worker.pk).update(email="worker.a@council-a.example")
    person, refusal = match({**verified("WORKER.A@council-a.example"), "name": "Someone Else"})
    assert (person, refusal) == (worker, None)
    assert person.sso_several_factors is True
    worker.refresh_from_db()
    assert worker.get_full_name() == "Social Worker ScopeA"  # the provider's name not copied


def test_unknown_inactive_and_shared_addresses_are_refused_and_nobody_is_created(world, sso_on):
    people = User.objects.count()
    assert match(verified("nobody@council-a.example")) == (None, sso.NOT_REGISTERED)
    gone = world.user(Role.MANAGER, "B")
    User.objects.filter(pk=gone.pk).update(email="gone@council-b.example", is_active=False)
    assert match(verified("gone@council-b.example")) == (None, sso.NOT_REGISTERED)
    User.objects.filter(pk__in=[world.user(Role.MANAGER, s).pk for s in "AC"]).update(
        email="shared@council.example"
    )
    assert match(verified("shared@council.example")) == (None, sso.AMBIGUOUS)
    assert User.objects.count() == people


def test_a_locked_account_stays_locked_through_single_sign_on(client, world, sso_on):
    manager = world.user(Role.MANAGER, "C")
    User.objects.filter(pk=manager.pk).update(email="manager.c@council-c.example")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": manager.username, "password": "wrong"})
    assert match(verified("manager.c@council-c.example")) == (None, sso.LOCKED)


def test_a_password_sign_in_never_counts_as_the_providers_mfa(client, world, settings):
    settings.OIDC_MFA_REPLACES_TOTP = True
    settings.TWO_FACTOR_REQUIRED = True
    session = client.session
    session[sso.SESSION_MFA_KEY] = True  # left over from an earlier sign-in in this browser
    session.save()
    client.post("/accounts/login/", {"username": "manager-a", "password": PASSWORD})
    assert client.session[sso.SESSION_MFA_KEY] is False
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/setup/"
