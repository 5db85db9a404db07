"""A placement that ended in a disruption is never the one measured (DOMAIN.md A.2, A.3, A.9):
known answers for both ways a journey reaches the measures, 903 rows through the importer and
steps recorded through the services. Worked by hand beside each figure; day counts are calendar
days (A.1), "less than 14 months" calendar months."""

from datetime import date

import pytest

from children import services
from children.models import Authority, Child, EventKind, Stage
from children.selectors import child_timeline
from children.ssda903.importer import import_903, system_user
from scorecard import periods as P
from scorecard.measures.journeys import scorecard_children
from scorecard.selectors import cohort_comparison, compute_scorecard, threshold_for, threshold_rows
from tests.children.ssda903_sets import ad1, csv_set, ep, head, placed
from tests.factories import HouseholdFactory
from tests.scorecard.journeys import recorder, region_with_councils
from tracking import checks as tracking
from tracking.panels import clock_checks
from tracking.selectors import children_in_process_in

pytestmark = pytest.mark.django_db

K = EventKind
FY_2019 = P.financial_year(2019)  # 1 Apr 2019 - 31 Mar 2020
FY_2020 = P.financial_year(2020)  # 1 Apr 2020 - 31 Mar 2021
FY_2021 = P.financial_year(2021)  # 1 Apr 2021 - 31 Mar 2022


def figures(res, *codes):
    return {code: res.measure(code) for code in codes}


# -- 903 rows through the importer ---------------------------------------------------------------


def _before_placement(child: str, order: str, placed_on: str) -> list[dict]:
    """Entered care 01/02/2019 (S, U6); placement order (E1) from ``order`` to ``placed_on``."""
    return [
        ep(child, "01/02/2019", "S", "C2", "U6", order, "X1"),
        ep(child, order, "L", "E1", "U6", placed_on, "X1"),
    ]


def disruption_set() -> dict[str, bytes]:
    """Five children, all entered care 01/02/2019 with a placement order from 01/08/2019 (X4:
    entered 01/04/2019, order 01/09/2019):

    - X1: placed 01/03/2020 (A6), disrupted 01/06/2020 (to U6, RNE P), adopted from the foster
      placement 20/12/2020; matched 15/02/2020. No adoptive placement after the disruption.
    - X5: as X1, but no AD1 row (no match date).
    - X2: placed 01/03/2020, disrupted 01/06/2020, placed with new adopters 01/10/2020 (A6),
      adopted 01/03/2021; matched with them 15/09/2020.
    - X3: placed 01/01/2020 (A4), disrupted 01/04/2020, plan ceased 01/05/2020 (RD1), a new
      decision 01/08/2020, matched 15/10/2020, placed 01/11/2020 (A4), adopted 31/03/2021.
    - X4: no disruption: placed 01/02/2020 (A6), matched 15/01/2020, adopted 01/09/2020.
    """
    episodes, ad1_rows, placed_rows = [], [], []
    for child in ("X1", "X5"):
        episodes += _before_placement(child, "01/08/2019", "01/03/2020")
        episodes += [
            ep(child, "01/03/2020", "P", "E1", "A6", "01/06/2020", "X1"),
            ep(child, "01/06/2020", "P", "E1", "U6", "20/12/2020", "E11", reason="CLOSE"),
        ]
        placed_rows.append(placed(child, "10/06/2019"))
    ad1_rows.append(ad1("X1", "10/06/2019", "15/02/2020"))
    episodes += _before_placement("X2", "01/08/2019", "01/03/2020")
    episodes += [
        ep("X2", "01/03/2020", "P", "E1", "A6", "01/06/2020", "X1"),
        ep("X2", "01/06/2020", "P", "E1", "U6", "01/10/2020", "X1", reason="CLOSE"),
        ep("X2", "01/10/2020", "P", "E1", "A6", "01/03/2021", "E11"),
    ]
    ad1_rows.append(ad1("X2", "10/06/2019", "15/09/2020"))
    placed_rows.append(placed("X2", "10/06/2019"))
    episodes += _before_placement("X3", "01/08/2019", "01/01/2020")
    episodes += [
        ep("X3", "01/01/2020", "P", "E1", "A4", "01/04/2020", "X1"),
        ep("X3", "01/04/2020", "P", "E1", "U4", "01/11/2020", "X1", reason="CARPL"),
        ep("X3", "01/11/2020", "P", "E1", "A4", "31/03/2021", "E11"),
    ]
    ad1_rows.append(ad1("X3", "01/08/2020", "15/10/2020"))
    placed_rows += [placed("X3", "01/06/2019", "01/05/2020", "RD1"), placed("X3", "01/08/2020")]
    episodes += [
        ep("X4", "01/04/2019", "S", "C2", "U6", "01/09/2019", "X1"),
        ep("X4", "01/09/2019", "L", "E1", "U6", "01/02/2020", "X1"),
        ep("X4", "01/02/2020", "P", "E1", "A6", "01/09/2020", "E11"),
    ]
    ad1_rows.append(ad1("X4", "01/06/2019", "15/01/2020"))
    placed_rows.append(placed("X4", "01/06/2019"))
    children = ("X1", "X2", "X3", "X4", "X5")
    return csv_set(
        header=[head(c) for c in children],
        episodes=episodes,
        ad1_rows=ad1_rows,
        placed_rows=placed_rows,
    )


