"""Known-answer tests: small journeys written by hand, the expected figure worked out beside
them from DOMAIN.md Part A. Window 2014-17 = 1 Apr 2014 to 31 Mar 2017; thresholds 426 days
(A1, A10), 121 days (A2), less than 14 months (A3)."""

import json
from datetime import date

import pytest

from children.models import EventKind as K
from scorecard import periods as P
from scorecard.measures import MEASURES, compact, finalise, raw, stored_text
from scorecard.selectors import compute_scorecard, result
from scorecard.services import recompute_all, recompute_council
from tests.scorecard.journeys import child, household, region_with_councils, sibling_group

pytestmark = pytest.mark.django_db

W = P.window(2014)  # 2014-17


@pytest.fixture
def known():
    """Council K holds nine adopted children (seven in the 2014-17 cohort); council L, in the
    same region, one more."""
    region, (k, l_) = region_with_councils("Known answers", "971", "972")
    # c1: A1 = 1 Oct 2014 - 10 Jan 2014 = 264; A2 = 1 Sep - 1 Jun 2014 = 92;
    # A3: 10 Jan 2014 + 14 months = 10 Mar 2015 > 1 Oct 2014: under.
    # A withdrawn placement dated 1 Dec 2014 must count nowhere.
    c1 = child(
        k,
        entered=date(2014, 1, 10),
        events=[
            (K.PLACEMENT_ORDER, date(2014, 6, 1)),
            (K.MATCHED, date(2014, 9, 1)),
            (K.PLACED, date(2014, 10, 1)),
            (K.PLACED, date(2014, 12, 1), {"entered_in_error": True}),
            (K.ADOPTION_ORDER, date(2015, 3, 1)),
        ],
    )
    # c2, adopted by foster carers she had lived with since 1 Mar 2014:
    # A1 = 1 Sep - 1 Feb 2014 = 212; A10 = 1 Mar - 1 Feb 2014 = 28;
    # A2: matched (15 Jul) before the placement order (1 Aug) counts 0; A3 under.
    child(
        k,
        entered=date(2014, 2, 1),
        events=[
            (K.PLACEMENT_ORDER, date(2014, 8, 1)),
            (K.MATCHED, date(2014, 7, 15)),
            (
                K.PLACED,
                date(2014, 9, 1),
                {"foster_carer_adoption": True, "living_with_carers_since": date(2014, 3, 1)},
            ),
            (K.ADOPTION_ORDER, date(2015, 6, 30)),
        ],
    )
    # c3, consent only: A1 = A10 = 1 Jun - 1 Jan 2015 = 151; out of A2 (no placement order).
    child(
        k,
        entered=date(2015, 1, 1),
        events=[
            (K.PLACEMENT_ORDER, date(2015, 3, 1), {"authority": "consent"}),
            (K.MATCHED, date(2015, 5, 1)),
            (K.PLACED, date(2015, 6, 1)),
            (K.ADOPTION_ORDER, date(2015, 10, 1)),
        ],
    )
    # c4, re-entered care on 1 Jan 2013; adopted on the window's first day (1 Apr 2014):
    # entered care = 1 Jan 2013 (not 1 Jan 2012): A1 = 1 Mar 2014 - 1 Jan 2013 = 424;
    # A2 = 1 Nov - 1 May 2013 = 184; A3: 1 Jan 2013 + 14 months = 1 Mar 2014, not less: out.
    child(
        k,
        entered=[(date(2012, 1, 1), date(2012, 6, 1)), (date(2013, 1, 1), None)],
        events=[
            (K.PLACEMENT_ORDER, date(2013, 5, 1)),
            (K.MATCHED, date(2013, 11, 1)),
            (K.PLACED, date(2014, 3, 1)),
            (K.ADOPTION_ORDER, date(2014, 4, 1)),
        ],
    )
    # c5, a disruption then a new family; adopted on the window's last day (31 Mar 2017):
    # placed = the later placement, 1 Jul 2015: A1 = 1 Jul 2015 - 1 May 2014 = 426;
    # A2 = the later match 1 Jun 2015 - 1 Sep 2014 = 273; A3: 1 May 2014 + 14 months =
    # 1 Jul 2015, not less: out.
    child(
        k,
        entered=date(2014, 5, 1),
        events=[
            (K.PLACEMENT_ORDER, date(2014, 9, 1)),
            (K.MATCHED, date(2014, 10, 1)),
            (K.PLACED, date(2014, 11, 1)),
            (K.DISRUPTION, date(2015, 2, 1)),
            (K.MATCHED, date(2015, 6, 1)),
            (K.PLACED, date(2015, 7, 1)),
            (K.ADOPTION_ORDER, date(2017, 3, 31)),
        ],
    )
    # c6a and c6b entered care on 31 Dec 2013: 14 months on is 28 Feb 2015 (clamped).
    # c6a placed 27 Feb 2015: A1 = 423, under; c6b placed 28 Feb 2015: A1 = 424, not under.
    # Both: A2 = 15 Jan 2015 - 1 Jun 2014 = 228.
    for placed, order in (
        (date(2015, 2, 27), date(2015, 9, 1)),
        (date(2015, 2, 28), date(2015, 9, 2)),
    ):
        child(
            k,
            entered=date(2013, 12, 31),
            events=[
                (K.PLACEMENT_ORDER, date(2014, 6, 1)),
                (K.MATCHED, date(2015, 1, 15)),
                (K.PLACED, placed),
                (K.ADOPTION_ORDER, order),
            ],
        )
    # c7 has no placed date: out of A1/A10/A3 ("no placed date") and A2 ("not placed").
    child(
        k,
        entered=date(2015, 1, 1),
        events=[
            (K.PLACEMENT_ORDER, date(2015, 4, 1)),
            (K.MATCHED, date(2015, 6, 1)),
            (K.ADOPTION_ORDER, date(2016, 1, 1)),
        ],
    )
    # c8 and c9: adopted the day after and the day before the window: not in its cohort.
    for order in (date(2017, 4, 1), date(2014, 3, 31)):
        child(
            k,
            entered=date(2013, 1, 1),
            events=[
                (K.PLACEMENT_ORDER, date(2013, 6, 1)),
                (K.MATCHED, date(2013, 8, 1)),
                (K.PLACED, date(2013, 9, 1)),
                (K.ADOPTION_ORDER, order),
            ],
        )
    # council L, c11: A1 = 1 May - 1 Jan 2015 = 120; A2 = 1 Apr - 1 Mar 2015 = 31; A3 under.
    c11 = child(
        l_,
        entered=date(2015, 1, 1),
        events=[
            (K.PLACEMENT_ORDER, date(2015, 3, 1)),
            (K.MATCHED, date(2015, 4, 1)),
            (K.PLACED, date(2015, 5, 1)),
            (K.ADOPTION_ORDER, date(2015, 8, 1)),
        ],
    )
    return {"region": region, "K": k, "L": l_, "c1": c1, "c11": c11}


