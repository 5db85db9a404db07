"""Each A.8 rule (:data:`tracking.checks.CHILD_RULES`, :data:`tracking.checks.HOUSEHOLD_RULES`)
has a Python form (the checks a page shows for one record) and an SQL form (the first day over
that the lists filter and sort on). Over the same journeys, at every stage, the two agree: for
each record, the first day over of each running Python check is the SQL annotation of that rule,
and ``next_over`` is the earliest of them; the SQL status filter puts each record under the
status of its worst running Python check. Changing a threshold row moves both, and the words
of the "due" status.

Dates are days before today (T), as in :mod:`tests.tracking.journeys`.
"""

from datetime import timedelta

import pytest

from adopters.models import HoldPeriod, HoldReason, Household, LeftReason
from children.models import Child, EventKind, JourneyEvent
from children.services import refresh_journey_summaries
from raa.dates import add_months
from raa.models import Role
from tests.tracking.journeys import ago, make_child, make_household, today
from tracking import checks
from tracking.models import TrackingThreshold
from tracking.selectors import (
    NEVER,
    STATUSES,
    _status_filter,
    child_rows,
    children_in_process_in,
    household_rows,
    households_in_process_among,
    statuses,
)

pytestmark = pytest.mark.django_db

#: The SQL annotation of each check code.
CHILD_OVER = {
    "child_care_to_placed": "care_over",
    "child_order_to_match": "order_over",
    "child_decision_to_match": "decision_over",
}
HOUSEHOLD_OVER = {
    "household_stage1": "stage1_over",
    "household_stage2": "stage2_over",
    "household_approval_to_match": "waiting_over",
}


