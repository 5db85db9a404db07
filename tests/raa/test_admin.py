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
