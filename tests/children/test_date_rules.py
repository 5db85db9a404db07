"""Every date rule of DOMAIN.md Part B §3.2 (and the practical order after it), one case each.

Each case starts from one complete, correct journey and breaks one thing. The journeys are held
in memory (unsaved model instances), as the services hold a change before saving it.
"""

from datetime import date, timedelta

import pytest

from children.date_rules import check_journey
from children.models import Authority, EventKind, JourneyEvent, PeriodOfCare

K = EventKind
TODAY = date(2026, 11, 22)
DOB = date(2019, 1, 10)


def period(entered, left=None, reason="", pk=1):
    return PeriodOfCare(pk=pk, entered_care=entered, left_care=left, left_care_reason=reason)


def event(kind, day, pk, **details):
    return JourneyEvent(pk=pk, kind=kind, date=day, **details)


def good_journey():
    """Entered care 15/01/2020 → permanence decision → ADM decision 01/06/2020 → placement order
    01/09/2020 → linked → matched 10/01/2021 (panel 05/01) → placed 01/02/2021 → application
    01/05/2021 (10 weeks after placement: 12/04/2021) → adoption order 01/08/2021."""
    periods = [period(date(2020, 1, 15), date(2021, 8, 1), "E11")]
    events = [
        event(K.PERMANENCE_DECISION, date(2020, 5, 1), 1),
        event(K.ADM_DECISION, date(2020, 6, 1), 2),
        event(K.PLACEMENT_ORDER, date(2020, 9, 1), 3, authority=Authority.PLACEMENT_ORDER),
        event(K.LINKED, date(2020, 12, 1), 4, household_id=7),
        event(K.MATCHED, date(2021, 1, 10), 5, household_id=7, panel_date=date(2021, 1, 5)),
        event(
            K.PLACED,
            date(2021, 2, 1),
            6,
            household_id=7,
            placement_provider="PR1",
        ),
        event(K.ADOPTION_APPLICATION, date(2021, 5, 1), 8, household_id=7),
        event(K.ADOPTION_ORDER, date(2021, 8, 1), 9, household_id=7),
    ]
    return {"date_of_birth": DOB, "periods": periods, "events": events}


def findings(journey):
    return check_journey(**journey, today=TODAY)


def by_pk(journey, pk):
    return next(e for e in journey["events"] if e.pk == pk)


def without(journey, *pks):
    journey["events"] = [e for e in journey["events"] if e.pk not in pks]
    return journey


def with_date(journey, pk, day):
    by_pk(journey, pk).date = day
    return journey


def added(journey, *events):
    journey["events"] += list(events)
    return journey


def test_the_complete_journey_breaks_no_rule():
    assert findings(good_journey()) == []


