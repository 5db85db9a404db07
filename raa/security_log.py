"""Security events, each a named line in the log (logger ``raa.security``), through one helper.

``security_event(name, **fields)`` writes the line: ``event`` is the name, the fields are
identifiers (a person's id, a council's id, a record's type and id), never a name, a username, a
date of birth or a password. The request id is added by raa/request_log.py.

The events and where they come from:

- ``sign_in``, ``sign_out``: Django's ``user_logged_in`` / ``user_logged_out`` signals (any way
  of signing in: the password form, single sign-on), with the backend that accepted it;
- ``sign_in_failed``: Django's ``user_login_failed`` (the person's id when the username typed is
  an account, else ``known_account: false``: what was typed may be a password);
- ``lockout``: django-axes' ``user_locked_out`` (too many failures for one account);
- ``two_factor_passed``, ``two_factor_failed``, ``two_factor_enabled``,
  ``recovery_codes_replaced``: raa/two_factor.py;
- ``export``: every export the audit trail records (``raa.services.audit_record`` with the
  action "exported": CSVs, board reports, statutory returns);
- ``role_change``: every new or changed membership (a role over a council or the region), from
  its history row, whoever made it (the admin, ``add_user``, a service);
- ``api_token_used``: the case-system API's token check calls ``security_event`` with the
  client's id when a token is accepted (and ``api_token_refused`` when not).
"""

import logging

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

logger = logging.getLogger("raa.security")

#: Field names a security event may never carry (a guard against a careless call).
FORBIDDEN_FIELDS = frozenset(
    {"username", "name", "first_name", "last_name", "email", "date_of_birth", "password"}
)


def security_event(name: str, **fields) -> None:
    """Log the security event ``name`` with identifier ``fields`` (see the module's list)."""
    refused = FORBIDDEN_FIELDS & set(fields)
    if refused:
        raise ValueError(f"A security event may not carry {', '.join(sorted(refused))}.")
    described = " ".join(f"{key}={value}" for key, value in sorted(fields.items()))
    logger.info("%s %s", name, described, extra={"event": name, **fields})


@receiver(user_logged_in, dispatch_uid="raa.security_log.sign_in")
def _signed_in(sender, request, user, **kwargs):
    backend = getattr(user, "backend", "") or ""
    security_event("sign_in", user_id=user.pk, backend=backend.rsplit(".", 1)[-1])


@receiver(user_logged_out, dispatch_uid="raa.security_log.sign_out")
def _signed_out(sender, request, user, **kwargs):
    security_event("sign_out", user_id=getattr(user, "pk", None))


def _account_id(username: str | None) -> int | None:
    if not username:
        return None
    model = get_user_model()
    return (
        model._default_manager.filter(**{model.USERNAME_FIELD: username})
        .values_list("pk", flat=True)
        .first()
    )


def _known(username: str | None) -> dict:
    account = _account_id(username)
    return {"user_id": account} if account is not None else {"known_account": False}


@receiver(user_login_failed, dispatch_uid="raa.security_log.sign_in_failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    security_event("sign_in_failed", **_known(credentials.get("username")))


@receiver(user_locked_out, dispatch_uid="raa.security_log.lockout")
def _locked_out(sender, request, username, ip_address, **kwargs):
    security_event("lockout", **_known(username))


@receiver(post_create_historical_record, dispatch_uid="raa.security_log.role_change")
def _role_changed(sender, instance, history_instance, history_user=None, **kwargs):
    if instance._meta.label != "raa.Membership":
        return
    security_event(
        "role_change",
        membership_id=instance.pk,
        user_id=instance.user_id,
        role=instance.role,
        council_id=instance.council_id,
        region_id=instance.region_id,
        ended=instance.ended_at is not None,
        change={"+": "added", "~": "changed", "-": "removed"}.get(
            history_instance.history_type, history_instance.history_type
        ),
        by_user_id=getattr(history_user, "pk", None),
    )
