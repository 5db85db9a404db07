"""A role counts only over the council or region it is held over (raa.access): the checks on
a record ask about the record's council or region, never "anywhere". The matrix covers two
councils of one region; these cover a second region."""

from datetime import date

import pytest

from adopters.models import Household
from raa import access
from raa.models import Council, Region, Role
from raa.services import user_add_or_update


@pytest.fixture
def second_region(world):
    region = Region.objects.create(name="Another Regional Adoption Agency")
    council = Council.objects.create(region=region, la_code="899", name="Council Z")
    return region, council


@pytest.fixture
def z_adopter_and_a_worker(world, second_region):
    """The region-scope adoption team of the other region, who is also a social worker in
    council A of the test region."""
    region, _ = second_region
    person, _ = user_add_or_update(
        username="adoption-z+worker-a", role=Role.SOCIAL_WORKER, region=region
    )
    user_add_or_update(
        username=person.username, role=Role.SOCIAL_WORKER, councils=[world.councils["A"]]
    )
    person._raa_memberships = None
    return person


def test_the_access_rules_ask_about_the_records_council_and_region(
    world, second_region, z_adopter_and_a_worker
):
    person = z_adopter_and_a_worker
    region_z, council_z = second_region
    a, b = world.councils["A"], world.councils["B"]
    assert access.has_role_over(person, access.CASE_EDIT_ROLES, a)
    assert access.has_role_over(person, access.CASE_EDIT_ROLES, council_z)
    assert not access.has_role_over(person, access.CASE_EDIT_ROLES, b)
    assert access.has_region_role_over(person, access.CASE_EDIT_ROLES, region_z.pk)
    assert not access.has_region_role_over(person, access.CASE_EDIT_ROLES, world.region.pk)
    # a household of the test region linked with council A's child: seen through A, not
    # changed (only the test region's adoption team changes it)
    household = world.household_a
    assert access.has_role_over_household(
        person, access.CASE_VIEW_ROLES, region_id=world.region.pk, linked_council_ids={a.pk}
    )
    assert not access.has_role_over_household(
        person, access.CASE_VIEW_ROLES, region_id=world.region.pk, linked_council_ids={b.pk}
    )
    assert household.region_id == world.region.pk


def test_another_regions_adoption_team_does_not_change_this_regions_households(
    client_for, world, z_adopter_and_a_worker
):
    client = client_for(z_adopter_and_a_worker)
    household = world.household_a
    assert client.get(f"/adopters/{household.pk}/").status_code == 200  # linked with A's child
    assert client.get(f"/adopters/{household.pk}/edit/").status_code == 403
    assert client.post(f"/adopters/{household.pk}/hold/").status_code == 403
    page = client.get(f"/adopters/{household.pk}/").content.decode()
    assert f"/adopters/{household.pk}/edit/" not in page


def test_another_regions_adoption_team_does_no_family_finding_here(
    client_for, world, z_adopter_and_a_worker
):
    client = client_for(z_adopter_and_a_worker)
    child = world.child_a
    assert client.get(f"/children/{child.pk}/").status_code == 200  # a social worker in A
    assert client.get(f"/adopters/family-finding/{child.pk}/").status_code == 403
    assert client.post(f"/adopters/family-finding/{child.pk}/needs/").status_code == 403


def test_a_new_household_joins_the_region_of_the_adoption_team_that_adds_it(
    client_for, world, second_region, z_adopter_and_a_worker
):
    region_z, _ = second_region
    response = client_for(z_adopter_and_a_worker).post(
        "/adopters/new/",
        {
            "first_applicant": "Zed Newhouse",
            "enquiry_date": "2024-05-01",
            "children_wanted": 1,
            "youngest_age": 0,
            "oldest_age": 4,
            "health_needs": 1,
            "disability_needs": 0,
            "developmental_uncertainty": 1,
            "contact": 1,
        },
    )
    household = Household.objects.filter(first_applicant="Zed Newhouse").first()
    assert household is not None, response.content.decode()[:2000]
    assert household.region == region_z
    assert household.enquiry_date == date(2024, 5, 1)


def _household(region, reference: str, **fields) -> Household:
    return Household.objects.create(
        region=region,
        reference=reference,
        first_applicant=f"Applicant {reference}",
        enquiry_date=date(2023, 1, 9),
        **fields,
    )


def test_tracking_lists_the_households_the_person_sees_in_every_scope(
    world, second_region, z_adopter_and_a_worker
):
    """Region scope in one region and council scope in another: both regions' households that
    the person sees (Household.visible_to), not only the region-scope ones."""
    from tracking.checks import thresholds
    from tracking.selectors import households_in_process

    region_z, _ = second_region
    person = z_adopter_and_a_worker
    registered = {"registration_date": date(2023, 2, 1)}
    own = _household(region_z, "Z09001", **registered)
    Household.objects.filter(pk=world.household_a.pk).update(**registered)
    unlinked = _household(world.region, "W09001", **registered)
    listed = set(
        households_in_process(person, thresholds(), access.TRACKING_ROLES).values_list(
            "pk", flat=True
        )
    )
    assert own.pk in listed
    assert world.household_a.pk in listed  # linked with council A's child
    assert unlinked.pk not in listed
    assert listed == set(
        Household.objects.visible_to(person, access.TRACKING_ROLES)
        .filter(registration_date__isnull=False)
        .values_list("pk", flat=True)
    )


def test_households_looked_after_are_the_regions_and_those_recruited_by_the_councils(
    world, second_region, z_adopter_and_a_worker
):
    region_z, _ = second_region
    person = z_adopter_and_a_worker
    own = _household(region_z, "Z09002")
    recruited_a = _household(world.region, "W09002", recruiting_council=world.councils["A"])
    recruited_b = _household(world.region, "W09003", recruiting_council=world.councils["B"])
    looked_after = set(
        Household.objects.looked_after_by(person, {Role.SOCIAL_WORKER}).values_list("pk", flat=True)
    )
    assert {own.pk, recruited_a.pk} <= looked_after
    assert recruited_b.pk not in looked_after
    # linked with council A's child but recruited by none: seen, not looked after
    assert world.household_a.pk not in looked_after
    assert Household.objects.visible_to(person).filter(pk=world.household_a.pk).exists()
    assert not Household.objects.looked_after_by(person, {Role.TEAM_MANAGER}).exists()


def test_who_holds_a_role_over_which_council(world, second_region):
    _, council_z = second_region
    a, b = world.councils["A"], world.councils["B"]
    manager_a = world.user(Role.TEAM_MANAGER, "A")
    manager_region = world.user(Role.TEAM_MANAGER, "region")
    by_council, by_region = access.holders_by_council({Role.TEAM_MANAGER})
    assert {manager_a.pk, manager_region.pk} <= by_council[a.pk]
    assert manager_region.pk in by_council[b.pk]
    assert manager_a.pk not in by_council[b.pk]
    assert manager_region.pk in by_region[world.region.pk]
    assert manager_a.pk not in by_region[world.region.pk]
    assert not by_council.get(council_z.pk)
    assert world.user(Role.ADMINISTRATOR, "region").pk not in by_council[a.pk]

    holders = set(access.holders_over([Role.SOCIAL_WORKER], [b]).values_list("user_id", flat=True))
    assert world.user(Role.SOCIAL_WORKER, "B").pk in holders
    assert world.user(Role.SOCIAL_WORKER, "region").pk in holders
    assert world.user(Role.SOCIAL_WORKER, "A").pk not in holders
    assert world.user(Role.TEAM_MANAGER, "B").pk not in holders