@pytest.fixture
def imported():
    region, (council,) = region_with_councils("Disruptions 903", "982")
    report = import_903(disruption_set(), council=council, acting_user=system_user())
    assert report["skipped"] == 0, report["skipped_children"]
    return region, council


def test_903_scorecard_never_measures_a_disrupted_placement(imported):
    region, council = imported
    # Window 2018-21 (1 Apr 2018 - 31 Mar 2021) holds all five adoption orders.
    res = compute_scorecard(period=P.window(2018), region_id=region.pk, council_id=council.pk)
    m = figures(res, "A1", "A10", "A2", "A3")
    # A1 from entering care (01/02/2019; X4 01/04/2019) to the placement measured:
    # X2 the later placement 01/10/2020 = 608; X3 the later placement 01/11/2020 = 639;
    # X4 01/02/2020 = 306. X1 and X5 have no placed date (their only placement disrupted).
    # (608 + 639 + 306) / 3 = 517.67 -> 518. (Measured from the disrupted 01/03/2020, X1 and
    # X5 would add 394 each: 2341 / 5 = 468.)
    assert (m["A1"]["value"], m["A1"]["denominator"]) == (518, 3)
    assert m["A1"]["excluded"] == {"no placed date": 2}
    # A10: no foster-carer adoption (A6/A4, FOSTER_CARE 0): as A1.
    assert (m["A10"]["value"], m["A10"]["denominator"]) == (518, 3)
    # A3: 01/02/2019 + 14 months = 01/04/2020: X2, X3 not under; X4 (01/04/2019 + 14 months =
    # 01/06/2020 > 01/02/2020) under: 1 of 3 = 33.3 %.
    assert (m["A3"]["value"], m["A3"]["numerator"], m["A3"]["denominator"]) == (33.3, 1, 3)
    # A2 from the order to the match: X2 15/09/2020 - 01/08/2019 = 411; X3 15/10/2020 -
    # 01/08/2019 = 441; X4 15/01/2020 - 01/09/2019 = 136: 988 / 3 = 329.33 -> 329.
    # X1 has an order and a match but no placement before the order: "not placed for adoption
    # before the order". X5 has neither a match nor a placement: reported under the first
    # reason that applies in A.3's order, "no match date".
    assert (m["A2"]["value"], m["A2"]["denominator"]) == (329, 3)
    assert m["A2"]["excluded"] == {
        "no match date": 1,
        "not placed for adoption before the order": 1,
    }
    # The figure page lists X1 with no placed date and its reasons.
    rows = {
        Child.objects.get(pk=row["child_id"]).child_id: row
        for row in scorecard_children(
            P.window(2018), threshold_for(P.window(2018), threshold_rows()), [council.pk]
        )
    }
    assert rows["X1"]["placed_date"] is None
    assert (rows["X1"]["a1_reason"], rows["X1"]["a2_reason"]) == (
        "no placed date",
        "not placed for adoption before the order",
    )
    assert rows["X5"]["a2_reason"] == "no match date"
    assert (rows["X2"]["placed_date"], rows["X3"]["placed_date"]) == (
        date(2020, 10, 1),
        date(2020, 11, 1),
    )


