"""A manager's home shows their councils' children and households due and over, by threshold
(issue 20, item 1), not only the children allocated to them; the children count is of those in
the process; the navigation carries the unread notifications."""

import re

from django.utils import timezone

from raa.models import Role
from tests.tracking.journeys import make_child, make_household
from tracking.checks import thresholds
from tracking.models import TrackingNotification
from tracking.selectors import threshold_counts


def by_code(counts) -> dict:
    return {line.code: (line.over, line.due) for line in counts["lines"]}


def test_threshold_counts_known_answer(world):
    """Council C, nobody's children (not allocated to the manager):
    - OVER-1 entered care 500 days ago (426 days passed 73 days ago: over), ADM 200 days ago
      (3 months passed: over), placement order 150 days ago (121 days passed: over);
    - DUE-1 entered care 410 days ago (over on day 427, in 17 days: due), ADM 20 days ago
      (3 months on is about 70 days away: on track), no order;
    - OK-1 entered care 100 days ago, ADM 10 days ago: on track on both;
    - ADOPTED-1 is adopted: not in the process, counts nowhere.
    Households (seen by the region's team manager): HH-S1 registered 100 days ago, Stage 1
    running (2 months passed: over);
    HH-W approved 80 days ago, not matched (3 months on is 10 or 12 days away: due)."""
    c = world.councils["C"]
    worker = world.user(Role.SOCIAL_WORKER, "C")
    make_child(c, worker, "OVER-1", entered=500, adm=200, order=150)
    make_child(c, worker, "DUE-1", entered=410, adm=20)
    make_child(c, worker, "OK-1", entered=100, adm=10)
    make_child(c, worker, "ADOPTED-1", entered=900, adm=800, matched=600, placed=590, adopted=300)
    make_household(world.region, "HH-S1", council=c, registration=100)
    make_household(world.region, "HH-W", council=c, registration=300, approval=80)
    manager = world.user(Role.TEAM_MANAGER, "C")
    counts = threshold_counts(manager, today=timezone.localdate(), table=thresholds())
    found = by_code(counts)
    assert found["child_care_to_placed"] == (1, 1)
    assert found["child_decision_to_match"] == (1, 0)
    assert found["child_order_to_match"] == (1, 0)
    assert counts["children"] == {"over": 1, "due": 1}
    # households go by region (a council's team manager sees those linked with its children)
    regional = world.user(Role.TEAM_MANAGER, "region")
    found = by_code(threshold_counts(regional, today=timezone.localdate(), table=thresholds()))
    assert found["household_stage1"] == (1, 0)
    assert found["household_approval_to_match"] == (0, 1)
    # the worst first: the lines with one over come before those with none
    overs = [line.over for line in counts["lines"]]
    assert overs == sorted(overs, reverse=True)


def test_a_managers_home_counts_the_councils_children_and_links_into_the_list(client_for, world):
    c = world.councils["C"]
    worker = world.user(Role.SOCIAL_WORKER, "C")
    make_child(c, worker, "OVER-1", entered=500, adm=200, order=150)
    make_child(c, worker, "OVER-2", entered=480, adm=200, order=140)
    make_child(c, worker, "ADOPTED-1", entered=900, adm=800, matched=600, placed=590, adopted=300)
    manager = world.user(Role.TEAM_MANAGER, "C")
    html = client_for(manager).get("/").content.decode()
    assert "Your councils: due and over" in html
    assert re.search(r'data-testid="children-over">2<', html)
    link = "/tracking/?threshold=child_order_to_match&amp;status=over"
    assert f'href="{link}"' in html
    # the link gives exactly those two children
    listed = client_for(manager).get(link.replace("&amp;", "&"))
    assert [row.record.child_id for row in listed.context["rows"]] == ["OVER-1", "OVER-2"]
    # "children you can see" counts those in the process: the two, not the adopted one
    assert re.search(r'data-testid="children-in-scope">2<', html)
    # a social worker's home has no council panel
    assert "Your councils" not in client_for(worker).get("/").content.decode()


def test_the_navigation_shows_the_unread_notifications(client_for, world):
    manager = world.user(Role.TEAM_MANAGER, "A")
    TrackingNotification.objects.create(
        user=manager,
        child=world.child_a,
        check_code="child_care_to_placed",
        over_from=world.child_a.entered_care_date,
    )
    html = client_for(manager).get("/children/").content.decode()
    assert re.search(r'Notifications <span class="badge[^"]*">1<', html)
    client_for(manager).post("/notifications/")
    html = client_for(manager).get("/children/").content.decode()
    assert "Notifications</a>" in html  # no badge once read


def test_the_children_list_opens_on_children_in_the_process(client_for, world):
    """Issue 20, item 8: adopted children are listed only when asked for."""
    c = world.councils["C"]
    worker = world.user(Role.SOCIAL_WORKER, "C")
    make_child(c, worker, "LIVE-1", entered=500, adm=200)
    make_child(c, worker, "GONE-1", entered=900, adm=800, matched=600, placed=590, adopted=300)
    client = client_for(worker)
    page = client.get("/children/").content.decode()
    assert "LIVE-1" in page and "GONE-1" not in page
    assert "1 child in the process" in page
    page = client.get("/children/", {"show": "adopted"}).content.decode()
    assert "GONE-1" in page and "LIVE-1" not in page


def test_the_households_list_opens_on_households_on_the_way_to_a_match(client_for, world):
    make_household(world.region, "HW-S1", registration=100)
    make_household(world.region, "HW-ENQ", enquiry=10)
    client = client_for(world.user(Role.SOCIAL_WORKER, "region"))
    page = client.get("/adopters/").content.decode()
    assert "HW-S1" in page and "HW-ENQ" not in page
    assert " on the way to a match</p>" in page
    page = client.get("/adopters/", {"stage": "all"}).content.decode()
    assert "HW-S1" in page and "HW-ENQ" in page
    page = client.get("/adopters/", {"stage": "enquiry"}).content.decode()
    assert "HW-ENQ" in page
