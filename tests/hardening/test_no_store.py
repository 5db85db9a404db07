"""Pages and downloads with children's data are kept by no browser cache or proxy: every answer
of every page of the access policy carries ``Cache-Control: no-store`` (production: see
test_production.py)."""

import pytest

from raa.models import Role
from tests.raa.test_access_matrix import POLICY, url_for


@pytest.mark.parametrize("name", sorted(POLICY))
def test_every_page_and_download_says_no_store(client_for, world, name):
    client = client_for(world.user(Role.ADMINISTRATOR, "region"))
    response = client.get(url_for(name, world))
    assert response.status_code < 500
    assert "no-store" in response.get("Cache-Control", ""), (name, response.status_code)


def test_a_childs_record_and_the_tracking_export_say_no_store(client_for, world):
    client = client_for(world.user(Role.SOCIAL_WORKER, "A"))
    record = client.get(f"/children/{world.child_a.pk}/")
    assert record.status_code == 200
    assert "no-store" in record["Cache-Control"]
    export = client_for(world.user(Role.TEAM_MANAGER, "A")).get("/tracking/export.csv")
    assert export.status_code == 200
    assert "no-store" in export["Cache-Control"]