# (rule, hard?, how the journey is broken, words the message must hold)
CASES = [
    (
        "date-before-1990",
        True,
        lambda j: j.update(date_of_birth=date(1, 1, 1)) or j,
        "The date of birth (01/01/0001) is before 1990",
    ),
    (
        "date-before-1990",
        True,
        lambda j: with_date(j, 1, date(1989, 5, 1)),
        "The permanence decision date (01/05/1989) is before 1990",
    ),
    (
        "birth-long-before-care",
        True,
        lambda j: j.update(date_of_birth=date(1994, 12, 31)) or j,
        "The date of birth (31/12/1994) is more than 25 years before the child entered care "
        "(15/01/2020)",
    ),
    (
        "future-date",
        True,
        lambda j: added(
            without(j, 9), event(K.ADOPTION_ORDER, TODAY + timedelta(days=1), 9, household_id=7)
        ),
        "The adoption order date (23/11/2026) is in the future",
    ),
    (
        "184-before-birth",
        True,
        lambda j: with_date(j, 2, date(2018, 12, 1)),
        "The ADM decision date (01/12/2018) is before the child's date of birth (10/01/2019)",
    ),
    (
        "1003-in-care",
        True,
        lambda j: with_date(j, 2, date(2019, 12, 1)),
        "The ADM decision date (01/12/2019) is before the date the child entered care (15/01/2020)",
    ),
    (
        "1003-in-care",
        True,
        lambda j: j.update(periods=[]) or j,
        "Record when the child entered care before recording the permanence decision",
    ),
    (
        "579-decisions-overlap",
        True,
        lambda j: added(j, event(K.ADM_DECISION, date(2020, 7, 1), 20)),
        "There is already an ADM decision in force (made 01/06/2020)",
    ),
    (
        "522-ceased-before-decision",
        True,
        lambda j: added(
            without(j, 2, 3, 4, 5, 6, 8, 9),
            event(K.PLAN_CEASED, date(2020, 7, 1), 20, ceased_reason="RD1"),
        ),
        "has no ADM decision in force to end",
    ),
    (
        "563-ceased-reason",
        True,
        lambda j: added(without(j, 3, 4, 5, 6, 8, 9), event(K.PLAN_CEASED, date(2020, 7, 1), 20)),
        "Give the reason the child should no longer be placed for adoption (RD1 to RD4)",
    ),
    (
        "553-authority-needs-decision",
        True,
        lambda j: with_date(j, 3, date(2020, 5, 20)),
        "The placement order date (20/05/2020) is before the ADM decision that the child "
        "should be placed for adoption (01/06/2020)",
    ),
    (
        "445-freeing-order",
        True,
        lambda j: setattr(by_pk(j, 3), "authority", Authority.FREEING_ORDER) or j,
        "freeing orders ended on 30/12/2005",
    ),
    (
        "446-placement-order",
        True,
        lambda j: {
            "date_of_birth": date(2001, 1, 1),
            "periods": [period(date(2002, 1, 1))],
            "events": [
                event(K.ADM_DECISION, date(2003, 1, 1), 1),
                event(K.PLACEMENT_ORDER, date(2004, 1, 1), 2, authority=Authority.PLACEMENT_ORDER),
            ],
        },
        "placement orders began on 30/12/2005",
    ),
    (
        "authority-kind",
        True,
        lambda j: setattr(by_pk(j, 3), "authority", "") or j,
        "Say whether the authority to place is a placement order or parental consent",
    ),
    (
        "link-needs-decision",
        True,
        lambda j: with_date(j, 4, date(2020, 5, 2)),
        "The link date (02/05/2020) is before the ADM decision",
    ),
    (
        "333-match-before-decision",
        True,
        lambda j: without(j, 2, 3, 4, 6, 8, 9),
        "The match needs an ADM decision that the child should be placed for adoption on or "
        "before it",
    ),
    (
        "match-before-authority",
        True,
        lambda j: with_date(j, 3, date(2021, 1, 20)),
        "The match date (10/01/2021) is before the placement order (20/01/2021). A match follows "
        "the court's authority to place, except in Fostering for Adoption",
    ),
    (
        "panel-after-match",
        True,
        lambda j: setattr(by_pk(j, 5), "panel_date", date(2021, 1, 12)) or j,
        "The matching panel date (12/01/2021) is after the ADM match decision (10/01/2021)",
    ),
    (
        "panel-before-decision",
        True,
        lambda j: setattr(by_pk(j, 5), "panel_date", date(2020, 5, 12)) or j,
        "The matching panel date (12/05/2020) is before the ADM decision",
    ),
    (
        "331-placed-before-match",
        True,
        lambda j: with_date(j, 6, date(2021, 1, 9)),
        "The date placed for adoption (09/01/2021) has no match on or before it",
    ),
    (
        "408-placed-without-authority",
        True,
        lambda j: (
            without(j, 3)
            and added(
                j,
                event(K.FFA_DECISION, date(2020, 3, 1), 30),
                event(K.PLACEMENT_ORDER, date(2021, 3, 1), 31, authority=Authority.PLACEMENT_ORDER),
            )
        ),
        "The date placed for adoption (01/02/2021) is before the placement order (01/03/2021). "
        "A child is placed for adoption only with a placement order or consent",
    ),
    (
        "already-placed",
        True,
        lambda j: added(j, event(K.PLACED, date(2021, 3, 1), 40, household_id=7)),
        "The date placed for adoption (01/03/2021) cannot be recorded: the child was already "
        "placed for adoption on 01/02/2021. The child was adopted on 01/08/2021.",
    ),
    (
        "match-household-confirmed",
        False,
        lambda j: (
            setattr(by_pk(j, 5), "household_warning", "Household H1 is already matched.") or j
        ),
        "Matched on 10/01/2021 after a warning, confirmed when recorded: Household H1 is already",
    ),
    (
        "placed-other-household",
        False,
        lambda j: setattr(by_pk(j, 6), "household_id", 8) or j,
        "placed on 01/02/2021 with a different household from the one matched on 10/01/2021",
    ),
    (
        "foster-carer-since",
        True,
        lambda j: setattr(by_pk(j, 6), "foster_carer_adoption", True) or j,
        "Give the date the child started living with these carers",
    ),
    (
        "foster-carer-since",
        True,
        lambda j: (
            [
                setattr(by_pk(j, 6), "foster_carer_adoption", True),
                setattr(by_pk(j, 6), "living_with_carers_since", date(2019, 6, 1)),
            ]
            and j
        ),
        "The date the child started living with these carers (01/06/2019) is before the child "
        "entered care (15/01/2020)",
    ),
    (
        "335-foster-carer",
        True,
        lambda j: setattr(by_pk(j, 6), "living_with_carers_since", date(2020, 6, 1)) or j,
        "only for a child adopted by their foster carers",
    ),
    (
        "disruption-without-placement",
        True,
        lambda j: added(j, event(K.DISRUPTION, date(2021, 1, 20), 50, disruption_reason="OTHER")),
        "The disruption (20/01/2021) has no placement for adoption in force",
    ),
    (
        "application-10-weeks",
        True,
        lambda j: with_date(j, 8, date(2021, 4, 11)),
        "The adoption application (11/04/2021) is less than 10 weeks after the child was placed "
        "(01/02/2021). Adopters may apply only from 12/04/2021",
    ),
    (
        "application-without-placement",
        True,
        lambda j: added(
            without(j, 8, 9),
            event(K.DISRUPTION, date(2021, 3, 1), 50, disruption_reason="CLOSE"),
            event(K.ADOPTION_APPLICATION, date(2021, 6, 1), 51),
        ),
        "The adoption application (01/06/2021) has no placement for adoption in force",
    ),
    (
        "558-adopted-plan-ceased",
        True,
        lambda j: added(j, event(K.PLAN_CEASED, date(2021, 7, 1), 60, ceased_reason="RD4")),
        "the plan for adoption ended on 01/07/2021",
    ),
    (
        "390-adopted-not-placed",
        True,
        lambda j: without(j, 6, 8),
        "The adoption order (01/08/2021) needs a placement for adoption in force before it",
    ),
    (
        "after-adoption-order",
        True,
        lambda j: with_date(j, 8, date(2021, 8, 5)),
        "The child was adopted on 01/08/2021; no step of the journey can follow the adoption "
        "order (the adoption application is dated 05/08/2021)",
    ),
    (
        "551-placed-needs-decision",
        True,
        lambda j: without(j, 2, 3, 4, 5, 8, 9),
        "The placement for adoption needs an ADM decision",
    ),
    (
        "386-adopted-over-18",
        True,
        lambda j: j.update(date_of_birth=date(2003, 8, 1)) or j,
        "is on or after the child's 18th birthday (01/08/2021)",
    ),
    (
        "ao-10-weeks",
        False,
        lambda j: with_date(without(j, 8), 9, date(2021, 3, 1)),
        "The adoption order (01/03/2021) is less than 10 weeks after the child was placed",
    ),
    (
        "582-order-on-match-date",
        False,
        lambda j: (
            [with_date(j, 6, date(2021, 1, 10)), with_date(without(j, 8), 9, date(2021, 1, 10))]
            and j
        ),
        "The adoption order is dated the same day as the match (10/01/2021)",
    ),
    (
        "ao-without-application",
        False,
        lambda j: without(j, 8),
        "No adoption application is recorded before the adoption order (01/08/2021)",
    ),
    (
        "after-adoption-order",
        True,
        lambda j: added(j, event(K.DISRUPTION, date(2021, 8, 2), 70, disruption_reason="OTHER")),
        "The child was adopted on 01/08/2021; no step of the journey can follow",
    ),
    (
        "permanence-after-adm",
        False,
        lambda j: with_date(j, 1, date(2020, 6, 15)),
        "The permanence decision (15/06/2020) is after the ADM decision (01/06/2020)",
    ),
    (
        "ffa-placement-before-decision",
        True,
        lambda j: added(j, event(K.FFA_PLACEMENT, date(2020, 3, 1), 80)),
        "needs the FfA / concurrent planning decision on or before it",
    ),
    (
        "care-before-birth",
        True,
        lambda j: j.update(periods=[period(date(2018, 1, 1), date(2021, 8, 1), "E11")]) or j,
        "The date the child entered care (01/01/2018) is before their date of birth (10/01/2019)",
    ),
    (
        "left-before-entered",
        True,
        lambda j: j.update(periods=[period(date(2020, 1, 15), date(2019, 8, 1), "E11")]) or j,
        "The date the child left care (01/08/2019) is before the date they entered care",
    ),
    (
        "left-care-reason",
        True,
        lambda j: j.update(periods=[period(date(2020, 1, 15), date(2021, 8, 1))]) or j,
        "Say why the child left care",
    ),
    (
        "periods-overlap",
        True,
        lambda j: j["periods"].append(period(date(2021, 7, 1), pk=2)) or j,
        "The period of care starting 01/07/2021 overlaps the one from 15/01/2020 to 01/08/2021",
    ),
    (
        "periods-overlap",
        True,
        lambda j: (
            j.update(periods=[period(date(2019, 3, 1), pk=2), period(date(2020, 1, 15))]) or j
        ),
        "The period of care from 01/03/2019 has no date the child left care",
    ),
    (
        "future-date",
        True,
        lambda j: j.update(periods=[period(TODAY + timedelta(days=3))], events=[]) or j,
        "The date the child entered care (25/11/2026) is in the future",
    ),
    (
        "557-left-care-plan-open",
        True,
        lambda j: (
            without(j, 4, 5, 6, 8, 9)
            and j.update(periods=[period(date(2020, 1, 15), date(2021, 3, 1), "E45")])
            or j
        ),
        "The child left care on 01/03/2021 while the ADM decision of 01/06/2020 was still in force",
    ),
    (
        "left-care-adopted-no-order",
        False,
        lambda j: without(j, 9),
        "The child left care by adoption on 01/08/2021, but no adoption order is recorded",
    ),
]


