"""Building journeys from 903 rows (DOMAIN.md A.9), the 903 soft rules, and the hard errors that
skip a child or refuse a set. Pure: no database."""

from datetime import date

import pytest

from children.models import EventKind
from children.ssda903.derive import derive_journey
from children.ssda903.reading import read_set
from children.ssda903.validate import soft_findings
from tests.children.ssda903_sets import (
    ad1,
    adopted_by_new_family,
    csv_set,
    ep,
    head,
    placed,
)


def journey_of(**parts):
    read = read_set(csv_set(**parts))
    assert not read.refused and not read.errors, (read.refusals, dict(read.errors))
    (rows,) = read.children.values()
    return rows, derive_journey(rows)


def events(journey, kind):
    return [e for e in journey.events if e.kind == kind]


def test_every_milestone_of_an_adoption_by_a_new_family():
    _, journey = journey_of(**adopted_by_new_family())
    assert journey.entered_care == date(2019, 2, 1)
    assert journey.dates(EventKind.ADM_DECISION) == [date(2019, 6, 10)]
    assert journey.dates(EventKind.PLACEMENT_ORDER) == [date(2019, 8, 1)]
    assert journey.dates(EventKind.MATCHED) == [date(2019, 11, 1)]
    assert journey.dates(EventKind.PLACED) == [date(2019, 11, 15)]
    assert journey.dates(EventKind.ADOPTION_ORDER) == [date(2020, 5, 20)]
    (placement,) = events(journey, EventKind.PLACED)
    assert not placement.foster_carer_adoption and placement.living_with_carers_since is None
    assert placement.placement_provider == "PR1"
    (period,) = journey.periods
    assert (period.entered_care, period.left_care, period.left_care_reason) == (
        date(2019, 2, 1),
        date(2020, 5, 20),
        "E11",
    )


FOSTER_CARER_EPISODES = [
    ep("F1", "01/03/2019", "S", "C2", "U5", "01/09/2019", "X1"),
    ep("F1", "01/09/2019", "L", "E1", "U5", "01/12/2019", "X1"),
    ep("F1", "01/12/2019", "U", "E1", "A5", "01/02/2020", "X1", provider="PR2"),
    ep("F1", "01/02/2020", "L", "E1", "A5", "10/06/2020", "E12", provider="PR2"),
]


def test_foster_carer_adoption_walks_back_to_the_placement_and_to_moving_in():
    # Placed: from the adoption episode (01/02/2020, RNE L) back over the A5 episode before it;
    # the U5 episode before that is not a placement for adoption, so placed = 01/12/2019.
    # Living with the carers: from there back over any same-carer episode to 01/03/2019.
    _, journey = journey_of(header=[head("F1")], episodes=FOSTER_CARER_EPISODES)
    (placement,) = events(journey, EventKind.PLACED)
    assert placement.date == date(2019, 12, 1)
    assert placement.foster_carer_adoption
    assert placement.living_with_carers_since == date(2019, 3, 1)
    assert placement.placement_provider == "PR2"
    assert journey.dates(EventKind.ADOPTION_ORDER) == [date(2020, 6, 10)]
    assert journey.dates(EventKind.PLACEMENT_ORDER) == [date(2019, 9, 1)]


def test_the_walk_back_stops_at_a_break_or_a_new_carer():
    broken = [dict(e) for e in FOSTER_CARER_EPISODES]
    broken[0]["DEC"] = "31/08/2019"  # a gap of a day: not unbroken
    _, journey = journey_of(header=[head("F1")], episodes=broken)
    assert events(journey, EventKind.PLACED)[0].living_with_carers_since == date(2019, 9, 1)

    new_carer = [dict(e) for e in FOSTER_CARER_EPISODES]
    new_carer[1]["RNE"] = "P"  # moved to new carers on 01/09/2019
    _, journey = journey_of(header=[head("F1")], episodes=new_carer)
    assert events(journey, EventKind.PLACED)[0].living_with_carers_since == date(2019, 9, 1)