def measures(res):
    return {code: res.measure(code) for code in ("A1", "A10", "A2", "A3")}


def test_council_k_2014_17(known):
    m = measures(
        compute_scorecard(period=W, region_id=known["region"].pk, council_id=known["K"].pk)
    )
    # A1: c1..c6b = 264 + 212 + 151 + 424 + 426 + 423 + 424 = 2324 over 7 children = 332.
    assert (m["A1"]["value"], m["A1"]["denominator"]) == (332, 7)
    assert m["A1"]["excluded"] == {"no placed date": 1}
    assert m["A1"]["threshold"] == 426
    # A10: as A1 with c2's 28 for 212: 2140 / 7 = 305.71 -> 306.
    assert (m["A10"]["value"], m["A10"]["denominator"]) == (306, 7)
    # A2: 92 + 0 + 184 + 273 + 228 + 228 = 1005 over 6 = 167.5 -> 168 (half away from zero).
    assert (m["A2"]["value"], m["A2"]["denominator"]) == (168, 6)
    assert m["A2"]["excluded"] == {
        "no placement order": 1,
        "not placed for adoption before the order": 1,
    }
    assert m["A2"]["threshold"] == 121
    # A3: c1, c2, c3, c6a of 7 = 57.142... -> 57.1 %.
    assert (m["A3"]["value"], m["A3"]["numerator"], m["A3"]["denominator"]) == (57.1, 4, 7)
    assert m["A3"]["threshold"] == 14