@pytest.mark.parametrize(
    "rule,hard,break_it,words", CASES, ids=[f"{c[0]}-{n}" for n, c in enumerate(CASES)]
)
def test_each_rule_names_itself_in_plain_words(rule, hard, break_it, words):
    found = findings(break_it(good_journey()))
    matching = [f for f in found if f.rule == rule]
    assert matching, f"{rule} not found in {[f.rule for f in found]}"
    assert any(words in f.message for f in matching), [f.message for f in matching]
    assert all(f.hard is hard for f in matching)


def test_every_rule_in_the_rules_module_has_a_case():
    import re
    from pathlib import Path

    source = Path(__file__).parents[2].joinpath("children/date_rules.py").read_text()
    # Rule codes are the first argument of a Finding(...) or of a rule table's decorator
    # (@_order_rule("...") and the like)
    named = set(re.findall(r'(?:Finding|_rule)\(\s*"([a-z0-9-]+)"', source))
    tested = {case[0] for case in CASES}
    assert named, "no rule codes found"
    assert named <= tested, f"rules without a test: {sorted(named - tested)}"


def test_fostering_for_adoption_may_match_and_live_with_carers_before_the_order():
    """FfA: the child moves to dual-approved carers before the placement order; the match may
    come before the order too. Only the placement for adoption itself needs the order."""
    j = good_journey()
    j["events"] = [e for e in j["events"] if e.pk not in (3, 4, 5)]
    j["events"] += [
        event(K.FFA_DECISION, date(2020, 2, 1), 30),
        event(K.FFA_PLACEMENT, date(2020, 2, 20), 31, household_id=7),
        event(K.MATCHED, date(2020, 8, 1), 32, household_id=7, panel_date=date(2020, 7, 20)),
        event(K.PLACEMENT_ORDER, date(2020, 9, 1), 33, authority=Authority.PLACEMENT_ORDER),
    ]
    placed = by_pk(j, 6)
    placed.foster_carer_adoption = True
    placed.living_with_carers_since = date(2020, 2, 20)
    assert findings(j) == []


