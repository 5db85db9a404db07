"""The 903 rules taken from the DfE validator's own code (336, 357, 445, 446, 525, 557, 602):
hand-made rows that break each, and rows just beside them that do not.

The base journey (``adopted_by_new_family``): entered care 01/02/2019 (S, C1, U6), placement
order 01/08/2019 (E1), decision 10/06/2019, matched 01/11/2019, placed 15/11/2019 (A6), adopted
20/05/2020 (E11). Its latest DECOM (15/11/2019) makes its collection year 2019-20.
"""

from datetime import date

import pytest

from children.ssda903.derive import derive_journey
from children.ssda903.reading import CollectionYear, read_set
from children.ssda903.validate import soft_findings
from tests.children.ssda903_sets import ad1, adopted_by_new_family, csv_set, ep, placed


def findings(**parts) -> dict[str, str]:
    """The soft findings of a one-child set: {rule: message}."""
    read = read_set(csv_set(**parts))
    assert not read.refused and not read.errors, (read.refusals, dict(read.errors))
    (rows,) = read.children.values()
    return {
        f.rule: f.message for f in soft_findings(rows, derive_journey(rows), read.collection_year)
    }


def child(episodes=None, ad1_rows=None, placed_rows=None) -> dict:
    parts = adopted_by_new_family("V1")
    if episodes is not None:
        parts["episodes"] = episodes
    if ad1_rows is not None:
        parts["ad1_rows"] = ad1_rows
    if placed_rows is not None:
        parts["placed_rows"] = placed_rows
    return parts


def test_the_collection_year_of_a_set_is_the_one_of_its_latest_decom():
    read = read_set(csv_set(**child()))
    assert read.collection_year == CollectionYear(date(2019, 4, 1), date(2020, 3, 31))
    assert str(read.collection_year) == "2019-20"


# -- 357: the first episode starts with S, if it starts inside the collection year ---------------


def test_357_a_first_episode_inside_the_year_not_starting_with_s():
    rules = findings(
        **child(
            episodes=[
                ep("V1", "01/05/2019", "P", "E1", "U6", "15/11/2019", "X1"),
                ep("V1", "15/11/2019", "P", "E1", "A6", "20/05/2020", "E11"),
            ]
        )
    )
    assert "903-357" in rules
    assert "01/05/2019, in the 2019-20 collection year" in rules["903-357"]


def test_357_not_for_a_first_episode_before_the_year_an_earlier_return_may_precede():
    # 01/02/2019 is in 2018-19: last year's return may hold the episode that came before it.
    rules = findings(
        **child(
            episodes=[
                ep("V1", "01/02/2019", "P", "E1", "U6", "15/11/2019", "X1"),
                ep("V1", "15/11/2019", "P", "E1", "A6", "20/05/2020", "E11"),
            ]
        )
    )
    assert "903-357" not in rules


# -- 445 / 446: every episode's legal status against December 2005 -------------------------------


def test_445_every_d1_episode_after_2005_not_only_the_first_order_of_the_period():
    # The period's first order is E1 (01/08/2019); the D1 of 15/11/2019 is the one at fault.
    rules = findings(
        **child(
            episodes=[
                ep("V1", "01/02/2019", "S", "C1", "U6", "01/08/2019", "X1"),
                ep("V1", "01/08/2019", "L", "E1", "U6", "15/11/2019", "X1"),
                ep("V1", "15/11/2019", "P", "D1", "A6", "20/05/2020", "E11"),
            ]
        )
    )
    assert "903-445" in rules and "15/11/2019" in rules["903-445"]
    assert "903-446" not in rules


def freed_in_2004(ls: str) -> dict:
    """Entered care 01/02/2004, order 01/08/2004 (``ls``), placed 15/11/2004, adopted 2005."""
    return child(
        episodes=[
            ep("V1", "01/02/2004", "S", "C1", "U6", "01/08/2004", "X1"),
            ep("V1", "01/08/2004", "L", ls, "U6", "15/11/2004", "X1"),
            ep("V1", "15/11/2004", "P", ls, "A6", "20/05/2005", "E11"),
        ],
        ad1_rows=[ad1("V1", "10/06/2004", "01/11/2004")],
        placed_rows=[placed("V1", "10/06/2004")],
    )


def test_445_not_for_a_freeing_order_of_2004():
    rules = findings(**freed_in_2004("D1"))
    assert "903-445" not in rules and "903-446" not in rules