@pytest.fixture
def journeys(world):
    """Children of council C at every stage, and households at every stage, all named AG-."""
    region, c = world.region, world.councils["C"]
    by = world.user(Role.SOCIAL_WORKER, "C")
    h = {
        ref: make_household(region, ref, council=c, **days)
        for ref, days in {
            # Enquiry only: nothing to measure, not on the list.
            "AG-H-ENQUIRY": {"enquiry": 20},
            # Stage 1 for 70 days: over 2 months.
            "AG-H-STAGE1-OVER": {"registration": 70},
            # Stage 1 for 10 days: on track.
            "AG-H-STAGE1": {"registration": 10},
            # Stage 1 ended, Stage 2 not started: nothing running.
            "AG-H-BETWEEN": {"registration": 100, "stage1_end": 40},
            # Stage 2 for 130 days: over 4 months.
            "AG-H-STAGE2-OVER": {"registration": 200, "stage1_end": 150, "stage2_start": 130},
            # Stage 2 without a Stage 1 end date: Stage 1 ended with Stage 2.
            "AG-H-STAGE2": {"registration": 200, "stage2_start": 100},
            # Fast track: Stage 2 without registration.
            "AG-H-FAST": {"stage2_start": 20},
            # Approved 120 days ago, waiting: over 3 months.
            "AG-H-WAITING-OVER": {
                "registration": 400,
                "stage1_end": 350,
                "stage2_start": 340,
                "approval": 120,
            },
            # Approved 70 days ago: 3 months within 30 days, due.
            "AG-H-WAITING-DUE": {"registration": 300, "stage2_start": 250, "approval": 70},
            # Approved, linked with a child (not matched): still waiting.
            "AG-H-LINKED": {"registration": 400, "stage2_start": 300, "approval": 200},
            # Approved, matched: off the list.
            "AG-H-MATCHED": {"registration": 400, "stage2_start": 300, "approval": 200},
            # Approved, placed (no match recorded): off the list.
            "AG-H-PLACED": {"registration": 500, "stage2_start": 450, "approval": 400},
            # Left during Stage 2; left while approved: off the list.
            "AG-H-LEFT-STAGE2": {"registration": 300, "stage2_start": 200},
            "AG-H-LEFT-APPROVED": {"registration": 300, "approval": 150},
            # Stage 2, on hold: the clock is stopped, off the list.
            "AG-H-HOLD": {"registration": 300, "stage2_start": 200},
        }.items()
    }
    Household.objects.filter(reference__startswith="AG-H-LEFT-").update(
        left_date=ago(10), left_reason=LeftReason.WITHDREW
    )
    HoldPeriod.objects.create(
        household=h["AG-H-HOLD"], start_date=ago(30), reason=HoldReason.HEALTH
    )
    children = {
        # Waiting, no placement order: care over since T-73, decision over ~T-109.
        "AG-WAIT": make_child(c, by, "AG-WAIT", entered=500, adm=200),
        # Placement order 60 days ago: order to match is 121 days (over from T+62).
        "AG-WAIT-PO": make_child(c, by, "AG-WAIT-PO", entered=450, adm=100, order=60),
        # Care over from T+40: on track with 30 days' warning, due with 45.
        "AG-DUE45": make_child(c, by, "AG-DUE45", entered=387, adm=20),
        # Linked: every clock still runs.
        "AG-LINKED": make_child(
            c,
            by,
            "AG-LINKED",
            entered=400,
            adm=120,
            order=90,
            linked=20,
            household=h["AG-H-LINKED"],
        ),
        # Matched: only entering care to placed runs.
        "AG-MATCHED": make_child(
            c,
            by,
            "AG-MATCHED",
            entered=420,
            adm=300,
            order=280,
            linked=100,
            matched=50,
            household=h["AG-H-MATCHED"],
        ),
        # Matched before the placement order: the order check ends on its own start.
        "AG-MATCHED-EARLY": make_child(
            c, by, "AG-MATCHED-EARLY", entered=300, adm=200, matched=100, order=90
        ),
        # Placed: nothing runs.
        "AG-PLACED": make_child(
            c, by, "AG-PLACED", entered=600, adm=400, order=380, matched=200, placed=150
        ),
        # Placed with no match recorded (a journey imported without AD1 DATE_MATCH): the match
        # clocks run on, in both forms.
        "AG-PLACED-NO-MATCH": make_child(
            c,
            by,
            "AG-PLACED-NO-MATCH",
            entered=700,
            adm=500,
            order=480,
            placed=100,
            household=h["AG-H-PLACED"],
        ),
        # Matched and placed, then the placement disrupted: waiting again, clocks run again.
        "AG-DISRUPTED": make_child(
            c, by, "AG-DISRUPTED", entered=800, adm=600, order=580, matched=400, placed=380
        ),
        # Not in the process: no decision; adopted.
        "AG-NO-DECISION": make_child(c, by, "AG-NO-DECISION", entered=100, adm=None),
        "AG-ADOPTED": make_child(
            c,
            by,
            "AG-ADOPTED",
            entered=900,
            adm=700,
            order=650,
            matched=500,
            placed=450,
            adopted=50,
        ),
    }
    JourneyEvent.objects.create(
        child=children["AG-DISRUPTED"],
        kind=EventKind.DISRUPTION,
        date=ago(300),
        disruption_reason="CLOSE",
        recorded_by=by,
    )
    refresh_journey_summaries(Child.objects.filter(pk=children["AG-DISRUPTED"].pk))
    assert {ch.child_id: ch.stage for ch in Child.objects.filter(child_id__startswith="AG-")} == {
        "AG-WAIT": "waiting",
        "AG-WAIT-PO": "waiting_po",
        "AG-DUE45": "waiting",
        "AG-LINKED": "linked",
        "AG-MATCHED": "matched",
        "AG-MATCHED-EARLY": "matched",
        "AG-PLACED": "placed",
        "AG-PLACED-NO-MATCH": "placed",
        "AG-DISRUPTED": "waiting_po",
        "AG-NO-DECISION": "no_decision",
        "AG-ADOPTED": "adopted",
    }
    return c


def first_match(household) -> object:
    """The ``matched`` the household rule is given: its first match or placement."""
    return (
        JourneyEvent.objects.filter(household=household, kind__in=("matched", "placed"))
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )


def running(found) -> dict:
    """Python: the first day over of each running check, by code."""
    return {c.code: c.over_from for c in found if not c.done}


