"""Every write to a child's record goes through here: validated, atomic, with history and audit."""

from django.db import transaction

from children.models import Child
from raa.models import Council
from raa.services import case_record_create, case_record_update, check_fields

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
    check_fields(fields, CHILD_FIELDS, "child")
    child = Child(council=council, **fields)
    return case_record_create(record=child, acting_user=acting_user, council=council)


@transaction.atomic
def child_update(*, child: Child, acting_user, **fields) -> list[str]:
    """Change a child's details; returns the names of the fields that changed."""
    return case_record_update(
        record=child,
        acting_user=acting_user,
        fields=fields,
        allowed=CHILD_FIELDS,
        council=child.council,
    )
