"""Suppression of small numbers (DOMAIN A.10): counts of 1 to 5 become "c", and so does one more
cell wherever a total would give a suppressed one away."""

import pytest

from scorecard.reports.presentation import present, waiting_section
from scorecard.reports.suppression import (
    suppress_count,
    suppress_group,
    suppress_mean,
    suppress_share,
)


@pytest.mark.parametrize(
    ("count", "shown"), [(0, 0), (1, "c"), (3, "c"), (5, "c"), (6, 6), (120, 120), (None, None)]
)
def test_counts_from_one_to_five_are_suppressed_and_zero_is_not(count, shown):
    assert suppress_count(count) == shown


def test_a_group_with_no_small_count_is_shown_whole():
    assert suppress_group([7, 8, 0], 15) == ([7, 8, 0], 15)


def test_one_small_cell_takes_the_next_smallest_non_zero_cell_with_it():
    # 3 alone would be 25 - 10 - 0 - 12; hiding 10 too leaves c + c = 13, which could be 3+10,
    # 6+7, ... The zero is not chosen: hiding it would not protect the 3 (3 + 0 = 3).
    assert suppress_group([3, 10, 0, 12], 25) == (["c", "c", 0, 12], 25)


def test_two_small_cells_protect_each_other():
    assert suppress_group([2, 3, 20], 25) == (["c", "c", 20], 25)


def test_a_small_total_is_suppressed_with_its_only_cell():
    assert suppress_group([0, 0, 4], 4) == ([0, 0, "c"], "c")


def test_a_total_hidden_elsewhere_is_protected_here_too():
    # The total is "c" in another table: shown cells 10 and 20 would add up to it.
    assert suppress_group([10, 20], 30, total_suppressed=True) == (["c", 20], "c")


def test_only_zeros_left_a_zero_is_hidden_rather_than_give_the_cell_away():
    assert suppress_group([0, 0], 0, total_suppressed=True) == (["c", 0], "c")


def test_cells_not_applicable_take_no_part():
    # Q1 only: Q2..Q4 are None (later quarters). The total equals Q1, both hidden.
    assert suppress_group([3, None, None, None], 3) == (["c", None, None, None], "c")


def test_a_mean_over_one_to_five_children_is_suppressed():
    assert suppress_mean(512, 3) == "c"
    assert suppress_mean(512, 6) == 512
    assert suppress_mean(None, 0) is None


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (10, 20, (50.0, 10, 20)),  # nothing small
        (4, 10, ("c", "c", 10)),  # the numerator is small
        (18, 20, ("c", "c", 20)),  # the rest (2) is small and would be 20 - 18
        (0, 20, (0.0, 0, 20)),  # none of 20: discloses no one
        (3, 3, ("c", "c", "c")),  # all of a small group
    ],
)
def test_a_percentage_goes_with_its_numerator_and_the_rest(numerator, denominator, expected):
    percent = round(100 * numerator / denominator, 1)
    assert suppress_share(percent, numerator, denominator) == expected


def _raw(**overrides):
    """The smallest raw figures dict the presentation needs (a region, Q1)."""
    measures = {
        "A1": {"value": 500, "denominator": 40},
        "A10": {"value": None, "denominator": None},
        "A2": {"value": 150, "denominator": 30},
        "A3": {"value": 10.0, "numerator": 4, "denominator": 40},
    }
    for code, limit in (("A1", 426), ("A10", 426), ("A2", 121), ("A3", 14)):
        measures[code].update(threshold=limit, national=None)
    zero = dict.fromkeys(("adm_decisions", "placement_orders", "matched", "placed"), 0)
    milestones = {
        k: {"mean_days": None, "children": 0}
        for k in ("adm_decision", "placement_order", "matched", "placed", "adoption_order")
    }
    raw = {
        "scope": {"kind": "region", "code": None, "name": "Region"},
        "region": "Region",
        "year": "2023-24",
        "quarter": 1,
        "period": {"from": "2023-04-01", "to": "2023-06-30"},
        "computed_at": "2026-11-23T01:00:00+00:00",
        "scorecard": {"window": "2020-23", "measures": measures, "trend": []},
        "activity": {
            "quarters": {"Q1": {**zero, "adoption_orders": 9}, "Q2": None, "Q3": None, "Q4": None},
            "total": {**zero, "adoption_orders": 9},
        },
        "timeline": {
            "current": {"children": 0, "milestones": milestones},
            "previous": {"children": 0, "milestones": milestones},
            "previous_label": "Q4 2022-23",
        },
        "cohort": None,
        "waiting": {
            "at": "2023-06-30",
            "waiting": 30,
            "with_po": 27,
            "over_18m_care": 12,
            "over_12m_po": 10,
            "over_18m_po": 10,
            "aged_5_plus": 8,
            "ethnic_minority": 2,
            "disabled": 0,
            "siblings": 9,
        },
        "adopters": {
            "enquiries": 20,
            "registrations": 3,
            "approvals": 7,
            "approvals_with_registration": 7,
            "approved_within_6m": 6,
            "approved": 14,
            "awaiting_assessment": 11,
        },
        "councils": [
            {
                "code": "801",
                "name": "Council A",
                "A1": {"value": 480, "denominator": 20},
                "A2": {"value": 140, "denominator": 4},
                "A3": {"value": 10.0, "numerator": 2, "denominator": 20},
                "waiting": 27,
                "adoption_orders": 6,
            },
            {
                "code": "802",
                "name": "Council B",
                "A1": {"value": 520, "denominator": 20},
                "A2": {"value": 155, "denominator": 26},
                "A3": {"value": 10.0, "numerator": 2, "denominator": 20},
                "waiting": 3,
                "adoption_orders": 3,
            },
        ],
    }
    raw.update(overrides)
    return raw