def test_ad1_foster_care_makes_a_foster_carer_adoption_of_an_a6_placement():
    parts = adopted_by_new_family("G1")
    parts["ad1_rows"] = [ad1("G1", "10/06/2019", "01/11/2019", foster="1")]
    _, journey = journey_of(**parts)
    (placement,) = events(journey, EventKind.PLACED)
    # The A6 episode began with RNE P (new carer): the carers' time starts there.
    assert placement.foster_carer_adoption
    assert placement.living_with_carers_since == date(2019, 11, 15)


def test_re_entry_to_care_is_a_new_period_and_entered_care_is_the_later_one():
    _, journey = journey_of(
        header=[head("R1", dob="01/01/2015")],
        episodes=[
            ep("R1", "01/03/2016", "S", "V2", "U6", "01/09/2016", "E4A"),
            ep("R1", "01/02/2019", "S", "C2", "U6", "01/06/2019", "X1"),
            ep("R1", "01/06/2019", "L", "E1", "U6", "01/10/2019", "X1"),
            ep("R1", "01/10/2019", "P", "E1", "A6", "01/05/2020", "E11"),
        ],
        placed_rows=[placed("R1", "01/04/2019")],
    )
    assert [(p.entered_care, p.left_care, p.left_care_reason) for p in journey.periods] == [
        (date(2016, 3, 1), date(2016, 9, 1), "E4A"),
        (date(2019, 2, 1), date(2020, 5, 1), "E11"),
    ]
    assert journey.entered_care == date(2019, 2, 1)


def test_coming_back_after_leaving_care_starts_a_period_even_without_rne_s():
    _, journey = journey_of(
        header=[head("R2")],
        episodes=[
            ep("R2", "01/03/2019", "S", "V2", "U6", "01/05/2019", "E13"),
            ep("R2", "01/07/2019", "P", "C2", "U6"),
        ],
    )
    assert [p.entered_care for p in journey.periods] == [date(2019, 3, 1), date(2019, 7, 1)]
    assert journey.entered_care == date(2019, 7, 1)  # the latest, still in the process


def test_a_disruption_then_a_second_placement_that_leads_to_the_order():
    _, journey = journey_of(
        header=[head("D1")],
        episodes=[
            ep("D1", "01/02/2019", "S", "E1", "U6", "01/03/2020", "X1"),
            ep("D1", "01/03/2020", "P", "E1", "A6", "01/06/2020", "X1"),
            ep("D1", "01/06/2020", "P", "E1", "U6", "01/10/2020", "X1", reason="CLOSE"),
            ep("D1", "01/10/2020", "P", "E1", "A6", "01/05/2021", "E11"),
        ],
        placed_rows=[placed("D1", "01/01/2020")],
    )
    assert journey.dates(EventKind.PLACED) == [date(2020, 3, 1), date(2020, 10, 1)]
    (disruption,) = events(journey, EventKind.DISRUPTION)
    assert (disruption.date, disruption.disruption_reason) == (date(2020, 6, 1), "CLOSE")
    assert journey.placed == date(2020, 10, 1)  # after a disruption, the later placement


def test_leaving_care_from_an_adoptive_placement_other_than_by_adoption_is_a_disruption():
    _, journey = journey_of(
        header=[head("D2")],
        episodes=[
            ep("D2", "01/02/2019", "S", "E1", "U6", "01/03/2020", "X1"),
            ep("D2", "01/03/2020", "P", "E1", "A6", "01/06/2020", "E13"),
        ],
    )
    assert journey.dates(EventKind.DISRUPTION) == [date(2020, 6, 1)]
    assert journey.dates(EventKind.ADOPTION_ORDER) == []


# -- disruptions: a placement that ended in one is never the one measured (A.2, A.9) -----------