def test_region_adds_its_councils(known):
    m = measures(compute_scorecard(period=W, region_id=known["region"].pk))
    # A1: (2324 + 120) / 8 = 305.5 -> 306; A2: (1005 + 31) / 7 = 148; A3: 5 of 8 = 62.5 %.
    assert (m["A1"]["value"], m["A1"]["denominator"]) == (306, 8)
    assert (m["A2"]["value"], m["A2"]["denominator"]) == (148, 7)
    assert (m["A3"]["value"], m["A3"]["numerator"]) == (62.5, 5)


def test_stored_results_match_and_a_council_recompute_moves_the_region(known):
    recompute_all()
    region = result(region_id=known["region"].pk, council_id=None, period=W)
    assert region.measure("A1")["value"] == 306
    council_l = result(region_id=known["region"].pk, council_id=known["L"].pk, period=W)
    assert council_l.measure("A1")["value"] == 120
    # c11's adoption order was recorded in error: L's cohort empties, the region loses it.
    c11 = known["c11"]
    c11.events.filter(kind=K.ADOPTION_ORDER).update(entered_in_error=True)
    recompute_council(known["L"].pk)
    council_l = result(region_id=known["region"].pk, council_id=known["L"].pk, period=W)
    assert council_l.measure("A1")["value"] is None  # empty cohort
    assert council_l.measure("A1")["denominator"] == 0
    region = result(region_id=known["region"].pk, council_id=None, period=W)
    assert (region.measure("A1")["value"], region.measure("A1")["denominator"]) == (332, 7)
    assert region.measure("A2")["value"] == 168


def test_financial_year_and_quarter_cohorts(known):
    # 2015-16 (1 Apr 2015 - 31 Mar 2016): c2 (30 Jun), c3 (1 Oct), c6a, c6b (1-2 Sep), c7.
    # A1 = (212 + 151 + 423 + 424) / 4 = 302.5 -> 303.
    fy = compute_scorecard(
        period=P.financial_year(2015), region_id=known["region"].pk, council_id=known["K"].pk
    )
    assert (fy.measure("A1")["value"], fy.measure("A1")["denominator"]) == (303, 4)
    # Q1 2015-16 (Apr-Jun): only c2, adopted on the quarter's last day: A1 212, A10 28.
    q1 = compute_scorecard(
        period=P.quarter(2015, 1), region_id=known["region"].pk, council_id=known["K"].pk
    )
    assert q1.measure("A1")["value"] == 212 and q1.measure("A10")["value"] == 28


def test_empty_cohort_has_no_value():
    region, (council,) = region_with_councils("Empty", "979")
    res = compute_scorecard(period=W, region_id=region.pk, council_id=council.pk)
    for code in ("A1", "A10", "A2", "A3"):
        assert res.measure(code)["value"] is None
        assert res.measure(code)["denominator"] == 0


def test_rounding_halves_away_from_zero():
    assert finalise("A1", raw(21, 0, 2))["value"] == 11  # 10.5 -> 11
    assert finalise("A1", raw(25, 0, 2))["value"] == 13  # 12.5 -> 13 (not the even 12)
    assert finalise("A3", raw(0, 1, 16))["value"] == 6.3  # 6.25 -> 6.3 (not 6.2)
    assert finalise("A3", raw(0, 1, 6))["value"] == 16.7
    assert finalise("A3", raw(0, 0, 0))["value"] is None


