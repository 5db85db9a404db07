"""Two-factor sign-in: required for managers, data officers and administrators when switched on
(production), optional for everyone else, recovery codes, and the demo logins keep working."""

import re

import pytest
from django.test import override_settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from raa.models import Role
from tests.conftest import PASSWORD


def app_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """What the person's authenticator app shows now (or ``steps_ahead`` 30-second steps on)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def wait_out_throttle(user) -> None:
    """After a wrong code each device makes the person wait a moment (django-otp throttling)."""
    from django_otp import devices_for_user

    for device in devices_for_user(user):
        device.throttle_reset()


def sign_in(client, user):
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, "the password step itself should pass"
    return response


def set_up_app(client, user) -> tuple[TOTPDevice, list[str]]:
    page = client.get("/accounts/two-factor/setup/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    shown = page.content.decode()
    assert "<svg" in shown  # the code to scan
    key = re.search(r'data-testid="secret">([A-Z2-7 ]+)<', shown).group(1).replace(" ", "")
    assert key  # the key to type, for a phone that cannot scan
    done = client.post("/accounts/two-factor/setup/", {"code": app_code(device)})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    device.refresh_from_db()
    return device, codes


@override_settings(TWO_FACTOR_REQUIRED=True)
@pytest.mark.parametrize(
    "role", [Role.MANAGER, Role.TEAM_MANAGER, Role.DATA_OFFICER, Role.ADMINISTRATOR]
)
def test_roles_that_need_it_must_set_it_up_before_any_page(client, world, role):
    user = world.user(role, "region")
    response = sign_in(client, user)
    assert client.get("/").url == "/accounts/two-factor/setup/"
    assert client.get("/children/").url == "/accounts/two-factor/setup/"
    page = client.get("/accounts/two-factor/setup/").content.decode()
    assert "Your role needs two-factor sign-in" in page

    device, codes = set_up_app(client, user)
    assert device.confirmed
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/").status_code == 200  # this session has passed the second step
    assert response is not None


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_a_wrong_code_does_not_turn_it_on(client, world):
    user = world.user(Role.MANAGER, "A")
    sign_in(client, user)
    client.get("/accounts/two-factor/setup/")
    response = client.post("/accounts/two-factor/setup/", {"code": "000000"})
    assert "That code does not match the app" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert client.get("/").url == "/accounts/two-factor/setup/"


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_next_time_the_password_alone_opens_nothing(client, world):
    user = world.user(Role.DATA_OFFICER, "A")
    sign_in(client, user)
    device, _ = set_up_app(client, user)
    client.post("/accounts/logout/")

    sign_in(client, user)
    response = client.get("/children/")
    assert response.url == "/accounts/two-factor/?next=%2Fchildren%2F"
    wrong = client.post("/accounts/two-factor/", {"code": "123456", "next": "/children/"})
    assert "That code is not right" in wrong.content.decode()
    assert client.get("/children/").status_code == 302

    wait_out_throttle(user)
    # The next code of the app (the last one was used to set it up; codes are single use).
    ok = client.post("/accounts/two-factor/", {"code": app_code(device, 1), "next": "/children/"})
    assert ok.status_code == 302 and ok.url == "/children/"
    assert client.get("/children/").status_code == 200


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_guessing_codes_is_throttled_so_even_the_right_code_then_waits(client, world):
    user = world.user(Role.ADMINISTRATOR, "region")
    sign_in(client, user)
    device, _ = set_up_app(client, user)
    client.post("/accounts/logout/")
    sign_in(client, user)
    for guess in ("111111", "222222", "333333"):
        client.post("/accounts/two-factor/", {"code": guess})
    refused = client.post("/accounts/two-factor/", {"code": app_code(device, 1)})
    assert refused.status_code == 200
    assert client.get("/").status_code == 302


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_a_recovery_code_works_once(client, world):
    user = world.user(Role.TEAM_MANAGER, "B")
    sign_in(client, user)
    _, codes = set_up_app(client, user)
    client.post("/accounts/logout/")

    sign_in(client, user)
    used = client.post("/accounts/two-factor/", {"code": codes[0]}, follow=True)
    assert used.redirect_chain[-1][0] == "/"
    assert "recovery code; 9 left" in used.content.decode()
    client.post("/accounts/logout/")

    sign_in(client, user)
    again = client.post("/accounts/two-factor/", {"code": codes[0]})
    assert again.status_code == 200 and "has been used" in again.content.decode()
    assert client.get("/").status_code == 302


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_new_recovery_codes_replace_the_old_ones(client, world):
    user = world.user(Role.MANAGER, "B")
    sign_in(client, user)
    _, old = set_up_app(client, user)
    status = client.get("/accounts/two-factor/setup/").content.decode()
    assert 'data-testid="recovery-left">10<' in status
    fresh = client.post("/accounts/two-factor/recovery-codes/").content.decode()
    new = re.findall(r"<li><code>([a-z0-9]+)</code></li>", fresh)
    assert len(new) == 10 and not set(new) & set(old)
    client.post("/accounts/logout/")
    sign_in(client, user)
    assert client.post("/accounts/two-factor/", {"code": old[1]}).status_code == 200
    wait_out_throttle(user)
    assert client.post("/accounts/two-factor/", {"code": new[1]}).status_code == 302


@override_settings(TWO_FACTOR_REQUIRED=True)
@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.BOARD_MEMBER])
def test_other_roles_may_but_need_not(client, world, role):
    user = world.user(role, "A")
    sign_in(client, user)
    assert client.get("/").status_code == 200
    page = client.get("/accounts/two-factor/setup/").content.decode()
    assert "Set up two-factor sign-in" in page
    assert "Your role needs" not in page


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_demo_mode_lets_a_manager_in_with_the_password_alone(client, world):
    sign_in(client, world.user(Role.MANAGER, "region"))
    assert client.get("/").status_code == 200
    assert client.get("/scorecard/").status_code == 200


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_whoever_has_set_it_up_is_asked_even_in_demo_mode(client, world):
    user = world.user(Role.SOCIAL_WORKER, "B")
    sign_in(client, user)
    set_up_app(client, user)
    client.post("/accounts/logout/")
    sign_in(client, user)
    assert client.get("/").url.startswith("/accounts/two-factor/")


@override_settings(TWO_FACTOR_REQUIRED=True)
def test_the_code_step_never_sends_people_to_another_site(client, world):
    user = world.user(Role.MANAGER, "C")
    sign_in(client, user)
    device, _ = set_up_app(client, user)
    client.post("/accounts/logout/")
    sign_in(client, user)
    response = client.post(
        "/accounts/two-factor/", {"code": app_code(device, 1), "next": "https://evil.example/"}
    )
    assert response.url == "/"


def test_production_requires_it(settings):
    from raa.settings import env_bool

    # The setting's default follows DJANGO_DEBUG: on whenever DEBUG is off.
    assert env_bool("DJANGO_TWO_FACTOR_REQUIRED", True) is True
    assert set(settings.TWO_FACTOR_ROLES) == {
        Role.TEAM_MANAGER,
        Role.MANAGER,
        Role.DATA_OFFICER,
        Role.ADMINISTRATOR,
    }


def test_the_check_before_every_page_costs_no_query(client, client_for, world):
    """Whether a person has set it up is noted as the password is accepted, so pages (and the
    query counts other tests assert) pay nothing for it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def otp_queries(signed_in) -> list:
        with CaptureQueriesContext(connection) as queries:
            assert signed_in.get("/children/").status_code == 200
        return [q for q in queries.captured_queries if "otp_" in q["sql"]]

    assert otp_queries(client_for(world.user(Role.MANAGER, "A"))) == []  # force_login
    client.post("/accounts/logout/")
    sign_in(client, world.user(Role.SOCIAL_WORKER, "A"))  # the sign-in page
    assert otp_queries(client) == []
