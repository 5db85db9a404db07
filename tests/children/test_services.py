"""Writing a child's journey through the services: rules, history, audit, the derived stage,
the pending-recompute marker, concurrent edits, withdrawing and closing."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from children import services
from children.models import (
    Authority,
    Child,
    DataQualityFlag,
    EventKind,
    JourneyEvent,
    PeriodOfCare,
    Stage,
)
from raa.freshness import RecomputeMarker
from raa.models import AuditEvent, Region, Role
from tests.factories import HouseholdFactory

K = EventKind


@pytest.fixture
def worker(world):
    return world.user(Role.SOCIAL_WORKER, "A")


@pytest.fixture
def household(world):
    return HouseholdFactory(region=world.region, approval_date=date(2020, 10, 1))


@pytest.fixture
def child(world, worker):
    """A child of council A who entered care on 15/01/2020."""
    child = services.child_create(
        council=world.councils["A"],
        acting_user=worker,
        child_id="S0001",
        first_name="Sam",
        last_name="Servicetest",
        date_of_birth=date(2019, 1, 10),
    )
    services.period_of_care_add(
        child=child, acting_user=worker, entered_care=date(2020, 1, 15), legal_status="C2"
    )
    return child


def record(child, worker, kind, day, **details):
    return services.child_record_milestone(
        child=child, kind=kind, date=day, acting_user=worker, **details
    )


def placed_with(child, worker, household) -> None:
    """ADM decision 01/06/2020, placement order 01/09/2020, matched 10/01/2021 (panel 05/01),
    placed 01/02/2021."""
    record(child, worker, K.ADM_DECISION, date(2020, 6, 1))
    record(child, worker, K.PLACEMENT_ORDER, date(2020, 9, 1), authority=Authority.PLACEMENT_ORDER)
    record(
        child,
        worker,
        K.MATCHED,
        date(2021, 1, 10),
        household=household,
        panel_date=date(2021, 1, 5),
    )
    record(child, worker, K.PLACED, date(2021, 2, 1), household=household, placement_provider="PR1")


def stage_of(child) -> str:
    return Child.objects.get(pk=child.pk).stage


def test_the_whole_journey_moves_the_stage_and_the_order_ends_care(child, worker, household):
    assert stage_of(child) == Stage.NO_DECISION
    record(child, worker, K.ADM_DECISION, date(2020, 6, 1))
    assert stage_of(child) == Stage.WAITING
    record(child, worker, K.PLACEMENT_ORDER, date(2020, 9, 1), authority=Authority.PLACEMENT_ORDER)
    assert stage_of(child) == Stage.WAITING_PO
    record(child, worker, K.LINKED, date(2020, 12, 1), household=household)
    assert stage_of(child) == Stage.LINKED
    record(
        child,
        worker,
        K.MATCHED,
        date(2021, 1, 10),
        household=household,
        panel_date=date(2021, 1, 5),
    )
    assert stage_of(child) == Stage.MATCHED
    record(
        child,
        worker,
        K.PLACED,
        date(2021, 2, 1),
        household=household,
        placement_provider="PR1",
    )
    assert stage_of(child) == Stage.PLACED
    record(child, worker, K.ADOPTION_APPLICATION, date(2021, 5, 1), household=household)
    record(child, worker, K.ADOPTION_ORDER, date(2021, 8, 1), household=household)
    stored = Child.objects.get(pk=child.pk)
    assert stored.stage == Stage.ADOPTED
    assert (stored.entered_care_date, stored.placed_date, stored.adoption_order_date) == (
        date(2020, 1, 15),
        date(2021, 2, 1),
        date(2021, 8, 1),
    )
    period = PeriodOfCare.objects.get(child=child)
    assert (period.left_care, period.left_care_reason) == (date(2021, 8, 1), "E11")
    assert not DataQualityFlag.objects.filter(child=child).exists()
    # Each step has its history row (who recorded it) and an audit row naming no one.
    assert JourneyEvent.history.filter(child_id=child.pk, history_user=worker).count() == 7
    audit = AuditEvent.objects.filter(object_type="journeyevent", user=worker, action="created")
    assert audit.count() >= 7
    assert all("Sam" not in a.detail for a in audit)


def test_a_broken_hard_rule_refuses_the_step_with_its_message_and_saves_nothing(child, worker):
    record(child, worker, K.ADM_DECISION, date(2020, 6, 1))
    version = Child.objects.get(pk=child.pk).version
    with pytest.raises(ValidationError) as refused:
        record(
            child, worker, K.PLACEMENT_ORDER, date(2020, 5, 1), authority=Authority.PLACEMENT_ORDER
        )
    assert refused.value.message_dict["date"] == [
        "The placement order date (01/05/2020) is before the ADM decision that the child should "
        "be placed for adoption (01/06/2020). The ADM decision comes first."
    ]
    assert not JourneyEvent.objects.filter(child=child, kind=K.PLACEMENT_ORDER).exists()
    assert Child.objects.get(pk=child.pk).version == version


def test_a_date_before_entering_care_is_refused_in_the_words_of_the_brief(child, worker):
    record(child, worker, K.ADM_DECISION, date(2020, 6, 1))
    # A data-entry slip: the placement order typed with the wrong year.
    with pytest.raises(ValidationError) as refused:
        record(
            child, worker, K.PLACEMENT_ORDER, date(2019, 3, 12), authority=Authority.PLACEMENT_ORDER
        )
    assert (
        "The placement order date (12/03/2019) is before the date the child entered care "
        "(15/01/2020)." in refused.value.message_dict["date"]
    )


def test_a_soft_rule_saves_and_flags_the_record(child, worker, household):
    record(child, worker, K.ADM_DECISION, date(2020, 6, 1))
    record(child, worker, K.PERMANENCE_DECISION, date(2020, 6, 20))  # after the ADM decision
    (flag,) = DataQualityFlag.objects.filter(child=child)
    assert flag.rule == "permanence-after-adm" and not flag.hard
    assert "is after the ADM decision (01/06/2020)" in flag.message


def test_every_save_marks_the_council_pending_in_the_same_transaction(child, worker, world):
    RecomputeMarker.objects.all().delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        record(child, worker, K.ADM_DECISION, date(2020, 6, 1))
        assert RecomputeMarker.objects.filter(council=world.councils["A"]).exists()
        raise RuntimeError("the request failed after the save")
    # Rolled back together: no step, no marker.
    assert not JourneyEvent.objects.filter(child=child).exists()
    assert not RecomputeMarker.objects.exists()
    record(child, worker, K.ADM_DECISION, date(2020, 6, 1))
    first = RecomputeMarker.objects.get(council=world.councils["A"]).requested_at
    services.child_update(child=child, acting_user=worker, upn="A123456789012")
    # Still one marker per council; it holds the time of the latest change.
    (marker,) = RecomputeMarker.objects.all()
    assert marker.requested_at >= first


def test_a_save_over_someone_elses_newer_change_is_refused(child, worker, world):
    opened_at = Child.objects.get(pk=child.pk).version
    colleague = world.user(Role.TEAM_MANAGER, "A")
    record(child, colleague, K.ADM_DECISION, date(2020, 6, 1))
    with pytest.raises(services.RecordChanged) as changed:
        services.child_record_milestone(
            child=child,
            kind=K.PERMANENCE_DECISION,
            date=date(2020, 5, 1),
            acting_user=worker,
            expected_version=opened_at,
        )
    assert changed.value.child.version == opened_at + 1
    assert not JourneyEvent.objects.filter(child=child, kind=K.PERMANENCE_DECISION).exists()
    # Opened again at the current version, the same entry saves.
    record(child, worker, K.PERMANENCE_DECISION, date(2020, 5, 1))


def test_correcting_a_date_keeps_the_old_value_in_history(child, worker):
    decision = record(child, worker, K.ADM_DECISION, date(2020, 7, 1))
    changed = services.journey_event_correct(
        event=decision, acting_user=worker, date=date(2020, 6, 1)
    )
    assert changed == ["date"]
    dates = list(
        JourneyEvent.history.filter(id=decision.pk)
        .order_by("history_id")
        .values_list("date", flat=True)
    )
    assert dates == [date(2020, 7, 1), date(2020, 6, 1)]
    assert Child.objects.get(pk=child.pk).adm_decision_date == date(2020, 6, 1)


def test_correcting_the_adoption_order_date_moves_the_end_of_care_with_it(child, worker, household):
    placed_with(child, worker, household)
    record(child, worker, K.ADOPTION_APPLICATION, date(2021, 5, 1))
    order = record(child, worker, K.ADOPTION_ORDER, date(2021, 8, 1), left_care_reason="E12")
    services.journey_event_correct(event=order, acting_user=worker, date=date(2021, 8, 9))
    period = PeriodOfCare.objects.get(child=child)
    assert (period.left_care, period.left_care_reason) == (date(2021, 8, 9), "E12")
    assert not DataQualityFlag.objects.filter(child=child).exists()


def test_a_correction_that_breaks_a_rule_is_refused(child, worker):
    decision = record(child, worker, K.ADM_DECISION, date(2020, 6, 1))
    record(child, worker, K.PLACEMENT_ORDER, date(2020, 9, 1), authority=Authority.PLACEMENT_ORDER)
    with pytest.raises(ValidationError) as refused:
        services.journey_event_correct(event=decision, acting_user=worker, date=date(2020, 10, 1))
    assert any("before the ADM decision" in m for m in refused.value.messages)
    assert JourneyEvent.objects.get(pk=decision.pk).date == date(2020, 6, 1)


def test_a_step_recorded_in_error_is_withdrawn_not_deleted(child, worker):
    decision = record(child, worker, K.ADM_DECISION, date(2020, 6, 1))
    order = record(
        child, worker, K.PLACEMENT_ORDER, date(2020, 9, 1), authority=Authority.PLACEMENT_ORDER
    )
    with pytest.raises(ValidationError) as refused:
        services.journey_event_withdraw(event=decision, acting_user=worker, reason="wrong child")
    assert "cannot be withdrawn while later steps depend on it" in refused.value.messages[0]
    services.journey_event_withdraw(event=order, acting_user=worker, reason="wrong child")
    assert list(JourneyEvent.objects.filter(child=child)) == [decision]
    kept = JourneyEvent.all_objects.get(pk=order.pk)
    assert kept.entered_in_error and kept.withdrawn_reason == "wrong child"
    assert Child.objects.get(pk=child.pk).stage == Stage.WAITING


def test_a_closed_record_stays_but_cannot_be_changed_until_reopened(child, worker, world):
    services.child_close(child=child, acting_user=worker, reason="duplicate")
    assert Child.objects.filter(pk=child.pk, closed_on__isnull=False).exists()
    with pytest.raises(ValidationError) as refused:
        record(child, worker, K.ADM_DECISION, date(2020, 6, 1))
    assert "This record was closed on" in refused.value.messages[0]
    services.child_reopen(child=child, acting_user=world.user(Role.TEAM_MANAGER, "A"))
    record(child, worker, K.ADM_DECISION, date(2020, 6, 1))


def test_leaving_care_while_the_plan_is_adoption_needs_the_change_of_plan_first(child, worker):
    record(child, worker, K.ADM_DECISION, date(2020, 6, 1))
    period = PeriodOfCare.objects.get(child=child)
    with pytest.raises(ValidationError) as refused:
        services.period_of_care_update(
            period=period, acting_user=worker, left_care=date(2021, 3, 1), left_care_reason="E45"
        )
    assert (
        "while the ADM decision of 01/06/2020 was still in force"
        in (refused.value.message_dict["left_care"][0])
    )
    record(child, worker, K.PLAN_CEASED, date(2021, 2, 1), ceased_reason="RD1")
    services.period_of_care_update(
        period=period, acting_user=worker, left_care=date(2021, 3, 1), left_care_reason="E45"
    )
    assert stage_of(child) == Stage.PLAN_CHANGED


def test_a_disruption_sends_the_child_back_to_waiting_until_placed_again(child, worker, household):
    other = HouseholdFactory(region=household.region, approval_date=date(2021, 1, 1))
    placed_with(child, worker, household)
    record(child, worker, K.DISRUPTION, date(2021, 4, 1), disruption_reason="CLOSE")
    assert stage_of(child) == Stage.WAITING_PO
    record(
        child, worker, K.MATCHED, date(2021, 9, 1), household=other, panel_date=date(2021, 8, 25)
    )
    record(child, worker, K.PLACED, date(2021, 9, 20), household=other, placement_provider="PR1")
    stored = Child.objects.get(pk=child.pk)
    assert (stored.stage, stored.placed_date) == (Stage.PLACED, date(2021, 9, 20))


def test_a_problem_the_record_already_had_does_not_block_an_unrelated_step(child, worker):
    """Records imported from a council's history may break a hard rule; a social worker can
    still record the next step (the problem stays on the data-quality list)."""
    JourneyEvent.objects.create(
        child=child,
        kind=K.PLACEMENT_ORDER,
        date=date(2020, 3, 1),
        authority="placement_order",
        recorded_by=worker,
    )
    services.refresh_quality_flags([child.pk])
    assert DataQualityFlag.objects.filter(child=child, hard=True).exists()
    record(child, worker, K.PERMANENCE_DECISION, date(2020, 5, 1))


def test_a_date_of_birth_after_the_journey_began_is_refused(child, worker):
    record(child, worker, K.ADM_DECISION, date(2020, 6, 1))
    with pytest.raises(ValidationError) as refused:
        services.child_update(child=child, acting_user=worker, date_of_birth=date(2020, 3, 1))
    assert refused.value.message_dict["date_of_birth"] == [
        "The date the child entered care (15/01/2020) is before their date of birth (01/03/2020)."
    ]


def test_a_household_of_another_region_cannot_be_named(child, worker):
    elsewhere = HouseholdFactory(region=Region.objects.create(name="Another agency"))
    record(child, worker, K.ADM_DECISION, date(2020, 6, 1))
    with pytest.raises(ValidationError) as refused:
        record(child, worker, K.LINKED, date(2020, 7, 1), household=elsewhere)
    assert refused.value.message_dict["household"] == ["That household belongs to another region."]
