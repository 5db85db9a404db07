"""The add_council and add_user commands, and memberships."""

import pytest
from django.core.management import CommandError, call_command

from raa import access
from raa.models import Council, Membership, Role, User


def run(*args, **kwargs) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


def test_add_council_adds_then_renames_and_is_idempotent(world):
    assert "added" in run("add_council", "811", "Oldtown Council")
    assert "unchanged" in run("add_council", "811", "Oldtown Council")
    assert "renamed" in run("add_council", "811", "Oldtown and Newtown Council")
    assert Council.objects.filter(la_code="811").get().name == "Oldtown and Newtown Council"
    assert Council.objects.filter(la_code="811").count() == 1


@pytest.mark.parametrize("code", ["81", "8111", "AB1", ""])
def test_add_council_refuses_a_code_that_is_not_three_digits(world, code):
    with pytest.raises(CommandError, match="three digits"):
        run("add_council", code, "Bad Council")
    assert not Council.objects.filter(name="Bad Council").exists()


def test_add_user_gives_a_role_over_councils_and_is_idempotent(world, monkeypatch):
    monkeypatch.setenv("NEW_PW", "a-quite-long-pass-phrase-77")
    command = ["add_user", "newworker", "--role", "social_worker", "--council", "801"]
    command += ["--council", "802", "--password-env", "NEW_PW"]
    assert "added" in run(*command)
    assert "unchanged" in run(*command)
    user = User.objects.get(username="newworker")
    assert user.check_password("a-quite-long-pass-phrase-77")
    assert sorted(m.council.la_code for m in user.memberships.active()) == ["801", "802"]
    # A second role is added beside the first, not instead of it.
    run("add_user", "newworker", "--role", "data_officer", "--region")
    assert access.roles(User.objects.get(username="newworker")) == {
        Role.SOCIAL_WORKER,
        Role.DATA_OFFICER,
    }
    assert Membership.objects.filter(user=user).count() == 3


def test_add_user_refuses_an_unknown_council_and_a_weak_password(world, monkeypatch):
    with pytest.raises(CommandError, match="No council has LA code 999"):
        run("add_user", "someone", "--role", "manager", "--council", "999")
    monkeypatch.setenv("WEAK", "password")
    with pytest.raises(CommandError, match="Password refused"):
        run("add_user", "someone", "--role", "manager", "--region", "--password-env", "WEAK")


def test_administrators_can_use_the_django_admin(world):
    run("add_user", "newadmin", "--role", "administrator", "--region")
    user = User.objects.get(username="newadmin")
    assert user.is_staff and user.is_superuser and access.is_administrator(user)


def test_region_scope_covers_every_council_of_the_region(world):
    regional = world.user(Role.MANAGER, "region")
    council_a = world.user(Role.MANAGER, "A")
    assert access.council_ids_for(regional, access.CASE_VIEW_ROLES) >= {
        c.pk for c in world.councils.values()
    }
    assert access.council_ids_for(council_a, access.CASE_VIEW_ROLES) == {world.councils["A"].pk}
    # A board member's region-wide role gives no case records at all.
    assert (
        access.council_ids_for(world.user(Role.BOARD_MEMBER, "region"), access.CASE_VIEW_ROLES)
        == set()
    )


def test_an_ended_membership_gives_nothing(world):
    from django.utils import timezone

    person = User.objects.create(username="leaver")
    membership = Membership.objects.create(
        user=person, role=Role.SOCIAL_WORKER, region=world.region, council=world.councils["A"]
    )
    assert access.council_ids_for(person, access.CASE_VIEW_ROLES) == {world.councils["A"].pk}
    membership.ended_at = timezone.now()
    membership.save()
    person = User.objects.get(pk=person.pk)
    assert access.council_ids_for(person, access.CASE_VIEW_ROLES) == set()
