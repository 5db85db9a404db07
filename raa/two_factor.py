"""Two-factor sign-in: a one-time code from an authenticator app (TOTP), or a recovery code.

Built on django-otp. After the password (``/accounts/login/``), a person who has set up two-factor
sign-in is asked for a code before any other page (``/accounts/two-factor/``). A person whose role
requires it (settings.TWO_FACTOR_ROLES: managers, team managers, data officers, administrators)
and who has not set it up is sent to set it up (``/accounts/two-factor/setup/``) before any other
page. ``settings.TWO_FACTOR_REQUIRED`` switches the requirement (on in production, off while
DJANGO_DEBUG=true so the demo logins keep working); whoever has set it up is always asked, unless
they signed in through the council's provider with several factors and OIDC_MFA_REPLACES_TOTP is
on (raa/sso.py).
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import redirect
from django.utils.http import urlencode
from django_otp import devices_for_user, user_has_device, verify_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from raa import access, sso
from raa.security_log import security_event

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"

VERIFY_URL = "/accounts/two-factor/"
SETUP_URL = "/accounts/two-factor/setup/"
# Pages a signed-in person who still owes a code may use: the two steps themselves and sign-out.
OPEN_PATHS = (VERIFY_URL, SETUP_URL, "/accounts/logout/", "/static/")


def required_for(user) -> bool:
    """Does this person's role oblige them to use two-factor sign-in?"""
    return settings.TWO_FACTOR_REQUIRED and access.has_role(user, settings.TWO_FACTOR_ROLES)


def has_two_factor(user) -> bool:
    return user_has_device(user, confirmed=True)


# Whether the signed-in person has set up two-factor sign-in, kept in their session so that the
# check before every page costs no query (worked out when the password is accepted, and set when
# they turn it on).
SESSION_KEY = "raa_has_two_factor"


def session_has_two_factor(request) -> bool:
    known = request.session.get(SESSION_KEY)
    if known is None:
        known = has_two_factor(request.user)
        request.session[SESSION_KEY] = known
    return known


@receiver(user_logged_in)
def _note_on_sign_in(sender, request, user, **kwargs):
    """Work it out as the password is accepted, so no page after it pays for the check."""
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = has_two_factor(user)


def pending_app_device(user) -> TOTPDevice:
    """The person's authenticator-app device that is being set up (made once, kept until
    confirmed, so reloading the set-up page keeps showing the same key)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def check_code(user, code: str):
    """The device that accepts ``code`` (an app code or an unused recovery code), or None.

    Each device throttles repeated failures itself (django-otp), so guessing is slow; a recovery
    code is used up when it is accepted.
    """
    code = "".join(code.split()).lower()
    if not code or len(code) > 16:
        return None
    for device in devices_for_user(user, confirmed=True):
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    security_event("two_factor_failed", user_id=user.pk)
    return None


@transaction.atomic
def confirm_app_device(*, user, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm a new authenticator app with a code from it. Returns the person's new recovery
    codes (shown once), or None if the code is wrong."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    if not device.verify_token("".join(code.split())):
        security_event("two_factor_failed", user_id=user.pk, step="set-up")
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    security_event("two_factor_enabled", user_id=user.pk)
    return new_recovery_codes(user=user)


@transaction.atomic
def new_recovery_codes(*, user) -> list[str]:
    """Replace the person's recovery codes with a fresh set; the old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    security_event("recovery_codes_replaced", user_id=user.pk)
    return codes


def remaining_recovery_codes(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def sign_in_device(request, device) -> None:
    """Mark this session as having passed the second step."""
    otp_login(request, device)
    request.session[SESSION_KEY] = True
    method = "recovery_code" if isinstance(device, StaticDevice) else "app"
    security_event("two_factor_passed", user_id=request.user.pk, method=method)


class RequireTwoFactorMiddleware:
    """Between the password and every other page: ask for a code, or send to set-up.

    Runs after Django's LoginRequiredMiddleware and django-otp's OTPMiddleware; anonymous visitors
    are left to LoginRequiredMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        # Signed in through the council's provider with several factors, where the setting
        # lets that stand for our code (raa/sso.py, OIDC_MFA_REPLACES_TOTP).
        if sso.mfa_replaces_totp(request):
            return None
        if request.path.startswith(OPEN_PATHS):
            return None
        if session_has_two_factor(request):
            return redirect(f"{VERIFY_URL}?{urlencode({'next': request.get_full_path()})}")
        if required_for(user):
            return redirect(SETUP_URL)
        return None
