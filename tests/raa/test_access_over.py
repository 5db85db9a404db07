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
