"""The household's rules (DOMAIN.md A.6, Part B 4.2 and the AD1 codes): one case per rule, with
the message a person sees. Pure functions: no database."""

from datetime import date
from types import SimpleNamespace

import pytest

from adopters.rules import check_child_step, check_hold, check_household

TODAY = date(2026, 11, 22)

# A household approved after both stages, every date in order.
GOOD = {
    "first_applicant": "Quinn Example",
    "first_applicant_sex": "F",
    "second_applicant": "Robin Example",
    "second_applicant_sex": "M",
    "legal_status": "L11",
    "enquiry_date": date(2025, 1, 6),
    "information_event_date": date(2025, 1, 20),
    "registration_date": date(2025, 2, 3),
    "stage1_end_date": date(2025, 4, 1),
    "stage2_start_date": date(2025, 4, 14),
    "panel_date": date(2025, 8, 1),
    "approval_date": date(2025, 8, 8),
    "youngest_age": 0,
    "oldest_age": 4,
    "children_wanted": 1,
    "sibling_group": False,
    "sex_preference": "A",
    "health_needs": 1,
    "disability_needs": 0,
    "developmental_uncertainty": 1,
    "contact": 1,
}


def problems(**changes):
    found = check_household({**GOOD, **changes}, today=TODAY)
    return [(p.field, p.hard, p.message) for p in found]


def test_a_household_with_every_date_in_order_breaks_no_rule():
    assert problems() == []


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"registration_date": date(2025, 1, 1)},
            "registration_date",
            "The registration of interest (Stage 1 start) (01/01/2025) is before the "
            "information event (20/01/2025).",
        ),
        (
            {"stage1_end_date": date(2025, 1, 30)},
            "stage1_end_date",
            "The end of Stage 1 (30/01/2025) is before the registration of interest (Stage 1 "
            "start) (03/02/2025).",
        ),
        (
            {"approval_date": date(2025, 7, 30)},
            "approval_date",
            "The ADM's approval (30/07/2025) is before the approval panel (01/08/2025).",
        ),
        # A missing step in between does not hide the order of the others.
        (
            {"stage1_end_date": None, "stage2_start_date": date(2025, 1, 30), "fast_track": "x"},
            "stage2_start_date",
            "The start of Stage 2 (30/01/2025) is before the registration of interest (Stage 1 "
            "start) (03/02/2025).",
        ),
        (
            {"approval_date": date(2026, 12, 1)},
            "approval_date",
            "The ADM's approval date (01/12/2026) is in the future.",
        ),
        (
            {"panel_date": None},
            "panel_date",
            "The ADM approves after the panel: give the panel date.",
        ),
        (
            {"left_date": date(2025, 9, 1)},
            "left_reason",
            "Say why the household left the process.",
        ),
        (
            {"left_reason": "withdrew"},
            "left_date",
            "Give the date the household left the process.",
        ),
        (
            {"left_date": date(2025, 8, 5), "left_reason": "withdrew"},
            "approval_date",
            "The ADM's approval (08/08/2025) is after the household left the process (05/08/2025).",
        ),
        (
            {"left_date": date(2024, 12, 1), "left_reason": "withdrew"},
            "left_date",
            "Leaving the process (01/12/2024) is before the household's first step (06/01/2025).",
        ),
    ],
)
def test_each_hard_rule_refuses_with_a_message_that_names_the_dates(changes, field, message):
    assert (field, True, message) in problems(**changes)


def test_only_fast_track_households_skip_stage_1():
    skipped = {"registration_date": None, "stage1_end_date": None}
    assert any(
        f == "stage2_start_date" and "only fast-track households" in m
        for f, _, m in problems(**skipped)
    )
    assert problems(**skipped, fast_track="foster_carer") == []


def test_stage_2_more_than_6_months_after_stage_1_is_a_warning_not_a_refusal():
    # Stage 1 ended 01/04/2025: Stage 2 must start before 01/10/2025 (less than 6 months).
    late = {
        "stage2_start_date": date(2025, 10, 1),
        "panel_date": date(2026, 1, 5),
        "approval_date": date(2026, 1, 9),
    }
    found = problems(**late)
    assert found == [
        (
            "stage2_start_date",
            False,
            "Stage 2 started on 01/10/2025, more than 6 months after Stage 1 ended (01/04/2025). "
            "Check the dates; if they are right, record why (the applicants normally have up to "
            "6 months to go on to Stage 2).",
        )
    ]
    # The day before is inside the 6 months: no warning.
    assert problems(**{**late, "stage2_start_date": date(2025, 9, 30)}) == []
    # Once the reason is recorded the warning no longer nags (the page shows the reason).
    assert problems(**late, stage2_late_reason="The applicants moved house.") == []
    assert problems(**late, stage2_late_reason="   ") == found


def test_an_approved_household_whose_offer_is_not_yet_discussed_is_a_warning():
    not_discussed = {"health_needs": None, "contact": None, "sex_preference": ""}
    assert problems(**not_discussed) == [
        (
            "health_needs",
            False,
            "Approved, but what they can offer is not yet discussed for: a boy or a girl, "
            "health needs, contact. Family finding cannot rank them on these: ask them and "
            "record it.",
        )
    ]
    # Before approval nobody expects it yet.
    assert problems(**not_discussed, panel_date=None, approval_date=None) == []


