"""Writes for API clients: adding one (its token shown once) and revoking it."""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from api.models import ApiClient
from raa.models import AuditAction, Council, Region, User
from raa.services import audit_record

TOKEN_BYTES = 32
PREFIX_LENGTH = 8


def hash_token(token: str) -> str:
    """The stored form of a token: its SHA-256, hex. A token is random (256 bits), so a plain
    hash is enough (no salt or slow hash needed, unlike a password a person chose)."""
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def api_client_add(
    *,
    name: str,
    councils: list[Council] | None = None,
    region: Region | None = None,
    acting_user: User | None = None,
) -> tuple[ApiClient, str]:
    """Add an API client for ``councils`` or a whole ``region``; returns it and its token, the
    only time the token exists outside the caller's hands."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "An API client needs a name."})
    if bool(councils) == bool(region):
        raise ValidationError("Give either one or more councils or the whole region, not both.")
    if ApiClient.objects.filter(name=name).exists():
        raise ValidationError({"name": f"There is already an API client called {name!r}."})
    if councils and len({c.region_id for c in councils}) > 1:
        raise ValidationError("An API client's councils must be in one region.")
    username = f"api-{slugify(name)}"[:150]
    if User.objects.filter(username=username).exists():
        raise ValidationError({"name": f"The service account {username} already exists."})
    user = User(username=username, first_name=name[:150], is_active=False)
    user.set_unusable_password()
    user._history_user = acting_user
    user.save()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    client = ApiClient.objects.create(
        name=name,
        whole_region=region,
        service_user=user,
        token_hash=hash_token(token),
        token_prefix=token[:PREFIX_LENGTH],
    )
    if councils:
        client.councils.set(councils)
    audit_record(
        user=acting_user or user,
        action=AuditAction.CREATED,
        object_type="apiclient",
        object_id=client.pk,
        detail="API client added",
    )
    return client, token


@transaction.atomic
def api_client_revoke(*, client: ApiClient, acting_user: User) -> bool:
    """Revoke a client's token for good (the client is kept, with its history). Returns False
    if it was already revoked."""
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at is not None:
        return False
    client.revoked_at = timezone.now()
    client._history_user = acting_user
    client.save(update_fields=["revoked_at"])
    audit_record(
        user=acting_user,
        action=AuditAction.CHANGED,
        object_type="apiclient",
        object_id=client.pk,
        detail="API client revoked",
    )
    return True


def api_client_for_token(token: str) -> ApiClient | None:
    """The active client holding ``token``, or None. Notes when it was last used (at most once
    a minute, so a busy client does not write on every request)."""
    client = (
        ApiClient.objects.active()
        .select_related("service_user", "whole_region")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if client is None:
        return None
    now = timezone.now()
    if client.last_used_at is None or (now - client.last_used_at).total_seconds() > 60:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        client.last_used_at = now
    return client
