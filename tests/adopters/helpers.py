"""Households and waiting children for the adopters tests, written through the services."""

from datetime import date

from adopters import services
from children import services as child_services
from children.models import Authority, EventKind

APPROVED = {
    "first_applicant": "Quinn Example",
    "first_applicant_sex": "F",
    "second_applicant": "Robin Example",
    "second_applicant_sex": "M",
    "legal_status": "L11",
    "enquiry_date": date(2024, 1, 8),
    "information_event_date": date(2024, 1, 22),
    "registration_date": date(2024, 2, 5),
    "stage1_end_date": date(2024, 4, 2),
    "stage2_start_date": date(2024, 4, 15),
    "panel_date": date(2024, 8, 1),
    "approval_date": date(2024, 8, 8),
    "youngest_age": 0,
    "oldest_age": 6,
    "children_wanted": 1,
    # The offer, all discussed (the values a new household used to be given by default).
    "sibling_group": False,
    "sex_preference": "A",
    "health_needs": 1,
    "disability_needs": 0,
    "developmental_uncertainty": 1,
    "contact": 1,
}


#: A household in Stage 2 since 15/04/2024, not yet approved: approval is expected 4 months on
#: (DOMAIN.md A.6), 15/08/2024. For early links (issue 20 item 11).
IN_STAGE_2 = {
    "first_applicant": "Avery Assessing",
    "enquiry_date": date(2024, 1, 8),
    "registration_date": date(2024, 2, 5),
    "stage1_end_date": date(2024, 4, 2),
    "stage2_start_date": date(2024, 4, 15),
    "youngest_age": 0,
    "oldest_age": 8,
}


def in_stage_2(world, user, **changes):
    return services.household_create(
        region=world.region, acting_user=user, **{**IN_STAGE_2, **changes}
    )


def approved_household(world, user, **changes):
    return services.household_create(
        region=world.region, acting_user=user, **{**APPROVED, **changes}
    )


def waiting_child(
    world,
    user,
    child_id: str,
    *,
    born=date(2022, 3, 1),
    council="A",
    sibling_group: str | None = None,
    decision=True,
    **fields,
):
    """A child who entered care on 01/06/2023, with an ADM decision (01/12/2023) and a placement
    order (01/03/2024): waiting for a family."""
    child = child_services.child_create(
        council=world.councils[council],
        acting_user=user,
        child_id=child_id,
        first_name="Wren",
        last_name=f"Waiting{child_id}",
        date_of_birth=born,
        sibling_group_reference=sibling_group,
        **fields,
    )
    child_services.period_of_care_add(child=child, acting_user=user, entered_care=date(2023, 6, 1))
    if decision:
        child_services.child_record_milestone(
            child=child, kind=EventKind.ADM_DECISION, date=date(2023, 12, 1), acting_user=user
        )
        child_services.child_record_milestone(
            child=child,
            kind=EventKind.PLACEMENT_ORDER,
            date=date(2024, 3, 1),
            acting_user=user,
            authority=Authority.PLACEMENT_ORDER,
        )
    child.refresh_from_db()
    return child
