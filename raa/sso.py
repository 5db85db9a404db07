"""Single sign-on with a council's OpenID Connect provider (Microsoft Entra ID, or any other).

Built on mozilla-django-oidc. A person signing in through the provider is matched by email to a
person who already exists in the agency and is active; nobody is created and nobody gets or loses
a role by signing in (an administrator grants roles, as for everyone). The matching address is,
in order:

1. ``email`` when the provider says it is verified (``email_verified`` true, or Entra's
   ``xms_edov`` true: the email's domain is owned by the tenant);
2. ``upn``, then ``preferred_username`` (Entra's sign-in name, issued by the council's own
   directory), when it is an email address.

An ``email`` the provider does not vouch for is never used: in a multi-tenant directory anybody
can put any address there. Unknown or inactive people, and an address held by more than one
person, see a page that says so (403); an account locked by repeated failed passwords stays
locked (django-axes) whichever way its owner signs in.

SSO is on when ``OIDC_RP_CLIENT_ID`` and either ``OIDC_OP_ISSUER`` (the endpoints are then read
from the provider's discovery document, once, on first use) or the four endpoint URLs are set.
When it is off the login page shows no button and ``/oidc/...`` answers 404.

Two-factor: when ``OIDC_MFA_REPLACES_TOTP`` is true, a session signed in through the provider whose
ID token says the person used more than one factor (``amr``, RFC 8176) counts as two-factor
verified; otherwise our own authenticator-app code is still asked (raa/two_factor.py).
"""

import logging
import threading

import requests
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import SuspiciousOperation
from django.dispatch import receiver
from django.http import Http404
from django.shortcuts import render
from django.utils.decorators import method_decorator
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from raa.models import AuditAction, User
from raa.services import audit_record

logger = logging.getLogger(__name__)

#: The endpoints the provider's discovery document names, by our setting's name.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}

#: ``amr`` values (RFC 8176) that show more than one factor: "mfa" itself, or something the person
#: knows together with something they have or are.
AMR_MFA = "mfa"
AMR_KNOW = {"pwd", "pin", "kba"}
AMR_HAVE_OR_ARE = {"otp", "hwk", "swk", "sms", "tel", "sc", "fpt", "face", "iris", "retina", "vbm"}

#: The session key that says this session's sign-in through the provider used several factors.
SESSION_MFA_KEY = "raa_sso_mfa"

NOT_REGISTERED = "not_registered"
AMBIGUOUS = "ambiguous"
LOCKED = "locked"

_discovery: dict[str, dict] = {}
_discovery_lock = threading.Lock()


def enabled() -> bool:
    """Is single sign-on configured? Read at request time, so tests can switch it."""
    if not settings.OIDC_RP_CLIENT_ID:
        return False
    return bool(settings.OIDC_OP_ISSUER) or all(getattr(settings, name) for name in DISCOVERED)


def discovery_document(issuer: str) -> dict:
    """The provider's ``/.well-known/openid-configuration``, fetched once per process."""
    with _discovery_lock:
        if issuer not in _discovery:
            url = issuer.rstrip("/") + "/.well-known/openid-configuration"
            response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
            if document.get("issuer", "").rstrip("/") != issuer.rstrip("/"):
                raise SuspiciousOperation("The provider's discovery document names another issuer.")
            _discovery[issuer] = document
        return _discovery[issuer]


def oidc_setting(name: str, *default):
    """A mozilla-django-oidc setting; an endpoint not set explicitly comes from discovery."""
    value = getattr(settings, name, None)
    if not value and name in DISCOVERED and settings.OIDC_OP_ISSUER:
        value = discovery_document(settings.OIDC_OP_ISSUER).get(DISCOVERED[name])
    if value is None or value == "":
        if default:
            return default[0]
        return value
    return value


def used_several_factors(claims: dict) -> bool:
    """Does the ID token's ``amr`` show more than one factor?"""
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    methods = {str(m).lower() for m in amr}
    return AMR_MFA in methods or bool(methods & AMR_KNOW and methods & AMR_HAVE_OR_ARE)


def _looks_like_email(value) -> bool:
    return isinstance(value, str) and "@" in value.strip()[1:-1]


def matching_email(claims: dict) -> str:
    """The address to match a person by (see the module's docstring), or ""."""
    email = claims.get("email")
    if _looks_like_email(email) and (
        claims.get("email_verified") is True or claims.get("xms_edov") is True
    ):
        return email.strip()
    for name in ("upn", "preferred_username"):
        if _looks_like_email(claims.get(name)):
            return claims[name].strip()
    return ""


