"""Alerts: the home page's lists, in-app notifications when a record crosses into "over", and
the weekly digest to team managers (DOMAIN.md A.8)."""

import re

import pytest
from django.conf import settings
from django.core import mail

from children.models import Child
from raa.celery import app as celery_app
from raa.dates import add_months
from raa.models import Role
from tests.tracking.journeys import make_child, make_household, today
from tracking.checks import thresholds
from tracking.models import TrackingNotification
from tracking.services import digest_for, notify_crossings, send_weekly_digests


@pytest.fixture
def worker_c(world):
    return world.user(Role.SOCIAL_WORKER, "C")


def test_a_social_workers_home_lists_their_children_due_or_over(client_for, world, worker_c):
    c = world.councils["C"]
    make_child(c, worker_c, "H-OVER", entered=500, adm=200, worker=worker_c)
    make_child(c, worker_c, "H-DUE", entered=410, adm=20, worker=worker_c)
    make_child(c, worker_c, "H-OK", entered=100, adm=10, worker=worker_c)
    make_child(c, worker_c, "H-NOT-MINE", entered=500, adm=200)
    response = client_for(worker_c).get("/")
    listed = [row.record.child_id for row in response.context["alert_children"]]
    assert listed == ["H-OVER", "H-DUE"]
    html = response.content.decode()
    assert "Children allocated to you: due within 30 days or over" in html
    assert "H-NOT-MINE" not in html  # (H-OK is still in the list of all their children)


def test_a_region_team_managers_home_lists_households_due_or_over(client_for, world):
    make_household(world.region, "HH-OVER", registration=100)
    make_household(world.region, "HH-OK", registration=10)
    response = client_for(world.user(Role.TEAM_MANAGER, "region")).get("/")
    refs = [row.record.reference for row in response.context["alert_households"]]
    assert "HH-OVER" in refs and "HH-OK" not in refs


def test_board_members_and_data_officers_get_no_alerts(client_for, world):
    for role in (Role.BOARD_MEMBER, Role.DATA_OFFICER):
        response = client_for(world.user(role, "region")).get("/")
        assert response.status_code == 200
        assert "alert_children" not in response.context


def test_crossing_into_over_notifies_the_worker_and_the_councils_team_managers(
    client_for, world, worker_c
):
    c = world.councils["C"]
    # Entered care 429 days ago: 426 days were up two days ago (over from T-2).
    crossed = make_child(c, worker_c, "N-CROSSED", entered=429, adm=20, worker=worker_c)
    # Over for a long time: no news, no notification.
    make_child(c, worker_c, "N-OLD", entered=900, adm=800, worker=worker_c)
    # Stage 1 began a year ago: long over, no notification.
    household = make_household(world.region, "N-HH", council=c, registration=365)

    created = notify_crossings()
    notes = TrackingNotification.objects.filter(child=crossed)
    people = {n.user.username for n in notes}
    assert people == {"social_worker-c", "team_manager-c", "team_manager-region"}
    assert {n.check_code for n in notes} == {"child_care_to_placed"}
    assert not TrackingNotification.objects.filter(child__child_id="N-OLD").exists()
    assert not TrackingNotification.objects.filter(household=household).exists()
    assert created == 3
    # The daily job is idempotent: a second run tells nobody again.
    assert notify_crossings() == 0

    client = client_for(worker_c)
    response = client.get("/")
    assert [n.child.child_id for n in response.context["notifications"]] == ["N-CROSSED"]
    assert "new notification" in response.content.decode()
    response = client.post("/notifications/")
    assert response.status_code == 302
    assert "new notification" not in client.get("/").content.decode()
    # Still listed on the notifications page, as read.
    assert "N-CROSSED" in client.get("/notifications/").content.decode()


def test_a_household_passing_stage_1_notifies_team_managers(world):
    # Stage 1 started exactly 2 months ago: today is the first day over.
    household = make_household(world.region, "N-HH2", council=world.councils["A"])
    household.registration_date = add_months(today(), -2)
    household.save()
    notify_crossings()
    people = {n.user.username for n in TrackingNotification.objects.filter(household=household)}
    assert people == {"team_manager-a", "team_manager-region"}


def child_ids_in(body: str) -> set[str]:
    return set(re.findall(r"Child (\S+):", body))


def test_the_weekly_digest_lists_only_the_councils_each_team_manager_manages(world, worker_c):
    by_council = {}
    for letter in "ABC":
        council = world.councils[letter]
        make_child(council, worker_c, f"DG-{letter}-OVER", entered=500, adm=200)
        make_child(council, worker_c, f"DG-{letter}-DUE", entered=410, adm=20)
        make_child(council, worker_c, f"DG-{letter}-OK", entered=100, adm=10)
    for child_id, council_id in Child.objects.values_list("child_id", "council_id"):
        by_council[child_id] = council_id
    managers = {}
    for scope in ("A", "B", "C", "region"):
        user = world.user(Role.TEAM_MANAGER, scope)
        user.email = f"tm-{scope}@example.org"
        user.save()
        managers[user.email] = user
    mail.outbox.clear()

    assert send_weekly_digests() == 4
    assert {m.to[0] for m in mail.outbox} == set(managers)
    for message in mail.outbox:
        user = managers[message.to[0]]
        allowed = (
            {world.councils[s].pk for s in "ABC"}
            if user.username.endswith("region")
            else {world.councils[user.username[-1].upper()].pk}
        )
        listed = child_ids_in(message.body)
        assert listed, message.body
        # No other council's child ever appears in a team manager's digest.
        assert {by_council[i] for i in listed} <= allowed, (user.username, listed)
        # On-track children are not listed; names never are.
        assert not any(i.endswith("-OK") for i in listed)
        assert "Track Test" not in message.body and "TestDG" not in message.body
    a_mail = next(m for m in mail.outbox if m.to == ["tm-A@example.org"])
    assert {"DG-A-OVER", "DG-A-DUE"} <= child_ids_in(a_mail.body)
    assert "DG-B-OVER" not in a_mail.body and "DG-C-OVER" not in a_mail.body
    region_mail = next(m for m in mail.outbox if m.to == ["tm-region@example.org"])
    assert {"DG-A-OVER", "DG-B-OVER", "DG-C-OVER"} <= child_ids_in(region_mail.body)

    # A second run in the same week sends nothing more.
    assert send_weekly_digests() == 0


def test_other_roles_over_a_council_do_not_widen_a_team_managers_digest(world):
    """A person who is team manager of A and social worker of B gets a digest of A only."""
    from raa.services import user_add_or_update

    user = user_add_or_update(
        username="tm-a-sw-b", role=Role.TEAM_MANAGER, councils=[world.councils["A"]]
    )[0]
    user_add_or_update(
        username="tm-a-sw-b", role=Role.SOCIAL_WORKER, councils=[world.councils["B"]]
    )
    user.refresh_from_db()
    make_child(world.councils["B"], user, "DG2-B", entered=500, adm=200)
    digest = digest_for(user, today=today(), table=thresholds())
    assert "DG2-B" not in digest.body
    assert "A0001" in digest.body  # council A's child of the fixed world, long over


def test_the_jobs_are_scheduled_by_beat_and_registered_with_the_worker():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"tracking.notify_crossings", "tracking.send_digests"} <= tasks
    celery_app.loader.import_default_modules()
    assert "tracking.notify_crossings" in celery_app.tasks
    assert "tracking.send_digests" in celery_app.tasks
