"""Each role's home page and navigation show what that role works with, and nothing else."""

import pytest

from raa.models import Role


def nav_links(page: str) -> set[str]:
    names = {"Children", "Adopters", "Scorecard", "Tracking", "Board reports", "Admin"}
    nav = page.split('id="main-nav"', 1)[1].split("</ul>", 1)[0]
    return {n for n in names if f">{n}</a>" in nav}


@pytest.mark.parametrize(
    ("role", "links"),
    [
        (Role.SOCIAL_WORKER, {"Children", "Adopters", "Tracking"}),
        (Role.TEAM_MANAGER, {"Children", "Adopters", "Scorecard", "Tracking", "Board reports"}),
        (Role.MANAGER, {"Children", "Adopters", "Scorecard", "Tracking", "Board reports"}),
        (Role.BOARD_MEMBER, {"Board reports"}),
        (Role.DATA_OFFICER, {"Children", "Adopters", "Scorecard"}),
        (
            Role.ADMINISTRATOR,
            {"Children", "Adopters", "Scorecard", "Tracking", "Board reports", "Admin"},
        ),
    ],
)
def test_navigation_follows_the_role(client_for, world, role, links):
    page = client_for(world.user(role, "A")).get("/").content.decode()
    assert nav_links(page) == links


def test_a_social_workers_home_lists_their_children_and_shows_their_council(client_for, world):
    page = client_for(world.user(Role.SOCIAL_WORKER, "A")).get("/").content.decode()
    assert "Children allocated to you" in page
    assert f'href="/children/{world.child_a.pk}/"' in page
    assert "Linked with a family" in page  # the child's stage, derived from its journey
    assert "Council A" in page


def test_a_board_members_home_has_reports_and_no_child_level_data(client_for, world):
    page = client_for(world.user(Role.BOARD_MEMBER, "region")).get("/").content.decode()
    assert "Quarterly board reports" in page
    assert "Children allocated to you" not in page
    assert world.child_a.last_name not in page


def test_a_managers_home_links_to_the_dashboard_and_tracking(client_for, world):
    page = client_for(world.user(Role.MANAGER, "region")).get("/").content.decode()
    assert 'href="/scorecard/"' in page and 'href="/tracking/"' in page


def test_the_children_list_is_scoped_to_the_council(client_for, world):
    page = client_for(world.user(Role.SOCIAL_WORKER, "A")).get("/children/").content.decode()
    assert "A0001" in page and "B0001" not in page
    page = client_for(world.user(Role.SOCIAL_WORKER, "region")).get("/children/").content.decode()
    assert "A0001" in page and "B0001" in page


def test_the_children_list_links_each_record_and_searches(client_for, world):
    client = client_for(world.user(Role.SOCIAL_WORKER, "region"))
    page = client.get("/children/?q=Bea").content.decode()
    assert f'href="/children/{world.child_b.pk}/"' in page
    assert f'href="/children/{world.child_a.pk}/"' not in page


def test_households_council_staff_see_only_those_linked_with_their_children(client_for, world):
    council_a = client_for(world.user(Role.SOCIAL_WORKER, "A"))
    page = council_a.get("/adopters/").content.decode()
    assert "W00001" in page and "W00002" not in page
    assert council_a.get(f"/adopters/{world.household_free.pk}/").status_code == 404
    region = client_for(world.user(Role.SOCIAL_WORKER, "region"))
    # Every stage: the list opens on households on the way to a match, and W00002 is still an
    # enquiry.
    page = region.get("/adopters/?stage=").content.decode()
    assert f'href="/adopters/{world.household_a.pk}/"' in page
    assert f'href="/adopters/{world.household_free.pk}/"' in page


def test_error_pages_are_friendly(client_for, world):
    client = client_for(world.user(Role.BOARD_MEMBER, "region"))
    forbidden = client.get("/children/")
    assert forbidden.status_code == 403
    assert "not available to your role" in forbidden.content.decode()
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404 and "Page not found" in missing.content.decode()


def test_list_pages_do_not_run_a_query_per_child(client_for, world, django_assert_max_num_queries):
    from tests.factories import ChildFactory, PeriodOfCareFactory

    for _ in range(30):
        PeriodOfCareFactory(child=ChildFactory(council=world.councils["A"]))
    client = client_for(world.user(Role.SOCIAL_WORKER, "A"))
    with django_assert_max_num_queries(12):
        assert client.get("/children/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/adopters/").status_code == 200