def test_903_quarter_counts_a_placement_that_later_disrupted(imported):
    region, council = imported
    # A.4 counts events dated in the quarter. Q4 2019-20 (Jan-Mar 2020): placed X3 (01/01),
    # X4 (01/02), X1, X2, X5 (01/03) = 5, four of which later disrupted: each still counts
    # where it happened. Q1 2020-21 (Apr-Jun 2020): disruptions X3 (01/04), X1, X2, X5 (01/06)
    # = 4. Q3 2020-21 (Oct-Dec): the new placements of X2 (01/10) and X3 (01/11) = 2.
    q4 = compute_scorecard(period=P.quarter(2019, 4), region_id=region.pk, council_id=council.pk)
    assert (q4.measure("placed")["value"], q4.measure("disruptions")["value"]) == (5, 0)
    q1 = compute_scorecard(period=P.quarter(2020, 1), region_id=region.pk, council_id=council.pk)
    assert (q1.measure("placed")["value"], q1.measure("disruptions")["value"]) == (0, 4)
    q3 = compute_scorecard(period=P.quarter(2020, 3), region_id=region.pk, council_id=council.pk)
    assert q3.measure("placed")["value"] == 2
    # The milestone timeline (A.7) of children placed in 2019-20 counts only X4: the other
    # four placements of that year disrupted. X4: 01/02/2020 - 01/04/2019 = 306.
    fy = compute_scorecard(period=FY_2019, region_id=region.pk, council_id=council.pk)
    assert (fy.measure("T_placed")["value"], fy.measure("T_placed")["denominator"]) == (306, 1)


# -- steps recorded through the services ---------------------------------------------------------


@pytest.fixture
def recorded():
    """Four children of one council, all entered care 15/01/2020, ADM decision 01/06/2020,
    placement order 01/09/2020, matched with household h1 10/01/2021, placed with h1
    01/02/2021; then:

    - S1: disrupted 01/05/2021; never placed again (the date rules refuse an adoption order
      without a placement in force, so a recorded journey cannot be adopted like X1 above).
    - S2: disrupted 01/05/2021; matched with new adopters h2 01/08/2021, placed 01/09/2021,
      adoption application 01/12/2021, adopted 01/03/2022.
    - S3: disrupted 01/05/2021; plan ceased 01/06/2021 (RD1); a new ADM decision 01/09/2021;
      matched with h2 01/11/2021, placed 01/12/2021.
    - S4: plan ceased while placed 01/03/2021 (RD4), then disrupted 01/04/2021.
    """
    region, (council,) = region_with_councils("Disruptions recorded", "981")
    worker = recorder()
    h1, h2 = (
        HouseholdFactory(
            region=region,
            enquiry_date=date(2019, 1, 1),
            registration_date=date(2019, 1, 10),
            approval_date=date(2020, 10, 1),
        )
        for _ in range(2)
    )

    def record(child, kind, day, **details):
        services.child_record_milestone(
            child=child, kind=kind, date=day, acting_user=worker, **details
        )

    def match_and_place(child, household, matched, placed_on):
        # Four children matched with h1, not a sibling group: confirmed, as a worker must.
        record(
            child,
            K.MATCHED,
            matched,
            household=household,
            panel_date=matched,
            household_warning="confirmed",
        )
        record(child, K.PLACED, placed_on, household=household, placement_provider="PR1")

    children = {}
    for name in ("S1", "S2", "S3", "S4"):
        child = services.child_create(
            council=council,
            acting_user=worker,
            child_id=name,
            first_name="Dis",
            last_name=f"Ruption{name}",
            date_of_birth=date(2018, 5, 1),
        )
        services.period_of_care_add(
            child=child, acting_user=worker, entered_care=date(2020, 1, 15), legal_status="C2"
        )
        record(child, K.ADM_DECISION, date(2020, 6, 1))
        record(child, K.PLACEMENT_ORDER, date(2020, 9, 1), authority=Authority.PLACEMENT_ORDER)
        match_and_place(child, h1, date(2021, 1, 10), date(2021, 2, 1))
        children[name] = child
    for name in ("S1", "S2", "S3"):
        record(children[name], K.DISRUPTION, date(2021, 5, 1), disruption_reason="CLOSE")
    match_and_place(children["S2"], h2, date(2021, 8, 1), date(2021, 9, 1))
    record(children["S2"], K.ADOPTION_APPLICATION, date(2021, 12, 1))
    record(children["S2"], K.ADOPTION_ORDER, date(2022, 3, 1))
    record(children["S3"], K.PLAN_CEASED, date(2021, 6, 1), ceased_reason="RD1")
    record(children["S3"], K.ADM_DECISION, date(2021, 9, 1))
    match_and_place(children["S3"], h2, date(2021, 11, 1), date(2021, 12, 1))
    record(children["S4"], K.PLAN_CEASED, date(2021, 3, 1), ceased_reason="RD4")
    record(children["S4"], K.DISRUPTION, date(2021, 4, 1), disruption_reason="CARPL")
    return region, council, {n: Child.objects.get(pk=c.pk) for n, c in children.items()}