def test_consent_is_authority_to_place_without_a_placement_order():
    j = good_journey()
    by_pk(j, 3).authority = Authority.CONSENT
    assert findings(j) == []


def test_a_new_decision_after_the_plan_changed_reopens_the_journey():
    """Change of plan (RD3), then a later ADM decision: the steps under the new decision are
    checked against it, not the old one."""
    j = good_journey()
    for e in j["events"]:
        if e.pk >= 3:
            e.date = e.date + timedelta(days=400)
            e.panel_date = e.panel_date and e.panel_date + timedelta(days=400)
    j["periods"] = [period(date(2020, 1, 15), date(2022, 9, 5), "E11")]
    j["events"] += [
        event(K.PLAN_CEASED, date(2020, 8, 1), 90, ceased_reason="RD3"),
        event(K.ADM_DECISION, date(2021, 6, 1), 91),
    ]
    assert [f.rule for f in findings(j)] == []


def test_re_entry_to_care_is_a_second_period_and_the_journey_follows_it():
    """A child who went home (E4A) and came back into care: steps in the second period are in
    care; a step dated between the periods is not."""
    j = {
        "date_of_birth": DOB,
        "periods": [
            period(date(2019, 3, 1), date(2019, 9, 1), "E4A", pk=1),
            period(date(2020, 1, 15), pk=2),
        ],
        "events": [event(K.ADM_DECISION, date(2020, 6, 1), 1)],
    }
    assert findings(j) == []
    j["events"].append(event(K.PERMANENCE_DECISION, date(2019, 11, 1), 2))
    (finding,) = findings(j)
    assert finding.rule == "1003-in-care"
    assert "after the child left care (01/09/2019 and came back into care on 15/01/2020)" in (
        finding.message
    )