def test_adopted_after_a_disruption_with_no_later_adoptive_placement_has_no_placed_date():
    # Placed 01/03/2020 (A6), disrupted 01/06/2020 (moved to a U6 foster placement, RNE P),
    # adopted from that foster placement 20/12/2020. The walk back from the adoption episode
    # stops at once (U6 is not A3-A6): no placed date. The placement and its disruption are
    # still events (A.4 counts them); entered care is the latest S on or before the order.
    _, journey = journey_of(
        header=[head("X1")],
        episodes=[
            ep("X1", "01/02/2019", "S", "C2", "U6", "01/08/2019", "X1"),
            ep("X1", "01/08/2019", "L", "E1", "U6", "01/03/2020", "X1"),
            ep("X1", "01/03/2020", "P", "E1", "A6", "01/06/2020", "X1"),
            ep("X1", "01/06/2020", "P", "E1", "U6", "20/12/2020", "E11", reason="CLOSE"),
        ],
        placed_rows=[placed("X1", "10/06/2019")],
    )
    assert journey.placed is None
    assert journey.dates(EventKind.PLACED) == [date(2020, 3, 1)]
    assert journey.dates(EventKind.DISRUPTION) == [date(2020, 6, 1)]
    assert journey.adoption_order == date(2020, 12, 20)
    assert journey.entered_care == date(2019, 2, 1)


def test_disrupted_then_the_plan_ceased_a_new_decision_and_a_new_placement():
    # Placed 01/01/2020 (A4), disrupted 01/04/2020 (U4, RNE P), plan ceased 01/05/2020 (RD1),
    # a new decision 01/08/2020, placed again 01/11/2020 (A4), adopted 31/03/2021: the later
    # placement is the one measured.
    _, journey = journey_of(
        header=[head("X3")],
        episodes=[
            ep("X3", "01/02/2019", "S", "C2", "U6", "01/08/2019", "X1"),
            ep("X3", "01/08/2019", "L", "E1", "U6", "01/01/2020", "X1"),
            ep("X3", "01/01/2020", "P", "E1", "A4", "01/04/2020", "X1"),
            ep("X3", "01/04/2020", "P", "E1", "U4", "01/11/2020", "X1", reason="CARPL"),
            ep("X3", "01/11/2020", "P", "E1", "A4", "31/03/2021", "E11"),
        ],
        placed_rows=[placed("X3", "01/06/2019", "01/05/2020", "RD1"), placed("X3", "01/08/2020")],
    )
    assert journey.placed == date(2020, 11, 1)
    assert journey.dates(EventKind.PLACED) == [date(2020, 1, 1), date(2020, 11, 1)]
    assert journey.dates(EventKind.DISRUPTION) == [date(2020, 4, 1)]
    assert journey.dates(EventKind.ADM_DECISION) == [date(2019, 6, 1), date(2020, 8, 1)]
    assert journey.dates(EventKind.PLAN_CEASED) == [date(2020, 5, 1)]


def test_a_move_straight_to_other_adopters_is_a_new_placement_not_a_disruption():
    # A.9: a disruption is a run that ends in a placement that is NOT A3-A6. From A5 straight
    # to A3 with new carers (RNE P) on 09/11/2017: two placements, no disruption; the later,
    # which leads to the order, is measured.
    _, journey = journey_of(
        header=[head("X6")],
        episodes=[
            ep("X6", "01/01/2017", "S", "E1", "U6", "18/06/2017", "X1"),
            ep("X6", "18/06/2017", "P", "E1", "A5", "09/11/2017", "X1"),
            ep("X6", "09/11/2017", "P", "E1", "A3", "01/06/2018", "E12"),
        ],
    )
    assert journey.dates(EventKind.PLACED) == [date(2017, 6, 18), date(2017, 11, 9)]
    assert journey.dates(EventKind.DISRUPTION) == []
    assert journey.placed == date(2017, 11, 9)