def test_the_stored_text_of_a_figure_is_its_finalised_compact_form():
    """The full recompute writes each figure's JSON directly (stored_text); it must read back
    as exactly the figure finalise and compact give: every kind of measure, empty figures,
    halves, exclusions, with and without a threshold."""
    figures = [
        None,
        raw(),
        raw(7),
        raw(21, 0, 2),
        raw(0, 1, 16),
        raw(0, 0, 0, {"no placed date": 2}),
        raw(1003, 5, 9, {"no placement order": 1, "no match date": 3}),
    ]
    for code in MEASURES:
        for figure in figures:
            for threshold in (None, 14, 426):
                expected = compact(code, finalise(code, figure, threshold))
                assert json.loads(stored_text(code, figure, threshold)) == expected, code


def test_threshold_table_is_data(known):
    from scorecard.models import ScorecardThreshold
    from scorecard.reference import SCORECARD_THRESHOLDS

    for first_year, a1, a2, a3 in SCORECARD_THRESHOLDS:  # as seeded (a flushed database lacks them)
        ScorecardThreshold.objects.update_or_create(
            first_year=first_year, defaults={"a1_days": a1, "a2_days": a2, "a3_months": a3}
        )

    # 2011-14 uses its own row (547 / 182 / 18); c4 (1 Apr 2014) is outside it.
    old = compute_scorecard(period=P.window(2011), region_id=known["region"].pk)
    assert old.measure("A1")["threshold"] == 547 and old.measure("A3")["threshold"] == 18
    # An administrator tightens A3 for 2013-16 and later to 12 months: c1 (8 months 21 days)
    # and c2 (7 months) stay under, c3 (5 months) too, c6a (13 months 27 days) no longer.
    ScorecardThreshold.objects.filter(first_year=2013).update(a3_months=12)
    res = compute_scorecard(period=W, region_id=known["region"].pk, council_id=known["K"].pk)
    assert (res.measure("A3")["numerator"], res.measure("A3")["threshold"]) == (3, 12)


def test_quarterly_activity():
    region, (council,) = region_with_councils("Activity", "973")
    # Q1 2018-19 is Apr-Jun 2018. Counted by the date of each event:
    child(
        council,
        entered=date(2017, 1, 1),
        events=[
            (K.ADM_DECISION, date(2018, 4, 1)),  # Q1: ADM decision
            (K.PLACEMENT_ORDER, date(2018, 6, 30)),  # Q1: placement order (last day)
            (K.MATCHED, date(2018, 7, 1)),  # Q2: matched
            (K.PLACED, date(2018, 8, 1)),  # Q2: placed
            (K.DISRUPTION, date(2018, 9, 1)),  # Q2: disruption
            (K.MATCHED, date(2019, 1, 10)),  # Q4: matched
            (K.PLACED, date(2019, 2, 1)),  # Q4: placed
            (K.ADOPTION_ORDER, date(2019, 3, 31)),  # Q4: adoption order
        ],
    )
    child(
        council,
        entered=date(2017, 6, 1),
        events=[
            (K.ADM_DECISION, date(2018, 5, 1)),  # Q1
            (
                K.PLACEMENT_ORDER,
                date(2018, 6, 1),
                {"authority": "consent"},
            ),  # consent: not an order
            (K.PLAN_CEASED, date(2018, 11, 1), {"ceased_reason": "RD1"}),  # Q3: change of plan
            (
                K.ADM_DECISION,
                date(2019, 4, 1),
                {"entered_in_error": True},
            ),  # withdrawn; and 2019-20
        ],
    )
    recompute_all()
    from scorecard.selectors import quarterly

    table = quarterly(first_year=2018, region_id=region.pk, council_id=council.pk)
    q = table["quarters"]
    assert q["Q1"] == {
        "adm_decisions": 2,
        "placement_orders": 1,
        "matched": 0,
        "placed": 0,
        "adoption_orders": 0,
        "plan_changes": 0,
        "disruptions": 0,
    }
    assert (q["Q2"]["matched"], q["Q2"]["placed"], q["Q2"]["disruptions"]) == (1, 1, 1)
    assert q["Q3"]["plan_changes"] == 1
    assert (q["Q4"]["matched"], q["Q4"]["placed"], q["Q4"]["adoption_orders"]) == (1, 1, 1)
    assert table["total"] == {
        "adm_decisions": 2,
        "placement_orders": 1,
        "matched": 2,
        "placed": 2,
        "adoption_orders": 1,
        "plan_changes": 1,
        "disruptions": 1,
    }