def test_an_offer_not_yet_discussed_breaks_no_hard_rule():
    empty = dict.fromkeys(["children_wanted", "youngest_age", "oldest_age", "sibling_group"])
    assert problems(**empty, approval_date=None, panel_date=None) == []
    # Only a known number of children below 2 contradicts a sibling group.
    assert [hard for _, hard, _ in problems(sibling_group=True, children_wanted=None)] == [False]
    assert ("children_wanted", True) in [(f, h) for f, h, _ in problems(sibling_group=True)]


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"second_applicant": "", "second_applicant_sex": ""}, "A single applicant is L0."),
        ({"legal_status": "L0"}, "L0 (single) is for one applicant, but there are two."),
        ({"second_applicant_sex": "F"}, "L11 is a different-gender couple"),
        ({"legal_status": "L3", "second_applicant_sex": "F"}, "L3 is a different-gender couple"),
        ({"legal_status": "L12"}, "L12 is a same-gender couple"),
        ({"legal_status": "L4"}, "L4 is a same-gender couple"),
        (
            {
                "second_applicant": "",
                "second_applicant_sex": "",
                "legal_status": "L0",
                "second_applicant_date_of_birth": date(1980, 1, 1),
            },
            "Details of a second applicant are given without a name",
        ),
    ],
)
def test_applicants_and_the_ad1_legal_status_agree(changes, message):
    found = problems(**changes)
    assert any(message in m for _, hard, m in found if hard), found


def test_couples_whose_status_fits_their_sexes_pass():
    assert problems(legal_status="L12", second_applicant_sex="F") == []
    assert problems(legal_status="L2", second_applicant_sex="F") == []
    assert problems(legal_status="L2") == []
    # Sexes not recorded yet: the status cannot be checked against them, and is not refused.
    assert problems(legal_status="L12", second_applicant_sex="") == []


def test_the_offer_and_the_inter_agency_flag_hold_together():
    assert ("oldest_age", True, "The oldest age (2) is below the youngest age (3).") in problems(
        youngest_age=3, oldest_age=2
    )
    assert any(f == "children_wanted" for f, _, _ in problems(sibling_group=True))
    assert ("children_wanted", True, "A household takes at least one child.") in problems(
        children_wanted=0
    )
    assert (
        "oldest_age",
        True,
        "Children are adopted before they are 18: 18 is too old.",
    ) in problems(oldest_age=18)
    assert ("outside_agency", True, "Say which agency approved this household.") in problems(
        recruited_outside_region=True
    )
    assert problems(recruited_outside_region=True, outside_agency="PR5") == []


def test_hold_periods_stay_inside_the_process_and_do_not_overlap():
    values = {**GOOD, "left_date": date(2025, 10, 1), "left_reason": "withdrew"}

    def hold(start, end=None, others=()):
        return [
            p.message
            for p in check_hold(
                start=start, end=end, household_values=values, others=list(others), today=TODAY
            )
        ]

    assert hold(date(2025, 5, 1), date(2025, 6, 1)) == []
    assert hold(date(2025, 6, 1), date(2025, 5, 1)) == [
        "The end of the hold (01/05/2025) is before its start (01/06/2025)."
    ]
    assert hold(date(2024, 12, 1)) == [
        "The hold starts (01/12/2024) before the household's first step (06/01/2025)."
    ]
    assert hold(date(2025, 11, 1)) == [
        "The household left the process on 01/10/2025: a hold cannot start after that."
    ]
    assert hold(date(2025, 5, 10), others=[(date(2025, 5, 1), None)]) == [
        "This hold overlaps another, from 01/05/2025 to now."
    ]


def test_a_child_is_matched_or_placed_only_with_an_approved_household_still_in_the_process():
    household = SimpleNamespace(reference="H00001", approval_date=date(2025, 8, 8), left_date=None)
    assert check_child_step(household=household, kind="matched", on=date(2025, 9, 1)) == []
    refused = check_child_step(household=household, kind="matched", on=date(2025, 8, 1))
    assert [p.message for p in refused if p.hard] == [
        "Household H00001 was approved on 08/08/2025, after the match date (01/08/2025): a "
        "child can be matched only with approved adopters."
    ]
    # A link may come before approval (early permanence): a warning only.
    early = check_child_step(household=household, kind="linked", on=date(2025, 8, 1))
    assert early and not any(p.hard for p in early)
    household.left_date = date(2025, 9, 1)
    assert check_child_step(household=household, kind="placed", on=date(2025, 9, 2))[0].message == (
        "Household H00001 left the process on 01/09/2025."
    )


def test_applicants_are_born_and_21_or_over_when_approved():
    assert problems(first_applicant_date_of_birth=date(2027, 1, 1)) == [
        ("first_applicant_date_of_birth", True, "The date of birth (01/01/2027) is in the future.")
    ]
    # Approved 08/08/2025: born 09/08/2004 is a day short of 21.
    assert problems(second_applicant_date_of_birth=date(2004, 8, 9)) == [
        (
            "second_applicant_date_of_birth",
            True,
            "The second applicant was under 21 when approved (08/08/2025): adopters must be 21 "
            "or over.",
        )
    ]
    assert problems(second_applicant_date_of_birth=date(2004, 8, 8)) == []