def test_a_child_still_in_the_process_whose_placement_disrupted_has_no_placed_date():
    # No adoption episode: the latest A3-A6 run that did not end in a disruption; here the only
    # one did (01/03/2020 -> U6 on 01/06/2020), so none. Entered care: the latest start.
    _, journey = journey_of(
        header=[head("X7")],
        episodes=[
            ep("X7", "01/02/2019", "S", "E1", "U6", "01/03/2020", "X1"),
            ep("X7", "01/03/2020", "P", "E1", "A6", "01/06/2020", "X1"),
            ep("X7", "01/06/2020", "P", "E1", "U6"),
        ],
    )
    assert journey.placed is None
    assert journey.dates(EventKind.DISRUPTION) == [date(2020, 6, 1)]
    assert journey.entered_care == date(2019, 2, 1)


def test_decisions_changes_of_plan_and_freeing_orders():
    _, journey = journey_of(
        header=[head("P1", dob="01/01/2003")],
        episodes=[ep("P1", "01/02/2004", "S", "D1", "U6")],
        placed_rows=[
            placed("P1", "01/03/2004", "01/09/2004", "RD3"),
            placed("P1", "01/01/2005"),
        ],
    )
    assert journey.dates(EventKind.ADM_DECISION) == [date(2004, 3, 1), date(2005, 1, 1)]
    (ceased,) = events(journey, EventKind.PLAN_CEASED)
    assert (ceased.date, ceased.ceased_reason) == (date(2004, 9, 1), "RD3")
    (order,) = events(journey, EventKind.PLACEMENT_ORDER)
    assert order.authority == "freeing_order"


def test_the_decision_comes_from_ad1_when_there_is_no_placed_for_adoption_row():
    parts = adopted_by_new_family("A1")
    parts["placed_rows"] = []
    _, journey = journey_of(**parts)
    assert journey.dates(EventKind.ADM_DECISION) == [date(2019, 6, 10)]


def test_entered_care_is_the_first_episode_when_none_starts_with_s():
    _, journey = journey_of(header=[head("N1")], episodes=[ep("N1", "05/05/2019", "P", "C2", "U6")])
    assert journey.entered_care == date(2019, 5, 5)


# -- soft 903 rules -------------------------------------------------------------------------------


def rules_of(**parts) -> set[str]:
    rows, journey = journey_of(**parts)
    return {f.rule for f in soft_findings(rows, journey)}


def variant(child="V1", episodes=None, ad1_row=None, placed_rows=None):
    parts = adopted_by_new_family(child)
    if episodes is not None:
        parts["episodes"] = episodes
    if ad1_row is not None:
        parts["ad1_rows"] = [ad1_row]
    if placed_rows is not None:
        parts["placed_rows"] = placed_rows
    return parts


def test_a_clean_adoption_breaks_no_903_rule():
    assert rules_of(**adopted_by_new_family()) == set()


