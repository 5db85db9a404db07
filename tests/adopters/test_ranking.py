"""Family finding: the ranked list of households for a waiting child. Each test says why the
order is right, from the points in adopters.selectors.rank_households."""

from datetime import date

import pytest

from adopters import services
from adopters.selectors import Needs, rank_households
from raa.models import Role
from tests.adopters.helpers import approved_household, waiting_child

TODAY = date(2025, 1, 15)  # the child (born 01/03/2022) is 2


@pytest.fixture
def team(world):
    return world.user(Role.SOCIAL_WORKER, "region")


@pytest.fixture
def child(world, team):
    return waiting_child(world, team, "RK001")


def ranking(child, **kwargs):
    kwargs.setdefault("needs", Needs())
    return rank_households(child, today=TODAY, **kwargs)


def order(ranked) -> list[str]:
    return [r.household.first_applicant for r in ranked]


def reasons(ranked, name) -> list[tuple[int, str]]:
    (found,) = [r for r in ranked if r.household.first_applicant == name]
    return [(x.points, x.text) for x in found.reasons]


def test_a_household_whose_age_range_fits_outranks_one_that_has_waited_longer(world, team, child):
    approved_household(
        world,
        team,
        first_applicant="Fits",
        approval_date=date(2024, 11, 10),
        panel_date=date(2024, 11, 1),
        stage2_start_date=date(2024, 6, 1),
    )
    approved_household(world, team, first_applicant="Babies only", oldest_age=0)
    ranked = ranking(child)
    # Fits: age +30, 2 months waiting +2 = 32. Babies only: age -40, 5 months waiting +5 = -35.
    assert order(ranked) == ["Fits", "Babies only"]
    assert [r.score for r in ranked] == [32, -35]
    assert reasons(ranked, "Fits") == [
        (30, "Age: the child is 2; they can take children aged 0 to 6."),
        (2, "Waiting 2 months since approval."),
    ]
    assert reasons(ranked, "Babies only")[0] == (
        -40,
        "Age: the child is 2, outside the children aged 0 they gave.",
    )


def test_just_outside_the_age_range_ranks_between_inside_and_far_outside(world, team, child):
    approved_household(world, team, first_applicant="Inside")
    approved_household(world, team, first_applicant="Just outside", youngest_age=3)
    approved_household(world, team, first_applicant="Far outside", youngest_age=5, oldest_age=9)
    # All approved 08/08/2024 (5 months: +5 each): 30+5, 5+5, -40+5.
    assert order(ranking(child)) == ["Inside", "Just outside", "Far outside"]


def test_equal_fits_go_to_the_household_that_has_waited_longest(world, team, child):
    approved_household(world, team, first_applicant="Approved later")
    approved_household(
        world,
        team,
        first_applicant="Approved earlier",
        panel_date=date(2024, 8, 1),
        approval_date=date(2024, 8, 2),
    )
    # Both earn 30 + 5 = 35: the tie goes to the earlier approval (02/08 before 08/08).
    ranked = ranking(child)
    assert [r.score for r in ranked] == [35, 35]
    assert order(ranked) == ["Approved earlier", "Approved later"]


def test_a_need_the_household_cannot_meet_counts_against_it(world, team, child):
    approved_household(world, team, first_applicant="Can meet disability", disability_needs=2)
    approved_household(
        world,
        team,
        first_applicant="Cannot",
        disability_needs=0,
        enquiry_date=date(2023, 3, 6),
        information_event_date=None,
        registration_date=date(2023, 4, 3),
        stage1_end_date=date(2023, 6, 1),
        stage2_start_date=date(2023, 7, 3),
        panel_date=date(2023, 12, 1),
        approval_date=date(2023, 12, 8),
    )
    needs = Needs(disability_needs=2)
    ranked = ranking(child, needs=needs)
    # Can meet: 30 + 10 + 5 = 45. Cannot: 30 - 30 + 12 (a year waiting) = 12.
    assert order(ranked) == ["Can meet disability", "Cannot"]
    assert (-30, "The child has moderate disability; they can meet none.") in reasons(
        ranked, "Cannot"
    )
    # The child's record says "disabled": ranking starts from a moderate disability, until the
    # family finder saves the child's needs.
    disabled = waiting_child(world, team, "RK002", disabled=True)
    assert Needs.for_child(disabled) == Needs(disability_needs=2)
    services.child_needs_save(
        child=disabled,
        acting_user=team,
        health_needs=1,
        disability_needs=3,
        developmental_uncertainty=0,
        contact=2,
    )
    assert Needs.for_child(disabled) == Needs(1, 3, 0, 2)


