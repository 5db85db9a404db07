"""The date rules are tables of small functions, one per rule: each can be read and tested alone,
on a journey built by hand with the walk standing where the test needs it."""

from datetime import date

from children.date_rules import (
    EVENT_RULES,
    LEFT_CARE_RULES,
    ORDER_RULES,
    PERIOD_RULES,
    Journey,
    Rule,
)
from children.models import EventKind, JourneyEvent, PeriodOfCare

TABLES = {
    "period": PERIOD_RULES,
    "event": EVENT_RULES,
    "order": ORDER_RULES,
    "left care": LEFT_CARE_RULES,
}
TODAY = date(2026, 11, 22)


def rule(table: list[Rule], code: str) -> Rule:
    (found,) = [r for r in table if r.code == code]
    return found


def journey(**walk) -> Journey:
    return Journey(dob=date(2019, 1, 10), periods=[], events=[], today=TODAY, **walk)


def test_every_rule_in_the_tables_has_its_own_function_and_one_row():
    rows = [r for table in TABLES.values() for r in table]
    assert len(rows) > 40
    functions = [r.check for r in rows]
    assert all(callable(f) for f in functions)
    assert len(set(functions)) == len(functions), "a function serves two rules"
    # Between events and at leaving care, a code is one rule; a period's or an event's own
    # dates share a code over several fields ("future-date"), one row per field.
    for name in ("order", "left care"):
        codes = [r.code for r in TABLES[name]]
        assert len(set(codes)) == len(codes), f"{name}: a code twice"
    for name in ("period", "event"):
        keys = [(r.code, r.field) for r in TABLES[name]]
        assert len(set(keys)) == len(keys), f"{name}: a code twice on one field"
    # Every rule between events names the steps it checks, but the one after the order.
    assert [r.code for r in ORDER_RULES if not r.kinds] == ["after-adoption-order"]


def test_the_panel_date_after_the_match_alone():
    panel_after_match = rule(ORDER_RULES, "panel-after-match")
    match = JourneyEvent(
        pk=5, kind=EventKind.MATCHED, date=date(2021, 1, 10), panel_date=date(2021, 1, 12)
    )
    assert panel_after_match.check(journey(), match) == (
        "The matching panel date (12/01/2021) is after the ADM match decision (10/01/2021). "
        "The panel recommends before the ADM decides."
    )
    assert panel_after_match.field == "panel_date" and panel_after_match.hard
    match.panel_date = date(2021, 1, 5)
    assert panel_after_match.check(journey(), match) is None


def test_an_application_within_10_weeks_of_the_placement_alone():
    too_soon = rule(ORDER_RULES, "application-10-weeks")
    placed = JourneyEvent(pk=6, kind=EventKind.PLACED, date=date(2021, 2, 1))
    application = JourneyEvent(pk=8, kind=EventKind.ADOPTION_APPLICATION, date=date(2021, 4, 11))
    assert too_soon.check(journey(placed=placed), application) == (
        "The adoption application (11/04/2021) is less than 10 weeks after the child was placed "
        "(01/02/2021). Adopters may apply only from 12/04/2021."
    )
    assert too_soon.field == "date" and too_soon.hard
    # With no placement in force, it is the other rule's to say.
    assert too_soon.check(journey(), application) is None


def test_a_placement_after_the_plan_ended_alone():
    needs_decision = rule(ORDER_RULES, "551-placed-needs-decision")
    ceased = JourneyEvent(pk=3, kind=EventKind.PLAN_CEASED, date=date(2020, 8, 1))
    placed = JourneyEvent(pk=6, kind=EventKind.PLACED, date=date(2021, 2, 1))
    assert needs_decision.check(journey(last_ceased=ceased), placed) == (
        "The plan for adoption ended on 01/08/2020, so there is no ADM decision in force for the "
        "placement for adoption on 01/02/2021. Record a new ADM decision first."
    )
    decision = JourneyEvent(pk=2, kind=EventKind.ADM_DECISION, date=date(2020, 6, 1))
    assert needs_decision.check(journey(decision=decision), placed) is None


def test_a_period_starting_before_the_one_before_ended_alone():
    overlap = rule(PERIOD_RULES, "periods-overlap")
    first = PeriodOfCare(pk=1, entered_care=date(2020, 1, 15), left_care=date(2021, 8, 1))
    second = PeriodOfCare(pk=2, entered_care=date(2021, 7, 1))
    both = Journey(dob=None, periods=[first, second], events=[], today=TODAY)
    assert overlap.check(both, first) is None
    assert overlap.check(both, second) == (
        "The period of care starting 01/07/2021 overlaps the one from 15/01/2020 to 01/08/2021. "
        "A child comes back into care only after they left it."
    )
    assert overlap.field == "entered_care"