def waiting_world():
    region, (council,) = region_with_councils("Waiting", "974")
    together = sibling_group(council)
    # At 31 Mar 2016 (the end of 2015-16):
    # w1 waits: decision 1 Jun 2015, not placed; order 1 Sep 2015 (6 months: not 12+); in care
    # since 1 Aug 2014 (19 months: 18+); aged 4 (born 1 Apr 2011); MWBC; sibling group.
    child(
        council,
        entered=date(2014, 8, 1),
        born=date(2011, 4, 1),
        ethnicity="MWBC",
        sibling_group=together,
        events=[(K.ADM_DECISION, date(2015, 6, 1)), (K.PLACEMENT_ORDER, date(2015, 9, 1))],
    )
    # w2 was placed on 1 Dec 2015: not waiting.
    child(
        council,
        entered=date(2014, 8, 1),
        events=[(K.ADM_DECISION, date(2015, 1, 1)), (K.PLACED, date(2015, 12, 1))],
    )
    # w3 waits again after a disruption; order 1 Sep 2014 (18 months 30 days: 12+ and 18+);
    # in care since 1 Jan 2014 (18+); exactly 5 on 31 Mar 2016; WBRI; disabled.
    child(
        council,
        entered=date(2014, 1, 1),
        born=date(2011, 3, 31),
        ethnicity="WBRI",
        disabled=True,
        events=[
            (K.ADM_DECISION, date(2014, 6, 1)),
            (K.PLACEMENT_ORDER, date(2014, 9, 1)),
            (K.PLACED, date(2014, 12, 1)),
            (K.DISRUPTION, date(2015, 5, 1)),
        ],
    )
    # w4: plan changed on 1 Oct 2015; w5: decision after the date; w6: left care 1 Jan 2016.
    child(
        council,
        entered=date(2014, 8, 1),
        events=[
            (K.ADM_DECISION, date(2015, 2, 1)),
            (K.PLAN_CEASED, date(2015, 10, 1), {"ceased_reason": "RD3"}),
        ],
    )
    child(council, entered=date(2015, 8, 1), events=[(K.ADM_DECISION, date(2016, 4, 1))])
    child(
        council,
        entered=[(date(2014, 8, 1), date(2016, 1, 1))],
        events=[(K.ADM_DECISION, date(2015, 3, 1))],
    )
    return region, council


def test_children_waiting_at_the_year_end():
    region, council = waiting_world()
    recompute_all()
    res = result(region_id=region.pk, council_id=council.pk, period=P.financial_year(2015))
    got = {
        code: res.measure(code)["value"]
        for code in (
            "waiting",
            "waiting_with_po",
            "waiting_18m_in_care",
            "waiting_12m_po",
            "waiting_18m_po",
            "waiting_aged_5",
            "waiting_minority",
            "waiting_disabled",
            "waiting_siblings",
        )
    }
    assert got == {
        "waiting": 2,
        "waiting_with_po": 2,
        "waiting_18m_in_care": 2,
        "waiting_12m_po": 1,
        "waiting_18m_po": 1,
        "waiting_aged_5": 1,
        "waiting_minority": 1,
        "waiting_disabled": 1,
        "waiting_siblings": 1,
    }
    # At 30 Jun 2016 w5 waits too; w1 and w3 still wait (nothing changed): 3.
    q1 = result(region_id=region.pk, council_id=council.pk, period=P.quarter(2016, 1))
    assert q1.measure("waiting")["value"] == 3