def test_a_sibling_group_goes_to_a_household_that_can_take_them_together(world, team):
    older = waiting_child(world, team, "RK011", born=date(2020, 5, 1), sibling_group="SG-R1")
    waiting_child(world, team, "RK012", sibling_group="SG-R1")
    approved_household(world, team, first_applicant="One child only")
    approved_household(
        world, team, first_applicant="Two together", children_wanted=2, sibling_group=True
    )
    ranked = ranking(older, group_size=2)
    # Two together: 30 + 25 + 5 = 60. One child only: 30 - 60 + 5 = -25.
    assert order(ranked) == ["Two together", "One child only"]
    assert (25, "Can take a sibling group of 2.") in reasons(ranked, "Two together")
    assert (
        -60,
        "Cannot take a sibling group of 2 (up to 1 child, no sibling groups).",
    ) in reasons(ranked, "One child only")


def test_in_region_first_when_otherwise_equal_and_wishes_about_sex_count(world, team, child):
    approved_household(
        world,
        team,
        first_applicant="Inter-agency",
        recruited_outside_region=True,
        outside_agency="RAA",
    )
    approved_household(world, team, first_applicant="In region")
    approved_household(world, team, first_applicant="Hoping for a girl", sex_preference="F")
    ranked = ranking(child)  # the child's sex is not known: a wish for a girl is not met
    assert order(ranked) == ["In region", "Inter-agency", "Hoping for a girl"]
    assert (-10, "Inter-agency: approved by another regional adoption agency.") in reasons(
        ranked, "Inter-agency"
    )


def test_dual_approved_households_come_first_for_a_child_in_ffa(world, team, child):
    approved_household(world, team, first_applicant="Adopters only")
    approved_household(world, team, first_applicant="Dual approved", dual_approval=True)
    assert order(ranking(child, ffa=True)) == ["Dual approved", "Adopters only"]
    # Without FfA, dual approval earns nothing: the tie goes by reference (added first).
    assert order(ranking(child, ffa=False)) == ["Adopters only", "Dual approved"]


def test_households_not_free_to_be_linked_are_left_out(world, team, child):
    approved_household(world, team, first_applicant="Free")
    on_hold = approved_household(world, team, first_applicant="On hold")
    services.household_hold_start(
        household=on_hold, acting_user=team, start_date=date(2024, 9, 1), reason="health"
    )
    approved_household(
        world, team, first_applicant="Left", left_date=date(2024, 10, 1), left_reason="withdrew"
    )
    services.household_create(
        region=world.region,
        acting_user=team,
        first_applicant="Still in Stage 2",
        enquiry_date=date(2024, 1, 8),
        registration_date=date(2024, 2, 5),
        stage1_end_date=date(2024, 4, 2),
        stage2_start_date=date(2024, 4, 15),
    )
    matched = approved_household(world, team, first_applicant="Matched")
    other = waiting_child(world, team, "RK021")
    for kind, day in (("linked", date(2024, 9, 2)), ("matched", date(2024, 10, 10))):
        services.family_finding_record(
            household=matched,
            child=other,
            kind=kind,
            date=day,
            panel_date=date(2024, 10, 3),
            acting_user=team,
        )
    assert order(ranking(child)) == ["Free"]


def test_a_household_linked_with_another_child_ranks_lower(world, team, child):
    approved_household(world, team, first_applicant="Free")
    busy = approved_household(world, team, first_applicant="Linked elsewhere")
    other = waiting_child(world, team, "RK031")
    services.family_finding_record(
        household=busy, child=other, kind="linked", date=date(2024, 9, 2), acting_user=team
    )
    ranked = ranking(child)
    assert order(ranked) == ["Free", "Linked elsewhere"]
    assert (-20, "Already linked with another child.") in reasons(ranked, "Linked elsewhere")