def assert_children_agree(council, table) -> dict:
    """Both forms over every AG- child: each listed child's SQL annotations are the first days
    over of its running Python checks; a child left off the list has no Python checks. Returns
    the Python running checks of the listed children by child ID."""
    t = today()
    in_process = children_in_process_in([council.pk], table).filter(child_id__startswith="AG-")
    listed = {child.child_id: child for child in in_process}
    python = {}
    for child in Child.objects.filter(child_id__startswith="AG-"):
        found = checks.child_checks(child, today=t, table=table)
        if child.child_id not in listed:
            assert found == [], child.child_id
            continue
        sql = listed[child.child_id]
        python[child.child_id] = run = running(found)
        assert {code: getattr(sql, field) for code, field in CHILD_OVER.items()} == {
            code: run.get(code) for code in CHILD_OVER
        }, child.child_id
        assert sql.next_over == min(run.values(), default=NEVER), child.child_id
    assert_statuses_agree(in_process, child_rows, table)
    return python


def assert_households_agree(table) -> dict:
    """As :func:`assert_children_agree` for the AG- households, each given its first match;
    returns the Python running checks of every household (listed or not) by reference."""
    t = today()
    scoped = Household.objects.filter(reference__startswith="AG-H-")
    in_process = households_in_process_among(scoped, table)
    listed = {household.reference: household for household in in_process}
    python = {}
    for household in scoped:
        found = checks.household_checks(
            household, today=t, table=table, matched=first_match(household)
        )
        python[household.reference] = run = running(found)
        if household.reference not in listed:
            continue
        sql = listed[household.reference]
        assert {code: getattr(sql, field) for code, field in HOUSEHOLD_OVER.items()} == {
            code: run.get(code) for code in HOUSEHOLD_OVER
        }, household.reference
        assert sql.next_over == min(run.values(), default=NEVER), household.reference
    # Off the list: nothing to measure, matched or placed, left (nothing runs in Python either)
    # or on hold (the household's page still shows its running check; the list stops it).
    off = set(python) - set(listed)
    assert off == {
        "AG-H-ENQUIRY",
        "AG-H-MATCHED",
        "AG-H-PLACED",
        "AG-H-LEFT-STAGE2",
        "AG-H-LEFT-APPROVED",
        "AG-H-HOLD",
    }
    assert {ref: python[ref] for ref in off - {"AG-H-HOLD"}} == dict.fromkeys(
        off - {"AG-H-HOLD"}, {}
    )
    assert list(python["AG-H-HOLD"]) == ["household_stage2"]
    assert_statuses_agree(in_process, household_rows, table)
    return python


def assert_statuses_agree(queryset, rows, table):
    """The SQL status filter puts each record where the Python row's status puts it, and the
    row's words are those of :func:`statuses`."""
    t = today()
    due = table["due_soon"].amount
    words = statuses(table)
    python = {}
    for row in rows(queryset, today=t, table=table):
        python[row.record.pk] = row.status
        assert row.status_label == words[row.status]
    for status in STATUSES:
        sql = set(queryset.filter(_status_filter(status, t, due)).values_list("pk", flat=True))
        assert sql == {pk for pk, s in python.items() if s == status}, status


def test_the_python_and_sql_forms_agree_over_every_stage(journeys):
    table = checks.thresholds()
    t = today()
    kids = assert_children_agree(journeys, table)
    assert set(kids) == {
        "AG-WAIT",
        "AG-WAIT-PO",
        "AG-DUE45",
        "AG-LINKED",
        "AG-MATCHED",
        "AG-MATCHED-EARLY",
        "AG-PLACED",
        "AG-PLACED-NO-MATCH",
        "AG-DISRUPTED",
    }
    # Real values, worked out by hand: 426 days is over from day 427; 3 months is calendar.
    assert kids["AG-WAIT"] == {
        "child_care_to_placed": ago(500) + timedelta(days=427),
        "child_decision_to_match": add_months(ago(200), 3),
    }
    assert kids["AG-WAIT-PO"]["child_order_to_match"] == ago(60) + timedelta(days=122)
    assert set(kids["AG-LINKED"]) == set(CHILD_OVER)
    assert list(kids["AG-MATCHED"]) == ["child_care_to_placed"]
    assert list(kids["AG-MATCHED-EARLY"]) == ["child_care_to_placed"]
    assert kids["AG-PLACED"] == {}
    assert set(kids["AG-PLACED-NO-MATCH"]) == {"child_order_to_match", "child_decision_to_match"}
    assert set(kids["AG-DISRUPTED"]) == set(CHILD_OVER)
    assert kids["AG-DUE45"]["child_care_to_placed"] == t + timedelta(days=40)

    households = assert_households_agree(table)
    assert households["AG-H-STAGE1-OVER"] == {"household_stage1": add_months(ago(70), 2)}
    assert households["AG-H-STAGE2"] == {"household_stage2": add_months(ago(100), 4)}
    assert households["AG-H-FAST"] == {"household_stage2": add_months(ago(20), 4)}
    assert households["AG-H-WAITING-OVER"] == {
        "household_approval_to_match": add_months(ago(120), 3)
    }
    assert list(households["AG-H-LINKED"]) == ["household_approval_to_match"]
    assert households["AG-H-BETWEEN"] == {}  # listed, nothing running: never due