def test_children_waiting_at_a_custom_date():
    region, council = waiting_world()
    # 30 Mar 2016, the day before w3's fifth birthday: the same two wait, neither aged 5 yet.
    res = compute_scorecard(
        period=P.custom(date(2015, 4, 1), date(2016, 3, 30)),
        region_id=region.pk,
        council_id=council.pk,
    )
    got = {
        code: res.measure(code)["value"]
        for code in (
            "waiting",
            "waiting_with_po",
            "waiting_18m_in_care",
            "waiting_12m_po",
            "waiting_18m_po",
            "waiting_aged_5",
            "waiting_minority",
            "waiting_disabled",
            "waiting_siblings",
        )
    }
    assert got == {
        "waiting": 2,
        "waiting_with_po": 2,
        "waiting_18m_in_care": 2,
        "waiting_12m_po": 1,
        "waiting_18m_po": 1,
        "waiting_aged_5": 0,
        "waiting_minority": 1,
        "waiting_disabled": 1,
        "waiting_siblings": 1,
    }


def test_adopter_measures_of_a_year():
    region, (council,) = region_with_councils("Adopters", "975")
    # 2015-16: 1 Apr 2015 to 31 Mar 2016.
    h1 = household(
        region,
        council,
        enquiry_date=date(2015, 4, 10),
        registration_date=date(2015, 5, 1),
        stage1_end_date=date(2015, 6, 20),
        stage2_start_date=date(2015, 7, 1),
        approval_date=date(2015, 10, 15),
    )
    # h1: approved 5 months 14 days after registering (< 6); Stage 1 in 1 month 19 days (< 2);
    # Stage 2 in 3 months 14 days (< 4); matched 1 Feb 2016, 3 months 17 days after approval.
    household(
        region,
        council,
        enquiry_date=date(2015, 3, 1),
        registration_date=date(2015, 3, 15),
        stage1_end_date=date(2015, 6, 1),
        stage2_start_date=date(2015, 6, 10),
        approval_date=date(2015, 11, 1),
    )
    # h2: 7 months 17 days to approval (not < 6), Stage 1 2 months 17 days, Stage 2 4 months
    # 22 days; never matched: waiting at 31 Mar 2016 (A11).
    h3 = household(
        region,
        council,
        stage2_start_date=date(2015, 8, 1),
        approval_date=date(2015, 9, 15),
        fast_track="foster_carer",
    )
    # h3: fast track (no registration): out of "within 6 months"; Stage 2 in 1 month 14 days;
    # matched 1 Nov 2015, 1 month 17 days after approval (not 3+).
    household(region, council, enquiry_date=date(2015, 8, 1), registration_date=date(2015, 9, 1))
    # h4: registered, not approved: still to be assessed (A13).
    household(
        region,
        council,
        registration_date=date(2015, 9, 1),
        left_date=date(2016, 1, 1),
        left_reason="withdrew",
    )
    # h5 left: neither.
    household(region, None, enquiry_date=date(2015, 5, 5))
    # a household recruited by no partner council: the region's enquiries only.
    for h, matched in ((h1, date(2016, 2, 1)), (h3, date(2015, 11, 1))):
        child(
            council,
            entered=date(2014, 1, 1),
            events=[(K.ADM_DECISION, date(2014, 6, 1)), (K.MATCHED, matched, {"household": h})],
        )
    recompute_all()
    fy = P.financial_year(2015)
    res = result(region_id=region.pk, council_id=council.pk, period=fy)
    m = {
        code: res.measure(code)
        for code in (
            "enquiries",
            "registrations",
            "approvals",
            "approved_6m",
            "A11",
            "A12",
            "A13",
            "stage1_2m",
            "stage2_4m",
        )
    }
    assert (m["enquiries"]["value"], m["registrations"]["value"], m["approvals"]["value"]) == (
        2,
        3,
        3,
    )  # h1, h4 / h1, h4, h5 / h1, h2, h3
    assert (m["approved_6m"]["value"], m["approved_6m"]["denominator"]) == (50.0, 2)
    assert m["approved_6m"]["excluded"] == {"fast-track, no Stage 1 start": 1}
    assert m["A11"]["value"] == 1  # h2
    assert (m["A12"]["value"], m["A12"]["numerator"], m["A12"]["denominator"]) == (50.0, 1, 2)
    assert m["A13"]["value"] == 1  # h4
    assert (m["stage1_2m"]["value"], m["stage1_2m"]["denominator"]) == (50.0, 2)
    assert (m["stage2_4m"]["value"], m["stage2_4m"]["numerator"]) == (66.7, 2)
    region_res = result(region_id=region.pk, council_id=None, period=fy)
    assert region_res.measure("enquiries")["value"] == 3