def test_recorded_stage_and_tracking_after_a_disruption(recorded):
    _, council, children = recorded
    # S1 waits again with its placement order (the match ended with the placement); S2 is
    # adopted; S3 is placed (the later placement); S4's plan changed.
    assert {n: c.stage for n, c in children.items()} == {
        "S1": Stage.WAITING_PO,
        "S2": Stage.ADOPTED,
        "S3": Stage.PLACED,
        "S4": Stage.PLAN_CHANGED,
    }
    table = tracking.thresholds()
    listed = {c.child_id: c for c in children_in_process_in([council.pk], table)}
    assert set(listed) == {"S1", "S3"}
    today = date(2021, 12, 31)
    # S1: entering care to placed runs again (716 days on 31/12/2021, over 426); the match
    # clocks run again from the order and the decision.
    checks = {c.code: c for c in tracking.child_checks(listed["S1"], today=today, table=table)}
    care = checks["child_care_to_placed"]
    assert (care.done, care.days, care.status) == (False, 716, tracking.OVER)
    assert not checks["child_decision_to_match"].done
    # S3: measured to the later placement, 01/12/2021 - 15/01/2020 = 686 days (over 426).
    checks = {c.code: c for c in tracking.child_checks(listed["S3"], today=today, table=table)}
    care = checks["child_care_to_placed"]
    assert (care.done, care.end, care.days) == (True, date(2021, 12, 1), 686)
    # The new decision (01/09/2021) to the new match (01/11/2021): 2 months, met.
    decision = checks["child_decision_to_match"]
    assert (decision.start, decision.end, decision.status) == (
        date(2021, 9, 1),
        date(2021, 11, 1),
        tracking.MET,
    )


def test_recorded_timeline_shows_the_disrupted_placement_without_a_check(recorded):
    _, _, children = recorded
    table = tracking.thresholds()
    rows = child_timeline(children["S3"])
    placements = [r for r in rows if r.event and r.event.kind == K.PLACED]
    first, later = placements
    assert first.clocks == []
    assert first.note == "Ended by the disruption of 01/05/2021: not the placement measured"
    ((check,),) = [clock_checks(later.clocks, today=date(2021, 12, 31), table=table)]
    assert (check.code, check.days) == ("child_care_to_placed", 686)


def test_recorded_children_waiting_after_a_disruption(recorded):
    region, council, _ = recorded

    def waiting(period):
        res = compute_scorecard(period=period, region_id=region.pk, council_id=council.pk)
        return res.measure("waiting")["value"] or 0

    # 31/03/2021: all four placed (S4's plan has also ceased): nobody waits.
    assert waiting(P.quarter(2020, 4)) == 0
    # 15/05/2021 (a custom date, counted directly): S1, S2 and S3 wait again after their
    # disruptions (01/05/2021; S3's plan ceases only on 01/06). S4 does not: its plan had
    # ceased (01/03/2021) before the disruption (01/04/2021).
    assert waiting(P.custom(date(2021, 4, 1), date(2021, 5, 15))) == 3
    # 30/06/2021 (a quarter end): S1 and S2; S3's plan ceased on 01/06/2021.
    assert waiting(P.quarter(2021, 1)) == 2
    # 31/12/2021: S1 only (S2 placed again 01/09, S3 01/12/2021).
    assert waiting(P.quarter(2021, 3)) == 1


