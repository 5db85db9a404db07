"""Writes to the organisation: councils, people, memberships, and the audit log."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models, transaction

from raa.models import (
    LA_CODE_VALIDATOR,
    AuditAction,
    AuditEvent,
    Council,
    Membership,
    Region,
    Role,
    User,
)
from raa.security_log import security_event

DEFAULT_REGION_NAME = "Regional Adoption Agency"


def audit_record(
    *,
    user: User,
    action: str,
    object_type: str,
    object_id: str | int = "",
    council: Council | None = None,
    detail: str = "",
) -> AuditEvent:
    """Log one view, change, export or import. ``detail`` must hold no personal data.

    An export is also a security event in the log (raa/security_log.py)."""
    event = AuditEvent.objects.create(
        user=user,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        council=council,
        detail=detail[:500],
    )
    if action == AuditAction.EXPORTED:
        security_event(
            "export",
            user_id=user.pk,
            object_type=object_type,
            object_id=str(object_id),
            council_id=council.pk if council else None,
            audit_event_id=event.pk,
        )
    return event


def audit_view(*, user: User, obj: models.Model, council: Council | None) -> AuditEvent:
    return audit_record(
        user=user,
        action=AuditAction.VIEWED,
        object_type=obj._meta.model_name,
        object_id=obj.pk,
        council=council,
    )


def audit_search(
    *, user: User, object_type: str, found: int, council: Council | None = None
) -> AuditEvent:
    """Log that a person searched a list and how many rows it found. The terms are never
    logged: a search usually holds a name."""
    return audit_record(
        user=user,
        action=AuditAction.SEARCHED,
        object_type=object_type,
        council=council,
        detail=f"{found} found",
    )


def audit_refused(
    *, user: User, view_name: str, object_id: str = "", status: int, method: str
) -> AuditEvent:
    """Log a refused request (403, or 404 for a record outside the person's scope): who, which
    page, which record id, when. No path or query string (either may hold a name)."""
    return audit_record(
        user=user,
        action=AuditAction.REFUSED,
        object_type=view_name[:40],
        object_id=object_id,
        detail=f"{status} {method}",
    )


def region_get_or_create(name: str | None = None) -> Region:
    """The region to attach councils to: the named one, else the only one, else a new default."""
    if name:
        return Region.objects.get_or_create(name=name)[0]
    region = Region.objects.order_by("id").first()
    return region or Region.objects.create(name=DEFAULT_REGION_NAME)


@transaction.atomic
def council_add_or_rename(
    *, la_code: str, name: str, region: Region | None = None
) -> tuple[Council, str]:
    """Add a partner council, or rename it if the LA code is known. Returns (council, outcome)."""
    LA_CODE_VALIDATOR(la_code)
    if not name.strip():
        raise ValidationError("A council needs a name.")
    council = Council.objects.select_for_update().filter(la_code=la_code).first()
    if council is None:
        council = Council(la_code=la_code, name=name, region=region or region_get_or_create())
        council.full_clean()
        council.save()
        return council, "added"
    if council.name == name:
        return council, "unchanged"
    council.name = name
    council.full_clean()
    council.save()
    return council, "renamed"


@transaction.atomic
def user_add_or_update(
    *,
    username: str,
    role: str,
    councils: list[Council] | None = None,
    region: Region | None = None,
    password: str | None = None,
    first_name: str | None = None,
    last_name: str | None = None,
    email: str | None = None,
    validate: bool = True,
) -> tuple[User, str]:
    """Create the person if new and make sure they hold ``role`` over each scope given.

    Scopes are either ``councils`` or ``region`` (the whole region). Idempotent: memberships the
    person already holds are left as they are, and other roles they hold are kept.
    Administrators are also made staff and superusers, so that the Django admin lets them in.
    """
    if role not in Role.values:
        raise ValueError(f"Unknown role {role!r}; choose one of {', '.join(Role.values)}.")
    if bool(councils) == bool(region):
        raise ValueError("Give either one or more councils or the whole region, not both.")
    user, created = User.objects.select_for_update().get_or_create(username=username)
    changed = created
    for field, value in (("first_name", first_name), ("last_name", last_name), ("email", email)):
        if value is not None and getattr(user, field) != value:
            setattr(user, field, value)
            changed = True
    if password is not None:
        if validate:
            validate_password(password, user)
        if not user.check_password(password):
            user.set_password(password)
            changed = True
    elif created:
        user.set_unusable_password()
    if role == Role.ADMINISTRATOR and not (user.is_staff and user.is_superuser):
        user.is_staff = user.is_superuser = True
        changed = True
    if changed:
        user.save()

    added = 0
    for council in councils or [None]:
        scope_region = council.region if council else region
        _, made = Membership.objects.active().get_or_create(
            user=user, role=role, council=council, region=scope_region
        )
        added += made
    user._raa_memberships = None
    outcome = "added" if created else ("updated" if changed or added else "unchanged")
    return user, outcome


def check_fields(fields: dict, allowed: tuple[str, ...], what: str) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown {what} fields: {', '.join(sorted(unknown))}")


def full_clean(record: models.Model) -> None:
    """``record.full_clean()``, except that a foreign key to a record already in hand (the
    child the service locked, the person acting) is not looked up again: Django's check is one
    query a key on every save, and the database enforces the key anyway. Unique and other
    constraints are checked as ever."""
    in_hand = {
        f.name
        for f in record._meta.concrete_fields
        if f.is_relation and f.is_cached(record) and getattr(record, f.name) is not None
    }
    errors: dict = {}
    try:
        record.clean_fields(exclude=in_hand)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        record.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    failed = set(errors)
    for check in (record.validate_unique, record.validate_constraints):
        try:
            check(exclude=failed)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def save_with_history(
    *,
    record: models.Model,
    acting_user: User,
    action: str,
    council: Council | None,
    detail: str = "",
) -> None:
    """Validate and save, with the history row (simple-history) and the audit row, in the
    caller's transaction. Raises ValidationError with a message per field."""
    full_clean(record)
    record._history_user = acting_user
    record.save()
    audit_record(
        user=acting_user,
        action=action,
        object_type=record._meta.model_name,
        object_id=record.pk,
        council=council,
        detail=detail,
    )


def case_record_create(
    *, record: models.Model, acting_user: User, council: Council | None = None
) -> models.Model:
    """Save a new case record with its history and audit rows."""
    save_with_history(
        record=record, acting_user=acting_user, action=AuditAction.CREATED, council=council
    )
    return record


def case_record_update(
    *,
    record: models.Model,
    acting_user: User,
    fields: dict,
    allowed: tuple[str, ...],
    council: Council | None = None,
) -> list[str]:
    """Change a case record; returns the names of the fields that changed. The audit row names
    the fields, not their values: the values are in the record's history, which only managers
    read."""
    check_fields(fields, allowed, record._meta.verbose_name)
    changed = [name for name, value in fields.items() if getattr(record, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(record, name, fields[name])
    save_with_history(
        record=record,
        acting_user=acting_user,
        action=AuditAction.CHANGED,
        council=council,
        detail="changed: " + ", ".join(changed),
    )
    return changed
