"""Writing households, holds and family-finding steps through the services: rules refused in
plain words, history and audit, the pending marker, and link / match / placement written on
the child's journey (and the sibling group's) in one transaction."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from adopters import services
from adopters.models import Household, StageCode
from children.models import Child, JourneyEvent, Stage
from raa.freshness import RecomputeMarker
from raa.models import AuditAction, AuditEvent, Role
from tests.adopters.helpers import APPROVED, approved_household, waiting_child


@pytest.fixture
def team(world):
    return world.user(Role.SOCIAL_WORKER, "region")


def stage(household) -> str:
    return Household.objects.with_progress().get(pk=household.pk).stage_code


def test_a_household_goes_from_enquiry_to_approval_step_by_step(world, team):
    household = services.household_create(
        region=world.region,
        acting_user=team,
        first_applicant="Ash Stepper",
        enquiry_date=date(2024, 1, 8),
    )
    assert stage(household) == StageCode.ENQUIRY
    for field, day, expected in [
        ("information_event_date", date(2024, 1, 22), StageCode.INFORMATION_EVENT),
        ("registration_date", date(2024, 2, 5), StageCode.STAGE1),
        ("stage1_end_date", date(2024, 4, 2), StageCode.BETWEEN),
        ("stage2_start_date", date(2024, 4, 15), StageCode.STAGE2),
    ]:
        assert services.household_update(household=household, acting_user=team, **{field: day})
        assert stage(household) == expected
    services.household_update(
        household=household,
        acting_user=team,
        panel_date=date(2024, 8, 1),
        approval_date=date(2024, 8, 8),
    )
    assert stage(household) == StageCode.APPROVED
    # Each step kept its history, with who made it, and an audit row.
    assert household.history.count() == 6
    assert (
        AuditEvent.objects.filter(
            object_type="household", object_id=str(household.pk), action=AuditAction.CHANGED
        ).count()
        == 5
    )


def test_a_step_out_of_order_is_refused_and_nothing_is_saved(world, team):
    household = approved_household(world, team)
    with pytest.raises(ValidationError) as refused:
        services.household_update(
            household=household, acting_user=team, stage2_start_date=date(2024, 3, 1)
        )
    assert refused.value.message_dict == {
        "stage2_start_date": [
            "The start of Stage 2 (01/03/2024) is before the end of Stage 1 (02/04/2024)."
        ]
    }
    assert Household.objects.get(pk=household.pk).stage2_start_date == date(2024, 4, 15)


def test_a_late_stage_2_saves_with_a_warning_on_the_record(world, team):
    household = approved_household(
        world,
        team,
        stage2_start_date=date(2024, 11, 1),
        panel_date=date(2025, 2, 1),
        approval_date=date(2025, 2, 8),
    )
    assert services.household_warnings(household) == [
        "Stage 2 started on 01/11/2024, more than 6 months after Stage 1 ended (02/04/2024). "
        "Check the dates; if they are right, record why (the applicants normally have up to 6 "
        "months to go on to Stage 2)."
    ]


def test_on_hold_and_off_again_and_leaving_after_approval(world, team):
    household = approved_household(world, team)
    hold = services.household_hold_start(
        household=household, acting_user=team, start_date=date(2024, 9, 1), reason="health"
    )
    assert stage(household) == StageCode.ON_HOLD
    with pytest.raises(ValidationError, match="already on hold"):
        services.household_hold_start(
            household=household, acting_user=team, start_date=date(2024, 9, 5), reason="other"
        )
    services.household_hold_change(hold=hold, acting_user=team, end_date=date(2024, 10, 1))
    assert stage(household) == StageCode.APPROVED
    services.household_update(
        household=household,
        acting_user=team,
        left_date=date(2024, 12, 1),
        left_reason="circumstances",
    )
    assert stage(household) == StageCode.LEFT


def test_link_match_and_placement_write_the_milestones_on_the_childs_journey(world, team):
    household = approved_household(world, team)
    child = waiting_child(world, team, "FF001")
    RecomputeMarker.objects.all().delete()
    services.family_finding_record(
        household=household, child=child, kind="linked", date=date(2024, 9, 2), acting_user=team
    )
    assert Child.objects.get(pk=child.pk).stage == Stage.LINKED
    assert stage(household) == StageCode.LINKED
    services.family_finding_record(
        household=household,
        child=child,
        kind="matched",
        date=date(2024, 10, 10),
        panel_date=date(2024, 10, 3),
        acting_user=team,
    )
    services.family_finding_record(
        household=household, child=child, kind="placed", date=date(2024, 11, 4), acting_user=team
    )
    child.refresh_from_db()
    assert (child.stage, child.matched_date, child.placed_date) == (
        Stage.PLACED,
        date(2024, 10, 10),
        date(2024, 11, 4),
    )
    steps = JourneyEvent.objects.filter(child=child, household=household).order_by("date")
    assert [(e.kind, e.recorded_by) for e in steps] == [
        ("linked", team),
        ("matched", team),
        ("placed", team),
    ]
    assert steps[1].panel_date == date(2024, 10, 3)
    assert steps[2].placement_provider == "PR1"
    assert stage(household) == StageCode.PLACED
    # The child's council's figures are pending recompute.
    assert RecomputeMarker.objects.filter(council=world.councils["A"]).exists()


def test_a_sibling_group_is_matched_with_one_household_in_one_step(world, team):
    household = approved_household(world, team, children_wanted=2, sibling_group=True)
    older = waiting_child(world, team, "SIB01", born=date(2020, 5, 1), sibling_group="SG-T1")
    younger = waiting_child(world, team, "SIB02", sibling_group="SG-T1")
    events = services.family_finding_record(
        household=household, child=younger, kind="linked", date=date(2024, 9, 2), acting_user=team
    )
    assert {e.child_id for e in events} == {older.pk, younger.pk}
    services.family_finding_record(
        household=household,
        child=older,
        kind="matched",
        date=date(2024, 10, 10),
        panel_date=date(2024, 10, 3),
        acting_user=team,
    )
    assert set(
        Child.objects.filter(pk__in=[older.pk, younger.pk]).values_list("stage", flat=True)
    ) == {Stage.MATCHED}
    services.family_finding_record(
        household=household, child=older, kind="placed", date=date(2024, 11, 4), acting_user=team
    )
    # Both placed, together: each child's record says so.
    assert set(
        Child.objects.filter(pk__in=[older.pk, younger.pk]).values_list(
            "stage", "siblings_placed_together", "siblings_placed_apart"
        )
    ) == {(Stage.PLACED, 2, 0)}


def test_if_one_of_the_group_cannot_take_the_step_nothing_is_saved(world, team):
    household = approved_household(world, team, children_wanted=2, sibling_group=True)
    ready = waiting_child(world, team, "SIB11", sibling_group="SG-T2")
    # The brother has no ADM decision yet: his journey refuses a link.
    waiting_child(world, team, "SIB12", sibling_group="SG-T2", decision=False)
    with pytest.raises(ValidationError) as refused:
        services.family_finding_record(
            household=household,
            child=ready,
            kind="linked",
            date=date(2024, 9, 2),
            acting_user=team,
        )
    assert "Not recorded for any of the group: for Wren WaitingSIB12 (SIB12)" in str(refused.value)
    assert not JourneyEvent.objects.filter(household=household).exists()
    assert Child.objects.get(pk=ready.pk).stage == Stage.WAITING_PO


def test_a_household_cannot_take_a_bigger_group_than_it_offers(world, team):
    household = approved_household(world, team)
    child = waiting_child(world, team, "SIB21", sibling_group="SG-T3")
    waiting_child(world, team, "SIB22", sibling_group="SG-T3")
    with pytest.raises(ValidationError, match="can take up to 1 child, and this sibling group"):
        services.family_finding_record(
            household=household, child=child, kind="linked", date=date(2024, 9, 2), acting_user=team
        )
    # Linking the child alone is a choice the worker can make.
    services.family_finding_record(
        household=household,
        child=child,
        kind="linked",
        date=date(2024, 9, 2),
        acting_user=team,
        with_siblings=False,
    )


def test_a_match_before_approval_or_after_leaving_is_refused(world, team):
    household = approved_household(world, team)
    child = waiting_child(world, team, "FF002")
    with pytest.raises(ValidationError) as refused:
        services.family_finding_record(
            household=household,
            child=child,
            kind="matched",
            date=date(2024, 8, 1),
            panel_date=date(2024, 7, 25),
            acting_user=team,
        )
    assert refused.value.message_dict["household"] == [
        f"Household {household.reference} was approved on 08/08/2024, after the match date "
        "(01/08/2024): a child can be matched only with approved adopters."
    ]
    services.household_update(
        household=household, acting_user=team, left_date=date(2024, 9, 1), left_reason="withdrew"
    )
    with pytest.raises(ValidationError, match="left the process on 01/09/2024"):
        services.family_finding_record(
            household=household, child=child, kind="linked", date=date(2024, 9, 2), acting_user=team
        )
    # The child's own page refuses the same (the rule sits in the child's service too).
    from children.services import child_record_milestone

    household.refresh_from_db()
    with pytest.raises(ValidationError, match="left the process on 01/09/2024"):
        child_record_milestone(
            child=child, kind="linked", date=date(2024, 9, 2), acting_user=team, household=household
        )


def test_a_household_from_outside_the_region_makes_an_inter_agency_placement(world, team):
    household = approved_household(world, team, recruited_outside_region=True, outside_agency="PR5")
    child = waiting_child(world, team, "FF003")
    for kind, day in (("linked", date(2024, 9, 2)), ("matched", date(2024, 10, 10))):
        services.family_finding_record(
            household=household,
            child=child,
            kind=kind,
            date=day,
            panel_date=date(2024, 10, 3),
            acting_user=team,
        )
    (placed,) = services.family_finding_record(
        household=household, child=child, kind="placed", date=date(2024, 11, 4), acting_user=team
    )
    assert placed.placement_provider == "PR5"
    assert placed.get_placement_provider_display() == "Voluntary adoption agency"


def test_household_values_cover_every_field_the_form_saves():
    assert set(APPROVED) <= set(services.HOUSEHOLD_FIELDS)


def test_a_link_the_child_moved_on_from_no_longer_holds_the_household(world, team):
    first = approved_household(world, team, first_applicant="First Link")
    second = approved_household(world, team, first_applicant="Second Link")
    child = waiting_child(world, team, "FF004")
    services.family_finding_record(
        household=first, child=child, kind="linked", date=date(2024, 9, 2), acting_user=team
    )
    assert stage(first) == StageCode.LINKED
    services.family_finding_record(
        household=second, child=child, kind="linked", date=date(2024, 10, 1), acting_user=team
    )
    # The first household is free again; the second holds the link.
    assert (stage(first), stage(second)) == (StageCode.APPROVED, StageCode.LINKED)
    assert first.stage == "Approved, waiting"


def test_siblings_no_longer_to_be_adopted_are_not_moved_with_the_group(world, team):
    from children.services import child_record_milestone

    household = approved_household(world, team, children_wanted=2, sibling_group=True)
    child = waiting_child(world, team, "SIB31", sibling_group="SG-T4")
    changed = waiting_child(world, team, "SIB32", sibling_group="SG-T4")
    child_record_milestone(
        child=changed,
        kind="plan_ceased",
        date=date(2024, 6, 1),
        acting_user=team,
        ceased_reason="RD1",
    )
    events = services.family_finding_record(
        household=household, child=child, kind="linked", date=date(2024, 9, 2), acting_user=team
    )
    assert [e.child_id for e in events] == [child.pk]