def rows_of(figures, key, table=0):
    section = next(s for s in figures["sections"] if s["key"] == key)
    return {row[0]: row[1:] for row in section["tables"][table]["rows"]}


def test_the_published_figures_hide_small_numbers_and_what_would_give_them_away():
    figures = present(_raw())
    scorecard = rows_of(figures, "scorecard")
    a3 = next(v for k, v in scorecard.items() if k.startswith("A3"))
    assert a3[:2] == ["c", 40]  # 4 of 40: the percentage would give the 4 away
    a1 = next(v for k, v in scorecard.items() if k.startswith("A1"))
    assert a1[:2] == [500, 40]
    waiting = rows_of(figures, "waiting")
    # 27 of 30 have a placement order: the 3 without would be 30 - 27, so 27 goes too.
    assert waiting["of whom with a placement order"] == ["c"]
    assert waiting["Children waiting (ADM decision made, not yet placed)"] == [30]
    # 10 waiting 12+ months since the order, 10 of them 18+: the rest is 0, nothing to hide.
    assert waiting["waiting 18 months or more since the placement order"] == [10]
    harder = rows_of(figures, "waiting", table=1)
    assert harder["From an ethnic minority"] == ["c", "c"]  # 2, and 6.7% of 30
    assert harder["Disabled"] == [0, 0.0]
    councils = rows_of(figures, "councils")
    # Council B's 3 children waiting would be 30 - 27: both councils' counts are hidden.
    # B's 3 adoption orders: A's 6 goes with it; the total 9 stays, as in the activity table.
    assert councils["Council A (801)"][5:] == ["c", "c"]
    assert councils["Council B (802)"][5:] == ["c", "c"]
    assert councils["All partner councils"][5:] == [30, 9]
    # A mean over 4 children (council A's A2) is hidden with its count.
    assert councils["Council A (801)"][2:4] == ["c", "c"]
    adopters = rows_of(figures, "adopters")
    assert adopters["Registrations of interest (Stage 1 starts)"] == ["c", None]
    assert adopters["Approved within 6 months of registration"] == ["c", "c"]


def test_the_council_comparison_hides_what_the_activity_table_hid():
    raw = _raw()
    raw["activity"]["quarters"]["Q1"]["adoption_orders"] = 4
    raw["activity"]["total"]["adoption_orders"] = 4
    raw["councils"][0]["adoption_orders"] = 4
    raw["councils"][1]["adoption_orders"] = 0
    figures = present(raw)
    activity = rows_of(figures, "activity")
    assert activity["Adoption orders granted"] == ["c", None, None, None, "c"]
    councils = rows_of(figures, "councils")
    assert councils["All partner councils"][6] == "c"
    assert councils["Council A (801)"][6] == "c"


def test_unsuppressed_figures_are_for_managers_only_and_say_so():
    figures = present(_raw(), suppress=False)
    assert figures["suppressed"] is False
    assert rows_of(figures, "waiting")["of whom with a placement order"] == [27]
    section = waiting_section(_raw(), True, waiting_hidden=True)
    assert section["tables"][0]["rows"][0][1] == "c"


def test_one_small_council_cohort_is_not_left_to_be_worked_out_from_the_region():
    # A1 cohorts 20 and 3: the region's 23 stands in the scorecard table, so the 3 alone could
    # be worked out; council A's cohort (and its mean) are hidden with it.
    raw = _raw()
    raw["councils"][1]["A1"] = {"value": 600, "denominator": 3}
    councils = rows_of(present(raw), "councils")
    assert councils["Council A (801)"][:2] == ["c", "c"]
    assert councils["Council B (802)"][:2] == ["c", "c"]
    # A2 cohorts 4 and 26: the 4 goes, and so does the 26.
    assert councils["Council B (802)"][2:4] == ["c", "c"]
    # A3: 2 and 2 of 20 each: hidden; nothing shown to work them out from.
    assert councils["Council A (801)"][4] == "c"
