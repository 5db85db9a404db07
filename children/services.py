"""Every write to a child's record goes through here: validated, atomic, with history and audit."""

from django.db import transaction

from children.models import Child
from raa.models import AuditAction, Council
from raa.services import audit_record

CHILD_FIELDS = (
    "child_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "disabled",
    "upn",
    "allocated_social_worker",
    "sibling_group",
)


@transaction.atomic
def child_create(*, council: Council, acting_user, **fields) -> Child:
    """Add a child to a council. Raises ValidationError if a field or the child ID is wrong."""
    unknown = set(fields) - set(CHILD_FIELDS)
    if unknown:
        raise TypeError(f"Unknown child fields: {', '.join(sorted(unknown))}")
    child = Child(council=council, **fields)
    child.full_clean()
    child._history_user = acting_user
    child.save()
    audit_record(
        user=acting_user,
        action=AuditAction.CREATED,
        object_type="child",
        object_id=child.pk,
        council=council,
    )
    return child


@transaction.atomic
def child_update(*, child: Child, acting_user, **fields) -> list[str]:
    """Change a child's details; returns the names of the fields that changed (logged, not their
    values: the values are in the record's history, which only managers read)."""
    unknown = set(fields) - set(CHILD_FIELDS)
    if unknown:
        raise TypeError(f"Unknown child fields: {', '.join(sorted(unknown))}")
    changed = [name for name, value in fields.items() if getattr(child, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(child, name, fields[name])
    child.full_clean()
    child._history_user = acting_user
    child.save()
    audit_record(
        user=acting_user,
        action=AuditAction.CHANGED,
        object_type="child",
        object_id=child.pk,
        council=child.council,
        detail="changed: " + ", ".join(changed),
    )
    return changed
