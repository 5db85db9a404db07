"""Every write to a household goes through here: validated, atomic, with history and audit."""

from django.db import transaction

from adopters.models import Household
from raa.models import AuditAction, Region
from raa.services import audit_record

HOUSEHOLD_FIELDS = (
    "first_applicant",
    "second_applicant",
    "recruiting_council",
    "recruited_outside_region",
    "fast_track",
    "dual_approval",
    "children_wanted",
    "enquiry_date",
    "registration_date",
    "stage1_end_date",
    "stage2_start_date",
    "panel_date",
    "approval_date",
    "left_date",
    "left_reason",
)


def next_reference() -> str:
    last = Household.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return f"H{last + 1:05d}"


@transaction.atomic
def household_create(*, region: Region, acting_user, **fields) -> Household:
    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise TypeError(f"Unknown household fields: {', '.join(sorted(unknown))}")
    household = Household(region=region, reference=next_reference(), **fields)
    household.full_clean()
    household._history_user = acting_user
    household.save()
    audit_record(
        user=acting_user,
        action=AuditAction.CREATED,
        object_type="household",
        object_id=household.pk,
    )
    return household


@transaction.atomic
def household_update(*, household: Household, acting_user, **fields) -> list[str]:
    unknown = set(fields) - set(HOUSEHOLD_FIELDS)
    if unknown:
        raise TypeError(f"Unknown household fields: {', '.join(sorted(unknown))}")
    changed = [name for name, value in fields.items() if getattr(household, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(household, name, fields[name])
    household.full_clean()
    household._history_user = acting_user
    household.save()
    audit_record(
        user=acting_user,
        action=AuditAction.CHANGED,
        object_type="household",
        object_id=household.pk,
        detail="changed: " + ", ".join(changed),
    )
    return changed
