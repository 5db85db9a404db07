"""The Django admin: administrators only; every other signed-in role gets 403."""

import pytest
from django.contrib import admin
from django.urls import reverse

from raa.models import Role
from tests.conftest import SCOPES


def admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
    return urls


def test_every_admin_page_opens_for_an_administrator(client_for, world):
    client = client_for(world.user(Role.ADMINISTRATOR, "region"))
    for url in admin_urls():
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.ADMINISTRATOR])
def test_no_other_role_opens_the_admin(client_for, world, role):
    for scope in SCOPES:
        client = client_for(world.user(role, scope))
        for url in admin_urls():
            assert client.get(url).status_code == 403, (url, role, scope)


def test_the_admin_sends_anonymous_people_to_the_one_sign_in_page(client):
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/login/?next=/admin/"
    assert "Sign in" in response.content.decode()


def test_an_administrator_adds_a_council_a_person_and_a_role_in_the_admin(client_for, world):
    from raa import access
    from raa.models import Council, User

    client = client_for(world.user(Role.ADMINISTRATOR, "region"))
    response = client.post(
        "/admin/raa/council/add/",
        {"region": world.region.pk, "la_code": "812", "name": "Admintown Council"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    council = Council.objects.get(la_code="812")

    response = client.post(
        "/admin/raa/user/add/",
        {
            "username": "newcomer",
            "usable_password": "true",
            "password1": "a-long-admin-set-password-31",
            "password2": "a-long-admin-set-password-31",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
            "memberships-0-role": Role.SOCIAL_WORKER,
            "memberships-0-region": world.region.pk,
            "memberships-0-council": council.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    person = User.objects.get(username="newcomer")
    assert person.check_password("a-long-admin-set-password-31")
    assert access.council_ids_for(person, access.CASE_VIEW_ROLES) == {council.pk}
    # The change is in the person's history, with who made it.
    assert person.history.first().history_user == world.user(Role.ADMINISTRATOR, "region")


def test_an_administrator_made_in_the_admin_can_use_it_without_a_superuser_flag(client_for, world):
    from raa.models import Membership, User

    person = User.objects.create(username="plainadmin")
    Membership.objects.create(user=person, role=Role.ADMINISTRATOR, region=world.region)
    assert not person.is_superuser and not person.is_staff
    client = client_for(person)
    for url in admin_urls():
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/raa/council/add/").status_code == 200
