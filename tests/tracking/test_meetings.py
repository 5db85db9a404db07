"""Tracking meetings (issue 20 item 7): the meeting's date and who attended, actions per child
and household (what, who, by when) recorded going down the list, shown on the record and in the
exports, marked done, and overdue ones on their owner's home and in the weekly digest."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from raa.models import AuditEvent, Role
from tests.tracking.journeys import make_child, today
from tracking.checks import thresholds
from tracking.models import MeetingAction, TrackingMeeting
from tracking.services import action_add, action_mark_done, digest_for, meeting_record


@pytest.fixture
def meeting_c(world):
    manager = world.user(Role.TEAM_MANAGER, "C")
    return meeting_record(
        acting_user=manager,
        region_id=world.region.pk,
        council=world.councils["C"],
        meeting_date=today(),
        attendees="Team Manager C\nSocial Worker C",
    )


@pytest.fixture
def child_c(world):
    worker = world.user(Role.SOCIAL_WORKER, "C")
    return make_child(world.councils["C"], worker, "MTG001", entered=500, adm=300, worker=worker)


def test_an_action_is_recorded_with_what_who_and_by_when_and_audited(world, meeting_c, child_c):
    worker = world.user(Role.SOCIAL_WORKER, "C")
    action = action_add(
        meeting=meeting_c,
        acting_user=world.user(Role.TEAM_MANAGER, "C"),
        child=child_c,
        what="Refer to the national register",
        owner=worker,
        due_date=today() + timedelta(days=14),
    )
    assert (action.what, action.owner, action.done_on) == (
        "Refer to the national register",
        worker,
        None,
    )
    assert AuditEvent.objects.filter(object_type="meeting_action", object_id=str(action.pk))
    assert meeting_c.history.count() == 1 and action.history.count() == 1


def test_bad_actions_are_refused_naming_the_field(world, meeting_c, child_c):
    manager = world.user(Role.TEAM_MANAGER, "C")
    with pytest.raises(ValidationError) as refused:
        action_add(
            meeting=meeting_c,
            acting_user=manager,
            child=child_c,
            what=" ",
            owner=world.user(Role.SOCIAL_WORKER, "A"),  # works for council A, not C
            due_date=today() - timedelta(days=1),
        )
    errors = refused.value.message_dict
    assert errors["what"] == ["Write what is to be done."]
    assert "holds no tracking role over Council C" in errors["owner"][0]
    assert "is before the meeting" in errors["due_date"][0]
    # Someone who does not run meetings over council C may not add to its meeting.
    with pytest.raises(PermissionDenied):
        action_add(
            meeting=meeting_c,
            acting_user=world.user(Role.TEAM_MANAGER, "A"),
            child=child_c,
            what="x",
            owner=manager,
            due_date=today(),
        )
    assert not MeetingAction.objects.filter(meeting=meeting_c).exists()


def test_a_meeting_in_the_future_or_without_attendees_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        meeting_record(
            acting_user=world.user(Role.TEAM_MANAGER, "C"),
            region_id=world.region.pk,
            council=world.councils["C"],
            meeting_date=today() + timedelta(days=1),
            attendees="",
        )
    assert "is in the future" in refused.value.message_dict["meeting_date"][0]
    assert refused.value.message_dict["attendees"] == [
        "Write who attended the meeting, one person a line."
    ]


def test_the_owner_marks_done_and_others_may_not(world, meeting_c, child_c):
    worker = world.user(Role.SOCIAL_WORKER, "C")
    action = action_add(
        meeting=meeting_c,
        acting_user=world.user(Role.TEAM_MANAGER, "C"),
        child=child_c,
        what="Book the matching panel",
        owner=worker,
        due_date=today(),
    )
    with pytest.raises(PermissionDenied):
        action_mark_done(action=action, acting_user=world.user(Role.SOCIAL_WORKER, "region"))
    action_mark_done(action=action, acting_user=worker)
    action.refresh_from_db()
    assert (action.done_on, action.done_by) == (today(), worker)


def test_meeting_pages_answer_by_role_and_council(client_for, world, meeting_c, client):
    url = reverse("tracking:meeting", args=[meeting_c.pk])
    assert client.get(url).status_code == 302  # anonymous: to sign in
    assert client_for(world.user(Role.TEAM_MANAGER, "A")).get(url).status_code == 404
    assert client_for(world.user(Role.BOARD_MEMBER, "C")).get(url).status_code == 403
    # A social worker sees the meeting but may not add to it.
    worker = client_for(world.user(Role.SOCIAL_WORKER, "C"))
    assert worker.get(url).status_code == 200
    add = reverse("tracking:action_add", args=[meeting_c.pk])
    assert worker.post(add, {"child": 1}).status_code == 403
    manager = client_for(world.user(Role.TEAM_MANAGER, "C"))
    page = manager.get(url)
    assert b"Team Manager C, Social Worker C" in page.content


def test_actions_show_on_the_record_in_the_exports_and_overdue_on_home_and_digest(
    client_for, world, meeting_c, child_c
):
    worker = world.user(Role.SOCIAL_WORKER, "C")
    manager = world.user(Role.TEAM_MANAGER, "C")
    # The meeting is backdated a month, so an action due a week ago is overdue today.
    TrackingMeeting.objects.filter(pk=meeting_c.pk).update(
        meeting_date=today() - timedelta(days=30)
    )
    meeting_c.refresh_from_db()
    client = client_for(manager)
    response = client.post(
        reverse("tracking:action_add", args=[meeting_c.pk]),
        {
            "child": child_c.pk,
            "what": "Send the profile to Link Maker",
            "owner": worker.pk,
            "due_date": (today() - timedelta(days=7)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#child-{child_c.pk}")
    record = client.get(reverse("children:detail", args=[child_c.pk])).content.decode()
    assert "Send the profile to Link Maker" in record and "Overdue" in record

    exported = client.get(reverse("tracking:export_csv")).content.decode()
    rows = list(csv.reader(io.StringIO(exported)))
    column = rows[0].index("Tracking meeting actions")
    line = next(r for r in rows if r[0] == "MTG001")
    due = (today() - timedelta(days=7)).strftime("%d/%m/%Y")
    assert line[column] == f"Send the profile to Link Maker (Social Worker ScopeC, by {due})"

    home = client_for(worker).get(reverse("home")).content.decode()
    assert "Your tracking meeting actions overdue (1)" in home

    digest = digest_for(manager, today=today(), table=thresholds())
    assert "Tracking meeting actions overdue: 1" in digest.body
    assert f"Child MTG001: due {due}, Social Worker ScopeC" in digest.body
    assert "Link Maker" not in digest.body  # identifiers only: the action's words stay inside

    action = MeetingAction.objects.get(child=child_c)
    client_for(worker).post(
        reverse("tracking:action_done", args=[action.pk]), {"next": reverse("home")}
    )
    home = client_for(worker).get(reverse("home")).content.decode()
    assert "actions overdue" not in home


MEETING_READERS = {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.MANAGER, Role.ADMINISTRATOR}
MEETING_RUNNERS = {Role.TEAM_MANAGER, Role.MANAGER, Role.ADMINISTRATOR}


@pytest.mark.parametrize("role", Role.values)
def test_every_role_on_the_meeting_pages(client_for, world, meeting_c, child_c, role):
    """Council C's meeting, as each role over council C and over council A: tracking readers
    see it (404 from another council), only meeting runners write (403 for the others)."""
    manager = world.user(Role.TEAM_MANAGER, "C")
    action = MeetingAction.objects.create(
        meeting=meeting_c,
        child=child_c,
        what="Check the referral",
        owner=manager,  # not the social worker: they may not mark it done
        due_date=today(),
        created_by=manager,
    )
    pages = {
        "meetings": reverse("tracking:meetings"),
        "meeting": reverse("tracking:meeting", args=[meeting_c.pk]),
        "edit": reverse("tracking:meeting_edit", args=[meeting_c.pk]),
        "add": reverse("tracking:action_add", args=[meeting_c.pk]),
        "done": reverse("tracking:action_done", args=[action.pk]),
    }
    reads, runs = role in MEETING_READERS, role in MEETING_RUNNERS
    client = client_for(world.user(role, "C"))
    assert client.get(pages["meetings"]).status_code == (200 if reads else 403)
    assert client.get(pages["meeting"]).status_code == (200 if reads else 403)
    posted = client.post(pages["add"], {"child": child_c.pk}).status_code
    assert posted == (302 if runs else 403)  # an empty action: back to the list with a message
    assert client.post(pages["edit"], {}).status_code == (302 if runs else 403)
    assert client.post(pages["meetings"], {}).status_code == (200 if runs else 403)
    done = client.post(pages["done"], {}).status_code
    assert done == (302 if runs else 403)
    if role != Role.ADMINISTRATOR:  # administrators reach every council
        elsewhere = client_for(world.user(role, "A"))
        assert elsewhere.get(pages["meeting"]).status_code == (404 if reads else 403)
        assert elsewhere.post(pages["done"], {}).status_code == (404 if reads else 403)
    assert not MeetingAction.objects.filter(meeting=meeting_c, what="").exists()


def test_the_export_says_days_left_or_over_in_words(client_for, world, child_c):
    """Entered care 500 days ago, ADM decision 300 days ago: the nearest threshold is over, and
    the export says by how many days in words, never as a negative number."""
    exported = client_for(world.user(Role.TEAM_MANAGER, "C")).get(reverse("tracking:export_csv"))
    rows = list(csv.reader(io.StringIO(exported.content.decode())))
    column = rows[0].index("Nearest threshold")
    line = next(r for r in rows if r[0] == "MTG001")
    assert line[column].endswith(" days over") and "-" not in line[column]
