"""The A.8 tracking checks: on track, due within 30 days, over, met (DOMAIN.md A.1, A.8)."""

from datetime import date

from tracking.checks import DUE, MET, ON_TRACK, OVER, check
from tracking.models import TrackingThreshold

A1 = TrackingThreshold(code="a1", label="A1", amount=426, unit="days")
NATIONAL_REFERRAL = TrackingThreshold(code="ref", label="ref", amount=3, unit="months")
TODAY = date(2026, 11, 22)


def status(threshold, start, end=None, today=TODAY):
    return check(threshold, start=start, end=end, today=today, due_days=30).status


def test_a_days_threshold_is_met_at_the_threshold_and_over_the_day_after():
    # 01/01/2024 + 426 days = 02/03/2025 (2024 is a leap year: 366 days, then 31 + 28 + 1).
    assert status(A1, date(2024, 1, 1), date(2025, 3, 2)) == MET
    assert status(A1, date(2024, 1, 1), date(2025, 3, 3)) == OVER


def test_while_waiting_the_last_30_days_are_due_and_after_that_over():
    # Entered care 01/10/2025: day 426 is 01/12/2026; over from 02/12/2026, 10 days away.
    assert status(A1, date(2025, 10, 1)) == DUE
    # Entered 01/12/2025: day 426 is 31/01/2027, 70 days away: on track.
    assert status(A1, date(2025, 12, 1)) == ON_TRACK
    # Entered 21/09/2025: day 427 is 22/11/2026, today: over.
    assert status(A1, date(2025, 9, 21)) == OVER


def test_a_months_threshold_means_less_than_n_calendar_months():
    # Decision 30/11/2025: 3 months on is 28/02/2026 (clamped); a match that day is not "less
    # than 3 months", so it is over; the day before is met.
    assert status(NATIONAL_REFERRAL, date(2025, 11, 30), date(2026, 2, 27)) == MET
    assert status(NATIONAL_REFERRAL, date(2025, 11, 30), date(2026, 2, 28)) == OVER
    result = check(NATIONAL_REFERRAL, start=date(2026, 9, 1), end=None, today=TODAY, due_days=30)
    # Over from 01/12/2026, 9 days away: due.
    assert (result.status, result.over_from, result.days) == (DUE, date(2026, 12, 1), 82)


def test_household_checks_one_definition_for_every_page():
    from types import SimpleNamespace

    from tracking.checks import household_checks

    table = {
        "household_stage1": TrackingThreshold(code="household_stage1", amount=2, unit="months"),
        "household_stage2": TrackingThreshold(code="household_stage2", amount=4, unit="months"),
        "household_approval_to_match": TrackingThreshold(
            code="household_approval_to_match", amount=3, unit="months"
        ),
        "due_soon": TrackingThreshold(code="due_soon", amount=30, unit="days"),
    }

    def household(**dates):
        fields = ("registration_date", "stage1_end_date", "stage2_start_date", "approval_date")
        return SimpleNamespace(**dict.fromkeys((*fields, "left_date")) | dates)

    # Registered 01/03/2026, no Stage 1 end recorded, Stage 2 from 15/04/2026: Stage 1 ended
    # when Stage 2 began (1.5 months, less than 2: met); Stage 2 running since 15/04/2026 is
    # over from 15/08/2026 (4 months on), before today 22/11/2026.
    checks = household_checks(
        household(registration_date=date(2026, 3, 1), stage2_start_date=date(2026, 4, 15)),
        today=TODAY,
        table=table,
    )
    assert [(c.code, c.status) for c in checks] == [
        ("household_stage1", MET),
        ("household_stage2", OVER),
    ]
    # The same household having left on 01/06/2026: only the check it finished is shown.
    left = household(
        registration_date=date(2026, 3, 1),
        stage2_start_date=date(2026, 4, 15),
        left_date=date(2026, 6, 1),
    )
    assert [c.code for c in household_checks(left, today=TODAY, table=table)] == [
        "household_stage1"
    ]
    # Stage 1 10/04 (less than 2 months after 01/03), approved 10/08 (less than 4 months after
    # 15/04), matched 01/11/2026 (less than 3 months after 10/08): all met.
    approved = household(
        registration_date=date(2026, 3, 1),
        stage1_end_date=date(2026, 4, 10),
        stage2_start_date=date(2026, 4, 15),
        approval_date=date(2026, 8, 10),
    )
    checks = household_checks(approved, today=TODAY, table=table, matched=date(2026, 11, 1))
    assert [(c.code, c.status) for c in checks] == [
        ("household_stage1", MET),
        ("household_stage2", MET),
        ("household_approval_to_match", MET),
    ]