def test_milestone_timeline_of_children_placed():
    region, (council,) = region_with_councils("Timeline", "976")
    # Placed in 2015-16. t1: entered 1 Jan 2014; ADM 1 May 2014 (120 days); order 1 Aug 2014
    # (212); match 1 Mar 2015 (424); placed 15 Apr 2015 (469); adopted 1 Oct 2015 (638).
    child(
        council,
        entered=date(2014, 1, 1),
        events=[
            (K.ADM_DECISION, date(2014, 5, 1)),
            (K.PLACEMENT_ORDER, date(2014, 8, 1)),
            (K.MATCHED, date(2015, 3, 1)),
            (K.PLACED, date(2015, 4, 15)),
            (K.ADOPTION_ORDER, date(2015, 10, 1)),
        ],
    )
    # t2: entered 1 Jun 2014; ADM 1 Oct 2014 (122); consent only (no order); match 1 May 2015
    # (334); placed 1 Jun 2015 (365); not adopted yet.
    child(
        council,
        entered=date(2014, 6, 1),
        events=[
            (K.ADM_DECISION, date(2014, 10, 1)),
            (K.PLACEMENT_ORDER, date(2014, 12, 1), {"authority": "consent"}),
            (K.MATCHED, date(2015, 5, 1)),
            (K.PLACED, date(2015, 6, 1)),
        ],
    )
    res = compute_scorecard(period=P.financial_year(2015), region_id=region.pk)
    got = {
        code: (res.measure(code)["value"], res.measure(code)["denominator"])
        for code in ("T_adm", "T_po", "T_match", "T_placed", "T_ao")
    }
    # ADM (120 + 122) / 2 = 121; order 212 / 1; match (424 + 334) / 2 = 379;
    # placed (469 + 365) / 2 = 417; adoption order 638 / 1.
    assert got == {
        "T_adm": (121, 2),
        "T_po": (212, 1),
        "T_match": (379, 2),
        "T_placed": (417, 2),
        "T_ao": (638, 1),
    }


def test_the_timeline_permanence_decision_row():
    """The permanence decision at the 2nd review (DOMAIN A.2; the stored step
    ``permanence_decision``): mean days from entering care, for children placed in the year,
    counting the latest decision from entering care to the placement."""
    from scorecard.measures.members import figure_members

    region, (council,) = region_with_councils("Permanence", "979")
    # p1: entered 1 Jan 2014; 2nd review decision 1 May 2014 = 31+28+31+30 = 120 days; placed
    # 15 Apr 2015 (in 2015-16).
    p1 = child(
        council,
        entered=date(2014, 1, 1),
        events=[
            (K.PERMANENCE_DECISION, date(2014, 5, 1)),
            (K.ADM_DECISION, date(2014, 6, 1)),
            (K.PLACED, date(2015, 4, 15)),
        ],
    )
    # p2: entered 1 Jun 2014; a decision recorded in error on 1 Jul 2014 counts nowhere; the
    # decision of 2 Oct 2014 = 30+31+31+30+1 = 123 days; placed 1 Jun 2015.
    p2 = child(
        council,
        entered=date(2014, 6, 1),
        events=[
            (K.PERMANENCE_DECISION, date(2014, 7, 1), {"entered_in_error": True}),
            (K.PERMANENCE_DECISION, date(2014, 10, 2)),
            (K.ADM_DECISION, date(2014, 11, 1)),
            (K.PLACED, date(2015, 6, 1)),
        ],
    )
    # p3: a decision in an earlier period of care (1 Mar 2012) is not this period's; no
    # decision since re-entering care on 1 Jan 2014: left out of this row only.
    p3 = child(
        council,
        entered=[(date(2012, 1, 1), date(2012, 12, 31)), (date(2014, 1, 1), None)],
        events=[
            (K.PERMANENCE_DECISION, date(2012, 3, 1)),
            (K.ADM_DECISION, date(2014, 4, 1)),
            (K.PLACED, date(2015, 7, 1)),
        ],
    )
    year = P.financial_year(2015)
    res = compute_scorecard(period=year, region_id=region.pk)
    # (120 + 123) / 2 = 121.5, halves away from zero: 122 days, from 2 children of 3 placed.
    assert (res.measure("T_perm")["value"], res.measure("T_perm")["denominator"]) == (122, 2)
    assert res.measure("T_placed")["denominator"] == 3
    members = figure_members("T_perm", year, None, council_ids=[council.pk])
    assert {m["child_id"]: (m["counted"], m["days"]) for m in members} == {
        p1.pk: (True, 120),
        p2.pk: (True, 123),
        p3.pk: (False, None),
    }
    assert next(m for m in members if m["child_id"] == p3.pk)["reason"] == (
        "no permanence decision (2nd review) on file"
    )


