"""Messages name the field the person typed and the facts on the record (issue 20, item 3)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from children.models import EventKind
from children.services import child_record_milestone
from raa.models import Role
from tests.tracking.journeys import ago, make_child, today


@pytest.fixture
def approved(world):
    """The household the children below were placed with, approved before their match."""
    household = world.household_free
    household.approval_date = ago(650)
    household.save(update_fields=["approval_date"])
    return household


def refused(**kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        child_record_milestone(**kwargs)
    return caught.value.message_dict


def test_a_second_placement_on_an_adopted_child_quotes_the_real_placement(world, approved):
    worker = world.user(Role.SOCIAL_WORKER, "C")
    child = make_child(
        world.councils["C"],
        worker,
        "ADOPTED-1",
        entered=900,
        adm=800,
        order=700,
        matched=600,
        placed=590,
        adopted=300,
        household=approved,
    )
    typed = ago(595)  # before the real placement (590 days ago), after the match
    errors = refused(
        child=child,
        kind=EventKind.PLACED,
        date=typed,
        acting_user=worker,
        household=approved,
    )
    message = " ".join(errors["date"])
    assert f"({typed:%d/%m/%Y})" in message  # the date typed, named as such
    assert f"already placed for adoption on {ago(590):%d/%m/%Y}" in message  # the real one
    assert f"adopted on {ago(300):%d/%m/%Y}" in message  # and that the child is adopted
    assert "since " + typed.strftime("%d/%m/%Y") not in message


def test_a_placement_after_the_first_names_the_placement_in_force(world, approved):
    worker = world.user(Role.SOCIAL_WORKER, "C")
    child = make_child(
        world.councils["C"],
        worker,
        "PLACED-1",
        entered=900,
        adm=800,
        order=700,
        matched=600,
        placed=590,
        household=approved,
    )
    errors = refused(
        child=child,
        kind=EventKind.PLACED,
        date=ago(100),
        acting_user=worker,
        household=approved,
    )
    message = " ".join(errors["date"])
    assert f"already placed for adoption on {ago(590):%d/%m/%Y}" in message
    assert "adopted" not in message


def test_a_future_adoption_order_names_the_adoption_order_date(world, approved):
    worker = world.user(Role.SOCIAL_WORKER, "C")
    child = make_child(
        world.councils["C"],
        worker,
        "PLACED-2",
        entered=900,
        adm=800,
        order=700,
        matched=600,
        placed=590,
        household=approved,
    )
    future = today() + timedelta(days=10)
    errors = refused(
        child=child,
        kind=EventKind.ADOPTION_ORDER,
        date=future,
        acting_user=worker,
        household=approved,
    )
    every = " ".join(m for messages in errors.values() for m in messages)
    assert "left care" not in every
    assert f"The adoption order date ({future:%d/%m/%Y}) is in the future" in " ".join(
        errors["date"]
    )


def test_a_match_with_another_household_than_the_linked_one_needs_confirmation(
    client_for, world, approved
):
    """Issue 20, item 2: the picker offers approved households still free, with names for
    those who may see them; a match with a household other than the linked one is refused
    until confirmed, then kept with a data-quality note."""
    from adopters.models import Household
    from children.models import DataQualityFlag

    worker = world.user(Role.SOCIAL_WORKER, "region")
    other = Household.objects.create(
        region=world.region,
        reference="W00099",
        first_applicant="Other Family",
        approval_date=ago(640),
        registration_date=ago(800),
    )
    child = make_child(
        world.councils["A"],
        worker,
        "LINK-1",
        entered=900,
        adm=800,
        order=700,
        linked=650,
        household=approved,
    )
    client = client_for(worker)
    page = client.get(f"/children/{child.pk}/steps/new/matched/").content.decode()
    assert "W00099 · Other Family · approved" in page
    assert "family finding" in page
    data = {
        "date": ago(600).isoformat(),
        "household": other.pk,
        "panel_date": ago(610).isoformat(),
        "version": child.version,
    }
    response = client.post(f"/children/{child.pk}/steps/new/matched/", data)
    assert "The child is linked with household W00002" in response.content.decode()
    assert not child.events.filter(kind=EventKind.MATCHED).exists()
    response = client.post(
        f"/children/{child.pk}/steps/new/matched/", {**data, "confirm_household": "on"}
    )
    assert response.status_code == 302
    match = child.events.get(kind=EventKind.MATCHED)
    assert match.household == other and "linked with household W00002" in match.household_warning
    flag = DataQualityFlag.objects.get(child=child, rule="match-household-confirmed")
    assert "confirmed when recorded" in flag.message
