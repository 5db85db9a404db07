"""Passwords: reset by an emailed link (Django's mail outbox), change from the header; audited."""

import re
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from raa.models import AuditAction, AuditEvent, Role
from tests.conftest import PASSWORD

NEW_PASSWORD = "a-brand-new-passphrase-93"
EMAIL = "ada.worker@council-a.example"
SENT_PAGE = "/accounts/password/reset/sent/"


@pytest.fixture
def worker(world):
    person = world.user(Role.SOCIAL_WORKER, "A")
    person.email = EMAIL
    person.save(update_fields=["email"])
    return person


def reset_link(message) -> str:
    return re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", message.body).group(1)


def set_new_password(client, link: str, password: str):
    """Open the emailed link (Django moves the token into the session) and choose a password."""
    page = client.get(link, follow=True)
    return client.post(
        page.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )


def test_reset_by_email_from_request_to_signing_in_with_the_new_password(client, worker):
    response = client.post("/accounts/password/reset/", {"email": "Ada.Worker@Council-A.example"})
    assert response.status_code == 302 and response["Location"] == SENT_PAGE
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    assert message.subject == "Reset your password for the Regional Adoption Agency"
    # The link and nothing about the person: no username, no name.
    for personal in (worker.username, worker.first_name, worker.last_name):
        assert personal.lower() not in message.body.lower()

    done = set_new_password(client, reset_link(message), NEW_PASSWORD)
    assert done.status_code == 302 and done["Location"] == "/accounts/password/reset/done/"
    assert "Sign in with your new password" in client.get(done["Location"]).content.decode()
    changed = AuditEvent.objects.get(user=worker, action=AuditAction.CHANGED)
    assert (changed.object_type, changed.detail) == ("password", "reset with an emailed link")

    old = client.post("/accounts/login/", {"username": worker.username, "password": PASSWORD})
    assert old.status_code == 200  # the old password no longer works
    new = client.post("/accounts/login/", {"username": worker.username, "password": NEW_PASSWORD})
    assert new.status_code == 302 and new["Location"] == "/"
    # The link worked once.
    again = client.get(reset_link(message), follow=True)
    assert "This link has expired or has been used" in again.content.decode()


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, worker):
    known = client.post("/accounts/password/reset/", {"email": EMAIL}, follow=True)
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain == [(SENT_PAGE, 302)]
    assert known.content == unknown.content
    assert "If an account has that address" in unknown.content.decode()
    assert [m.to for m in mail.outbox] == [[EMAIL]]


def test_a_link_older_than_an_hour_is_refused(client, worker):
    assert settings.PASSWORD_RESET_TIMEOUT == 60 * 60
    # A real token, made as Django makes it, but 61 minutes ago.
    made_earlier = PasswordResetTokenGenerator()
    made_earlier._now = lambda: datetime.now() - timedelta(minutes=61)
    token = made_earlier.make_token(worker)
    uid = urlsafe_base64_encode(force_bytes(worker.pk))
    page = client.get(f"/accounts/password/reset/{uid}/{token}/", follow=True)
    assert "This link has expired or has been used" in page.content.decode()
    assert "new_password1" not in page.content.decode()
    # The same token made now is accepted, so the refusal is its age.
    fresh = PasswordResetTokenGenerator().make_token(worker)
    page = client.get(f"/accounts/password/reset/{uid}/{fresh}/", follow=True)
    assert "new_password1" in page.content.decode()


def test_the_password_rules_apply_to_a_reset(client, worker):
    client.post("/accounts/password/reset/", {"email": EMAIL})
    response = set_new_password(client, reset_link(mail.outbox[0]), "password")
    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert not AuditEvent.objects.filter(user=worker, object_type="password").exists()


def test_a_reset_does_not_unlock_a_locked_account(client, worker):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": worker.username, "password": "wrong-guess"})
    client.post("/accounts/password/reset/", {"email": EMAIL})
    done = set_new_password(client, reset_link(mail.outbox[0]), NEW_PASSWORD)
    page = client.get(done["Location"]).content.decode()
    assert "Your account is still locked" in page
    locked = client.post(
        "/accounts/login/", {"username": worker.username, "password": NEW_PASSWORD}
    )
    assert locked.status_code == 429
    assert "Account locked" in locked.content.decode()


def test_change_password_from_the_header_keeps_the_session_and_is_audited(client_for, world):
    manager = world.user(Role.MANAGER, "A")
    client = client_for(manager)
    home = client.get("/").content.decode()
    assert 'href="/accounts/password/change/">Change password</a>' in home

    wrong = client.post(
        "/accounts/password/change/",
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert "Your old password was entered incorrectly" in wrong.content.decode()
    weak = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert "This password is entirely numeric." in weak.content.decode()
    assert not AuditEvent.objects.filter(user=manager, object_type="password").exists()

    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert response.redirect_chain == [("/", 302)]  # still signed in: home, not the login page
    assert "Your password has been changed." in response.content.decode()
    event = AuditEvent.objects.get(user=manager, object_type="password")
    assert (event.action, event.detail) == (AuditAction.CHANGED, "changed by the person")
    manager.refresh_from_db()
    assert manager.check_password(NEW_PASSWORD)


def test_password_pages_for_anonymous_people_and_change_for_signed_in_only(client, world):
    assert client.get("/accounts/password/reset/").status_code == 200
    assert "Forgotten your password?" in client.get("/accounts/login/").content.decode()
    response = client.get("/accounts/password/change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