def test_cohort_comparison_before_and_after_a_date():
    from scorecard.selectors import cohort_comparison

    region, (council,) = region_with_councils("Cohorts", "977")
    # Split on 1 Apr 2015; N = 14 (A3's N for 2013-16), M = 12.
    # b1: entered 1 Jan 2014, ADM 1 Mar 2014 (59 days), order 1 May 2014, placed 1 Jan 2015
    # (365 days, 12 months: under 14; 8 months after the order: under 12).
    child(
        council,
        entered=date(2014, 1, 1),
        events=[
            (K.ADM_DECISION, date(2014, 3, 1)),
            (K.PLACEMENT_ORDER, date(2014, 5, 1)),
            (K.PLACED, date(2015, 1, 1)),
        ],
    )
    # b2: entered 1 Jan 2013, ADM 1 Apr 2013 (90), order 1 Jun 2013, placed 1 Jul 2014 (546
    # days, 18 months: not under 14; 13 months after the order: not under 12).
    child(
        council,
        entered=date(2013, 1, 1),
        events=[
            (K.ADM_DECISION, date(2013, 4, 1)),
            (K.PLACEMENT_ORDER, date(2013, 6, 1)),
            (K.PLACED, date(2014, 7, 1)),
        ],
    )
    # a1: entered 1 Jan 2015, ADM 1 Feb 2015 (31), consent only, placed 1 Jun 2015 (151 days).
    child(
        council,
        entered=date(2015, 1, 1),
        events=[
            (K.ADM_DECISION, date(2015, 2, 1)),
            (K.PLACEMENT_ORDER, date(2015, 3, 1), {"authority": "consent"}),
            (K.PLACED, date(2015, 6, 1)),
        ],
    )
    got = cohort_comparison(region_id=region.pk, split=date(2015, 4, 1))
    assert (got["n_months"], got["m_months"]) == (14, 12)
    before, after = got["before"], got["after"]
    # before: (365 + 546) / 2 = 455.5 -> 456; 1 of 2 under 14 months; ADM (59 + 90) / 2 =
    # 74.5 -> 75; 1 of 2 placed under 12 months after the order.
    assert before["placed"]["value"] == 456
    assert (before["placed_n_months"]["value"], before["placed_n_months"]["numerator"]) == (50.0, 1)
    assert before["adm"]["value"] == 75
    assert before["po_m_months"]["value"] == 50.0
    # after: 151 days, 100 %, ADM 31; no placement order: no value.
    assert after["placed"]["value"] == 151 and after["placed_n_months"]["value"] == 100.0
    assert after["adm"]["value"] == 31
    assert (after["po_m_months"]["value"], after["po_m_months"]["denominator"]) == (None, 0)