def test_recorded_measures_after_a_disruption(recorded):
    region, council, _ = recorded
    # A.4: the four placements of 01/02/2021 count in Q4 2020-21 though all later disrupted;
    # the disruptions count where they happened: S4 01/04/2021, S1-S3 01/05/2021, Q1 2021-22.
    q4 = compute_scorecard(period=P.quarter(2020, 4), region_id=region.pk, council_id=council.pk)
    assert (q4.measure("placed")["value"], q4.measure("disruptions")["value"]) == (4, 0)
    q1 = compute_scorecard(period=P.quarter(2021, 1), region_id=region.pk, council_id=council.pk)
    assert (q1.measure("placed")["value"], q1.measure("disruptions")["value"]) == (0, 4)
    # A.7 timeline, children placed in 2020-21: every placement of that year disrupted.
    fy = compute_scorecard(period=FY_2020, region_id=region.pk, council_id=council.pk)
    assert fy.measure("T_placed")["denominator"] == 0
    # 2021-22: S2 placed 01/09/2021 and S3 01/12/2021 (from 15/01/2020):
    # ADM decision, the latest on or before each placement: S2 01/06/2020 = 138, S3 the new
    # one 01/09/2021 = 595: 366.5 -> 367. Order 01/09/2020 = 230 for both. Match: S2
    # 01/08/2021 = 564, S3 01/11/2021 = 656: 610. Placed 595 and 686: 640.5 -> 641. Adoption
    # order: S2 01/03/2022 = 776.
    fy = compute_scorecard(period=FY_2021, region_id=region.pk, council_id=council.pk)
    got = {
        code: (fy.measure(code)["value"], fy.measure(code)["denominator"])
        for code in ("T_adm", "T_po", "T_match", "T_placed", "T_ao")
    }
    assert got == {
        "T_adm": (367, 2),
        "T_po": (230, 2),
        "T_match": (610, 2),
        "T_placed": (641, 2),
        "T_ao": (776, 1),
    }
    # A1 for 2021-22 (S2 adopted 01/03/2022): from the later placement, 595 days; A2 from the
    # order to the later match (01/08/2021): 334; A3: 15/01/2020 + 14 months = 15/03/2021:
    # not under.
    m = figures(fy, "A1", "A2", "A3")
    assert (m["A1"]["value"], m["A1"]["denominator"]) == (595, 1)
    assert (m["A2"]["value"], m["A2"]["denominator"]) == (334, 1)
    assert (m["A3"]["value"], m["A3"]["numerator"]) == (0.0, 0)
    # Cohort comparison around 01/07/2021: nobody before (the placements of 01/02/2021 all
    # disrupted); after, S2 and S3 as in the timeline: 641 days, none under 14 months, ADM
    # 367; S2 placed exactly 12 months after the order (not less), S3 15 months: 0 %.
    got = cohort_comparison(region_id=region.pk, council_id=council.pk, split=date(2021, 7, 1))
    assert got["before"]["placed"]["denominator"] == 0
    after = got["after"]
    assert (after["placed"]["value"], after["placed"]["denominator"]) == (641, 2)
    assert after["placed_n_months"]["value"] == 0.0
    assert after["adm"]["value"] == 367
    assert (after["po_m_months"]["value"], after["po_m_months"]["denominator"]) == (0.0, 2)


def test_a_disruption_on_the_day_of_the_placement_or_of_leaving_care():
    from tests.scorecard.journeys import child

    region, (council,) = region_with_councils("Disruptions same day", "983")
    # D1: placed and disrupted on 01/02/2021 (on one day the placement comes first, as in the
    # date rules): the placement is cancelled and the child waits again from that day.
    child(
        council,
        entered=date(2020, 1, 15),
        events=[
            (K.ADM_DECISION, date(2020, 6, 1)),
            (K.PLACED, date(2021, 2, 1)),
            (K.DISRUPTION, date(2021, 2, 1)),
        ],
    )
    # D2: left care from the adoptive placement (E13) on 01/03/2021, which is its disruption
    # that day: not waiting afterwards (out of care).
    child(
        council,
        entered=[(date(2020, 1, 15), date(2021, 3, 1))],
        events=[
            (K.ADM_DECISION, date(2020, 6, 1)),
            (K.PLACED, date(2021, 2, 10)),
            (K.DISRUPTION, date(2021, 3, 1)),
        ],
    )
    for period in (P.quarter(2020, 4), P.custom(date(2021, 1, 1), date(2021, 3, 15))):
        res = compute_scorecard(period=period, region_id=region.pk, council_id=council.pk)
        assert res.measure("waiting")["value"] == 1  # D1 only
    # Both placements of 2020-21 disrupted: the timeline has nobody placed.
    fy = compute_scorecard(period=FY_2020, region_id=region.pk, council_id=council.pk)
    assert fy.measure("T_placed")["denominator"] == 0
    assert fy.measure("placed")["value"] == 2