def test_446_a_placement_order_before_december_2005_on_every_episode():
    rules = findings(**freed_in_2004("E1"))
    assert "903-446" in rules
    assert "01/08/2004, 15/11/2004" in rules["903-446"]


def test_446_not_for_a_placement_order_of_2019():
    assert "903-446" not in findings(**child())


# -- 336: a placement for adoption with consent follows foster care or another adoptive one ------


def test_336_a_consent_placement_straight_from_a_childrens_home():
    rules = findings(
        **child(
            episodes=[
                ep("V1", "01/02/2019", "S", "V2", "K1", "15/11/2019", "X1"),
                ep("V1", "15/11/2019", "P", "V2", "A4", "20/05/2020", "E11"),
            ]
        )
    )
    assert "903-336" in rules and "follows a K1 placement" in rules["903-336"]


@pytest.mark.parametrize(
    ("before", "placement"),
    [
        ("U6", "A4"),  # from foster care
        ("K1", "A6"),  # under a placement order: the DfE's code checks A3 and A4 only
    ],
)
def test_336_not_from_foster_care_nor_for_a_placement_order(before, placement):
    rules = findings(
        **child(
            episodes=[
                ep("V1", "01/02/2019", "S", "E1", before, "15/11/2019", "X1"),
                ep("V1", "15/11/2019", "P", "E1", placement, "20/05/2020", "E11"),
            ]
        )
    )
    assert "903-336" not in rules


# -- 525: a reversed decision and adoption details in AD1 ----------------------------------------


def test_525_a_decision_reversed_but_ad1_filled_in():
    rules = findings(**child(placed_rows=[placed("V1", "10/06/2019", "01/12/2019", "RD1")]))
    assert "903-525" in rules and "01/12/2019" in rules["903-525"]


def test_525_not_without_ad1_details():
    rules = findings(
        **child(ad1_rows=[], placed_rows=[placed("V1", "10/06/2019", "01/12/2019", "RD1")])
    )
    assert "903-525" not in rules


# -- 602: AD1 filled in for a child the episodes do not show adopted ------------------------------


def test_602_ad1_details_for_a_child_still_in_placement():
    rules = findings(
        **child(
            episodes=[
                ep("V1", "01/02/2019", "S", "C1", "U6", "01/08/2019", "X1"),
                ep("V1", "01/08/2019", "L", "E1", "U6", "15/11/2019", "X1"),
                ep("V1", "15/11/2019", "P", "E1", "A6"),
            ]
        )
    )
    assert "903-602" in rules


def test_602_not_for_a_child_adopted_in_the_year():
    assert "903-602" not in findings(**child())


# -- 557: left care from the adoption plan, not adopted, the decision not ended ------------------


def test_557_left_care_from_a_placement_for_adoption_with_no_decision_in_the_files():
    # The DfE rule fires with no PlacedAdoption row at all: not only when a decision is there.
    rules = findings(
        **child(
            episodes=[
                ep("V1", "01/02/2019", "S", "C1", "U6", "01/08/2019", "X1"),
                ep("V1", "01/08/2019", "L", "E1", "U6", "15/11/2019", "X1"),
                ep("V1", "15/11/2019", "P", "E1", "A6", "01/03/2020", "E4A"),
            ],
            ad1_rows=[],
            placed_rows=[],
        )
    )
    assert "903-557" in rules
    assert "01/03/2020, E4A" in rules["903-557"] and "(A6)" in rules["903-557"]


def test_557_left_care_under_a_placement_order_with_the_decision_still_open():
    rules = findings(
        **child(
            episodes=[
                ep("V1", "01/02/2019", "S", "C1", "U6", "01/08/2019", "X1"),
                ep("V1", "01/08/2019", "L", "E1", "U6", "01/03/2020", "E13"),
            ],
            ad1_rows=[],
        )
    )
    assert "903-557" in rules and "under a placement order" in rules["903-557"]


def test_557_not_when_the_decision_was_ended_with_a_reason_before_the_child_left():
    rules = findings(
        **child(
            episodes=[
                ep("V1", "01/02/2019", "S", "C1", "U6", "01/08/2019", "X1"),
                ep("V1", "01/08/2019", "L", "E1", "U6", "15/11/2019", "X1"),
                ep("V1", "15/11/2019", "P", "E1", "A6", "01/03/2020", "E4A"),
            ],
            ad1_rows=[],
            placed_rows=[placed("V1", "10/06/2019", "01/02/2020", "RD1")],
        )
    )
    assert "903-557" not in rules