@pytest.mark.parametrize(
    ("rule", "parts"),
    [
        # AD1 DATE_INT differs from the PlacedAdoption decision date.
        ("903-523", variant(ad1_row=ad1("V1", "11/06/2019", "01/11/2019"))),
        # The decision after the match.
        ("903-333", variant(ad1_row=ad1("V1", "10/06/2019", "01/06/2019"))),
        # The match after the placement (15/11/2019).
        ("903-331", variant(ad1_row=ad1("V1", "10/06/2019", "20/11/2019"))),
        # The decision before entering care (01/02/2019).
        (
            "903-334",
            variant(
                ad1_row=ad1("V1", "10/01/2019", "01/11/2019"),
                placed_rows=[placed("V1", "10/01/2019")],
            ),
        ),
        # Placed under a placement order (A6) with legal status C2.
        (
            "903-408",
            variant(
                episodes=[
                    ep("V1", "01/02/2019", "S", "C1", "U6", "15/11/2019", "X1"),
                    ep("V1", "15/11/2019", "P", "C2", "A6", "20/05/2020", "E11"),
                ]
            ),
        ),
        # The decision after the first placement for adoption.
        ("903-552", variant(placed_rows=[placed("V1", "20/11/2019")])),
        # Placed for adoption with no decision in the files.
        ("903-551", variant(ad1_row=ad1("V1", "", ""), placed_rows=[])),
        # A placement order with no decision in the files.
        ("903-553", variant(ad1_row=ad1("V1", "", ""), placed_rows=[])),
        # AD1 half filled.
        ("903-151", variant(ad1_row=ad1("V1", "10/06/2019", ""))),
        # The adoption order on the match date.
        ("903-582", variant(ad1_row=ad1("V1", "10/06/2019", "20/05/2020"))),
        # FOSTER_CARE 1 with an A6 placement (not with the current foster carer).
        ("903-335", variant(ad1_row=ad1("V1", "10/06/2019", "01/11/2019", foster="1"))),
        # An A5 placement (with the foster carer) starting with RNE P.
        (
            "903-217",
            variant(
                episodes=[
                    ep("V1", "01/02/2019", "S", "E1", "U6", "15/11/2019", "X1"),
                    ep("V1", "15/11/2019", "P", "E1", "A5", "20/05/2020", "E11"),
                ]
            ),
        ),
        # Adopted from a foster placement.
        (
            "903-390",
            variant(episodes=[ep("V1", "01/02/2019", "S", "E1", "U6", "20/05/2020", "E11")]),
        ),
        # A decision ended before it was made.
        ("903-522", variant(placed_rows=[placed("V1", "10/06/2019", "01/06/2019", "RD1")])),
        # Two decisions overlapping.
        ("903-579", variant(placed_rows=[placed("V1", "10/06/2019"), placed("V1", "01/07/2019")])),
        # Adopted while the latest decision had ended.
        ("903-558", variant(placed_rows=[placed("V1", "10/06/2019", "01/12/2019", "RD4")])),
        # Left care (E13) with the decision still in force.
        (
            "903-557",
            variant(
                episodes=[ep("V1", "01/02/2019", "S", "E1", "U6", "01/03/2020", "E13")],
                ad1_row=ad1("V1", "", ""),
            ),
        ),
        # The first episode, inside the collection year (2019-20), does not start with S.
        (
            "903-357",
            variant(
                episodes=[
                    ep("V1", "01/05/2019", "P", "E1", "U6", "15/11/2019", "X1"),
                    ep("V1", "15/11/2019", "P", "E1", "A6", "20/05/2020", "E11"),
                ]
            ),
        ),
        # X1 but the next episode starts on another day.
        (
            "903-episodes-chain",
            variant(
                episodes=[
                    ep("V1", "01/02/2019", "S", "E1", "U6", "10/11/2019", "X1"),
                    ep("V1", "15/11/2019", "P", "E1", "A6", "20/05/2020", "E11"),
                ]
            ),
        ),
        # An open episode with a reason it ended.
        (
            "903-rec-without-dec",
            variant(
                episodes=[
                    ep("V1", "01/02/2019", "S", "E1", "U6", "15/11/2019", "X1"),
                    ep("V1", "15/11/2019", "P", "E1", "A6", "", "X1"),
                ]
            ),
        ),
    ],
)
def test_each_soft_903_rule(rule, parts):
    assert rule in rules_of(**parts)


# -- hard errors and refusals ---------------------------------------------------------------------


def problems(files):
    read = read_set(files)
    return read, [p for ps in read.errors.values() for p in ps]


