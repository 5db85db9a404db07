"""Signing in: the form, lock-out after repeated failures, idle timeout, password rules."""

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from raa.models import Role
from tests.conftest import PASSWORD


def test_sign_in_with_the_interface_field_names_lands_on_home(client, world):
    response = client.post(
        "/accounts/login/",
        {"username": "social_worker-a", "password": PASSWORD},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/"
    page = response.content.decode()
    assert "Welcome, Social Worker" in page
    assert "Council A" in page  # the person's council in the header


def test_wrong_password_says_so_and_does_not_sign_in(client, world):
    response = client.post("/accounts/login/", {"username": "manager-a", "password": "nope"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert client.get("/").status_code == 302


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "manager-b", "password": "wrong-guess"})
    response = client.post("/accounts/login/", {"username": "manager-b", "password": PASSWORD})
    assert response.status_code == 429
    assert "Account locked" in response.content.decode()
    assert client.get("/").status_code == 302
    # Another account is not locked by it.
    ok = client.post("/accounts/login/", {"username": "manager-c", "password": PASSWORD})
    assert ok.status_code == 302


def test_sessions_end_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST  # each request restarts the 30 minutes


def test_after_thirty_idle_minutes_the_person_must_sign_in_again(client, world):
    from datetime import timedelta

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    client.post("/accounts/login/", {"username": "manager-a", "password": PASSWORD})
    assert client.get("/").status_code == 200
    stored = Session.objects.get(session_key=client.session.session_key)
    # Each request pushes expiry 30 minutes on from now ...
    left = stored.expire_date - timezone.now()
    assert timedelta(minutes=29) < left <= timedelta(minutes=30)
    # ... so a session last used 31 minutes ago has ended.
    stored.expire_date = timezone.now() - timedelta(minutes=1)
    stored.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("weak", ["password", "12345678901", "short"])
def test_djangos_password_validators_refuse_weak_passwords(weak):
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_sign_out_needs_a_post_and_ends_the_session(client_for, world):
    client = client_for(world.user(Role.MANAGER, "A"))
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302
