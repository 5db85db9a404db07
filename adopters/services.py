"""Every write to a household goes through here: validated, atomic, with history and audit."""

from django.db import transaction

from adopters.models import Household
from raa.models import Region
from raa.services import case_record_create, case_record_update, check_fields
from scorecard.services import mark_councils_pending

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
    """Add a household to the region. Raises ValidationError if a field is wrong."""
    check_fields(fields, HOUSEHOLD_FIELDS, "household")
    household = Household(region=region, reference=next_reference(), **fields)
    case_record_create(record=household, acting_user=acting_user)
    _mark_pending(household)
    return household


@transaction.atomic
def household_update(*, household: Household, acting_user, **fields) -> list[str]:
    """Change a household's details; returns the names of the fields that changed."""
    before = household.recruiting_council_id
    changed = case_record_update(
        record=household, acting_user=acting_user, fields=fields, allowed=HOUSEHOLD_FIELDS
    )
    if changed:
        _mark_pending(household, also=before)
    return changed


def _mark_pending(household: Household, also: int | None = None) -> None:
    """Adopter figures count for the recruiting council and the region: mark the recruiting
    council (and the one it had before a change), or every council of the region for a
    household recruited by none of them."""
    councils = {c for c in (household.recruiting_council_id, also) if c}
    if not councils:
        councils = set(household.region.councils.values_list("id", flat=True))
    mark_councils_pending(councils)