def set_threshold(code: str, amount: int, unit: str) -> None:
    TrackingThreshold.objects.filter(code=code).update(amount=amount, unit=unit)


def test_both_forms_and_the_words_follow_a_changed_threshold(journeys):
    t = today()
    table = checks.thresholds()
    assert statuses(table)[checks.DUE] == "Due within 30 days"
    due45 = next(
        r
        for r in child_rows(children_in_process_in([journeys.pk], table), today=t, table=table)
        if r.record.child_id == "AG-DUE45"
    )
    assert (due45.status, due45.status_label) == (checks.ON_TRACK, "On track")

    # 45 days' warning: the child whose care threshold is passed in 40 days is due, in both
    # forms, and says so in the threshold's words.
    set_threshold("due_soon", 45, "days")
    table = checks.thresholds()
    assert statuses(table) == {
        checks.OVER: "Over",
        checks.DUE: "Due within 45 days",
        checks.ON_TRACK: "On track",
    }
    assert_children_agree(journeys, table)
    due45 = next(
        r
        for r in child_rows(children_in_process_in([journeys.pk], table), today=t, table=table)
        if r.record.child_id == "AG-DUE45"
    )
    assert (due45.status, due45.status_label) == (checks.DUE, "Due within 45 days")
    assert due45.worst.status_label == "Due within 45 days"
    due = children_in_process_in([journeys.pk], table).filter(_status_filter(checks.DUE, t, 45))
    assert "AG-DUE45" in set(due.values_list("child_id", flat=True))

    # A days threshold shortened, a months threshold lengthened, a months threshold turned
    # into days: both forms move together.
    set_threshold("child_care_to_placed", 300, "days")
    set_threshold("child_decision_to_match", 7, "months")
    set_threshold("household_stage1", 60, "days")
    set_threshold("household_approval_to_match", 1, "months")
    table = checks.thresholds()
    kids = assert_children_agree(journeys, table)
    assert kids["AG-WAIT"] == {
        "child_care_to_placed": ago(500) + timedelta(days=301),
        "child_decision_to_match": add_months(ago(200), 7),
    }
    households = assert_households_agree(table)
    assert households["AG-H-STAGE1-OVER"] == {"household_stage1": ago(70) + timedelta(days=61)}
    assert households["AG-H-WAITING-DUE"] == {"household_approval_to_match": add_months(ago(70), 1)}


def test_the_list_names_the_due_status_from_the_threshold(client_for, world, journeys):
    set_threshold("due_soon", 45, "days")
    response = client_for(world.user(Role.TEAM_MANAGER, "C")).get("/tracking/?status=due")
    assert response.status_code == 200
    assert response.context["statuses"] == [
        ("over", "Over"),
        ("due", "Due within 45 days"),
        ("on_track", "On track"),
    ]
    assert '<option value="due" selected>Due within 45 days</option>' in response.text
    assert "Due within 30 days" not in response.text
    # AG-DUE45 (over from T+40) is due with 45 days' warning.
    assert "AG-DUE45" in [row.record.child_id for row in response.context["rows"]]