@pytest.mark.parametrize(
    ("change", "rule", "column"),
    [
        (lambda s: s["header"][0].update(DOB="31/02/2018"), "date-unreadable", "DOB"),
        (lambda s: s["header"][0].update(DOB=""), "value-missing", "DOB"),
        (lambda s: s["header"][0].update(SEX="X"), "code-unknown", "SEX"),
        (lambda s: s["header"][0].update(ETHNIC="ZZZZ"), "code-unknown", "ETHNIC"),
        (lambda s: s["episodes"][1].update(LS="Q9"), "code-unknown", "LS"),
        (lambda s: s["episodes"][1].update(PLACE="A9"), "code-unknown", "PLACE"),
        (lambda s: s["episodes"][1].update(RNE=""), "value-missing", "RNE"),
        (lambda s: s["episodes"][1].update(DECOM="2019-13-01"), "date-unreadable", "DECOM"),
        (lambda s: s["episodes"][2].update(REC="E99"), "code-unknown", "REC"),
        (lambda s: s["episodes"][0].update(DEC="01/01/2019"), "episode-ends-before-start", "DEC"),
        (lambda s: s["placed_rows"][0].update(REASON_PLACED_CEASED="XXX"), "code-unknown", None),
        (
            lambda s: s["placed_rows"][0].update(DATE_PLACED_CEASED="01/12/2019"),
            "563-ceased-reason",
            "REASON_PLACED_CEASED",
        ),
        (lambda s: s["ad1_rows"][0].update(FOSTER_CARE="2"), "code-unknown", "FOSTER_CARE"),
        (lambda s: s["header"].append(head("H1", dob="02/02/2018")), "child-duplicated", "CHILD"),
        (
            lambda s: s["episodes"].append(ep("ZZ9", "01/01/2020", "S", "C2", "U6")),
            "child-not-in-header",
            "CHILD",
        ),
    ],
)
def test_each_hard_error_skips_the_child_and_names_file_row_column_value_and_rule(
    change, rule, column
):
    parts = adopted_by_new_family("H1")
    parts["header"].append(head("OK1"))
    parts["episodes"].append(ep("OK1", "01/01/2020", "S", "C2", "U6"))
    change(parts)
    read, found = problems(csv_set(**parts))
    assert not read.refused
    assert rule in {p.rule for p in found}
    problem = next(p for p in found if p.rule == rule)
    assert problem.file.endswith(".csv") and problem.row >= 2
    if column:
        assert problem.column == column
    assert "OK1" in read.children  # everything else lands
    if rule != "child-not-in-header":
        assert "H1" not in read.children and problem.child == "H1"


def test_dates_in_iso_form_are_read_and_optional_columns_may_be_absent():
    files = csv_set(**adopted_by_new_family("I1"))
    files["episodes.csv"] = (
        b"CHILD,DECOM,RNE,LS,PLACE,DEC,REC\nI1,2019-02-01,S,C1,U6,,\n"  # no PLACE_PROVIDER etc.
    )
    read, found = problems(files)
    assert not found and read.children["I1"].episodes[0].decom == date(2019, 2, 1)


@pytest.mark.parametrize(
    ("change", "rule"),
    [
        (lambda f: f.pop("header.csv"), "file-missing"),
        (lambda f: f.update({"header.csv": b"CHILD,SEX,ETHNIC\n1,1,WBRI\n"}), "column-missing"),
        (lambda f: f.update({"episodes.csv": b"\x00\x01\x02\xff\xfe binary"}), "file-unreadable"),
        (lambda f: f.update({"episodes.csv": b""}), "column-missing"),
    ],
)
def test_a_missing_or_unreadable_file_or_column_refuses_the_whole_set(change, rule):
    files = csv_set(**adopted_by_new_family())
    change(files)
    read = read_set(files)
    assert read.refused and read.refusals[0].rule == rule
    assert read.refusals[0].message


def test_a_truncated_file_reports_and_does_not_crash():
    files = csv_set(**adopted_by_new_family("T1"))
    files["episodes.csv"] = files["episodes.csv"][:-30]
    read, found = problems(files)
    assert not read.refused
    assert found and found[0].child == "T1"