class CouncilAccountBackend(OIDCAuthenticationBackend):
    """Matches a council account to an existing, active person; never creates or changes one.

    Why it refused is left on the request (``request.sso_refusal``) for the callback's page.
    """

    def __init__(self, *args, **kwargs):
        # Listed in AUTHENTICATION_BACKENDS whether or not SSO is configured, so it must not
        # refuse to load without settings (the parent class does); endpoints are looked up when
        # a sign-in through the provider actually happens.
        self.UserModel = User

    @staticmethod
    def get_settings(attr, *args):
        return oidc_setting(attr, *args)

    def _load_settings(self) -> None:
        self.OIDC_OP_TOKEN_ENDPOINT = self.get_settings("OIDC_OP_TOKEN_ENDPOINT")
        self.OIDC_OP_USER_ENDPOINT = self.get_settings("OIDC_OP_USER_ENDPOINT", None)
        self.OIDC_OP_JWKS_ENDPOINT = self.get_settings("OIDC_OP_JWKS_ENDPOINT", None)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        # Only the callback's call (nonce, code verifier), never a password sign-in: the parent
        # class would otherwise act on any request whose query string has "code" and "state".
        if request is None or "nonce" not in kwargs or "password" in kwargs or not enabled():
            return None
        self._load_settings()
        try:
            return super().authenticate(request, **kwargs)
        except (SuspiciousOperation, requests.RequestException) as error:
            # The exchange with the provider failed (a forged or stale answer, the provider
            # unreachable): the person sees that it did not work; the log says why, no claims.
            logger.warning("single sign-on failed: %s", type(error).__name__)
            return None

    def verify_token(self, token, **kwargs):
        """The parent checks the signature and nonce; this also checks who issued the token and
        for whom (mozilla-django-oidc checks neither)."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was issued for another application.")
        issuer = settings.OIDC_OP_ISSUER
        if issuer and str(payload.get("iss", "")).rstrip("/") != issuer.rstrip("/"):
            raise SuspiciousOperation("The ID token was issued by another provider.")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        """The ID token's claims (signed, and where Entra puts ``upn`` and ``amr``), with the
        user-info endpoint's added when the provider has one and it is about the same subject."""
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT:
            info = super().get_userinfo(access_token, id_token, payload)
            if info.get("sub") == payload.get("sub"):
                claims = {**info, **payload}
        return claims

    def verify_claims(self, claims) -> bool:
        return bool(matching_email(claims))

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(email__iexact=matching_email(claims))

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims):
            return self._refuse(NOT_REGISTERED)
        people = list(self.filter_users_by_claims(claims).filter(is_active=True)[:2])
        if len(people) > 1:
            return self._refuse(AMBIGUOUS)
        if not people:
            return self._refuse(NOT_REGISTERED)
        person = people[0]
        if AxesProxyHandler.is_locked(self.request, {"username": person.username}):
            return self._refuse(LOCKED)
        # Read by the sign-in signal below, so the flag belongs to this sign-in only.
        person.sso_several_factors = used_several_factors(claims)
        return person

    def _refuse(self, reason: str) -> None:
        self.request.sso_refusal = reason
        return None

    def get_user(self, user_id):
        try:
            return self.UserModel.objects.get(pk=user_id)
        except self.UserModel.DoesNotExist:
            return None


@receiver(user_logged_in)
def _note_sso_sign_in(sender, request, user, **kwargs):
    """Every sign-in sets the flag afresh: a password sign-in clears it. A sign-in through the
    provider is audited."""
    if request is None or not hasattr(request, "session"):
        return
    several = getattr(user, "sso_several_factors", None)
    request.session[SESSION_MFA_KEY] = bool(several)
    if several is not None:
        audit_record(
            user=user,
            action=AuditAction.SIGNED_IN,
            object_type="session",
            detail="single sign-on; provider reports several factors: "
            + ("yes" if several else "no"),
        )


def mfa_replaces_totp(request) -> bool:
    """Does this session's sign-in through the provider stand in for our two-factor code?"""
    return bool(settings.OIDC_MFA_REPLACES_TOTP and request.session.get(SESSION_MFA_KEY))


class _OnlyWhenEnabled:
    def dispatch(self, request, *args, **kwargs):
        if not enabled():
            raise Http404("Single sign-on is not configured.")
        return super().dispatch(request, *args, **kwargs)


@method_decorator(login_not_required, name="dispatch")
class SignInView(_OnlyWhenEnabled, OIDCAuthenticationRequestView):
    """``/oidc/authenticate/``: off to the provider."""

    def __init__(self, *args, **kwargs):
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    @staticmethod
    def get_settings(attr, *args):
        return oidc_setting(attr, *args)

    def get(self, request):
        self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)


@method_decorator(login_not_required, name="dispatch")
class CallbackView(_OnlyWhenEnabled, OIDCAuthenticationCallbackView):
    """``/oidc/callback/``: back from the provider; signed in, or a page saying why not."""

    @staticmethod
    def get_settings(attr, *args):
        return oidc_setting(attr, *args)

    def login_failure(self):
        reason = getattr(self.request, "sso_refusal", None)
        if reason == LOCKED:
            return render(self.request, "registration/locked_out.html", status=429)
        if reason in (NOT_REGISTERED, AMBIGUOUS):
            return render(
                self.request,
                "registration/sso_not_registered.html",
                {"ambiguous": reason == AMBIGUOUS},
                status=403,
            )
        return render(self.request, "registration/sso_failed.html", status=400)
