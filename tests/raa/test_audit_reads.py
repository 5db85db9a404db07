"""Reads that leave an audit row: the edit forms (they show the whole record), list searches
(that a search happened and how many rows, never the terms), the admin's record, history and
search pages, and refused requests (who, which page, which id: no personal data). And the
pages that read the trail: the administrators' audit trail (filters, pages, CSV export) and
each person's own access history."""

import csv
import io
from datetime import timedelta

from django.utils import timezone

from raa.models import AuditAction, AuditEvent, Role


def last_event(user) -> AuditEvent:
    return AuditEvent.objects.filter(user=user).order_by("-id").first()


def no_names(event: AuditEvent) -> bool:
    text = f"{event.object_type} {event.object_id} {event.detail}"
    return not any(name in text for name in ("Ada", "Testworld", "Hollis", "Linked", "Bea"))


# -- reads of a record ----------------------------------------------------------------------------


def test_opening_a_childs_edit_form_is_logged_as_a_view(client_for, world):
    worker = world.user(Role.SOCIAL_WORKER, "A")
    page = client_for(worker).get(f"/children/{world.child_a.pk}/edit/")
    assert page.status_code == 200 and "Testworld" in page.content.decode()
    event = last_event(worker)
    assert (event.action, event.object_type, event.object_id, event.detail) == (
        AuditAction.VIEWED,
        "child",
        str(world.child_a.pk),
        "edit form",
    )
    assert event.council == world.councils["A"]


def test_opening_a_households_edit_form_is_logged_as_a_view(client_for, world):
    person = world.user(Role.SOCIAL_WORKER, "region")
    assert client_for(person).get(f"/adopters/{world.household_a.pk}/edit/").status_code == 200
    event = last_event(person)
    assert (event.action, event.object_type, event.object_id, event.detail) == (
        AuditAction.VIEWED,
        "household",
        str(world.household_a.pk),
        "edit form",
    )


# -- searches ------------------------------------------------------------------------------------


def test_a_children_search_is_logged_with_the_row_count_never_the_terms(client_for, world):
    worker = world.user(Role.SOCIAL_WORKER, "A")
    page = client_for(worker).get("/children/", {"q": "Testworld"})
    assert "A0001" in page.content.decode()
    event = last_event(worker)
    assert (event.action, event.object_type, event.detail) == (
        AuditAction.SEARCHED,
        "child_list",
        "1 found",
    )
    assert no_names(event)


def test_the_children_list_without_a_search_logs_no_search(client_for, world):
    worker = world.user(Role.SOCIAL_WORKER, "A")
    before = AuditEvent.objects.filter(user=worker, action=AuditAction.SEARCHED).count()
    client_for(worker).get("/children/", {"stage": "waiting"})
    assert AuditEvent.objects.filter(user=worker, action=AuditAction.SEARCHED).count() == before


def test_a_households_search_is_logged_with_the_row_count_never_the_terms(client_for, world):
    person = world.user(Role.SOCIAL_WORKER, "region")
    client_for(person).get("/adopters/", {"q": "Hollis"})
    event = last_event(person)
    assert (event.action, event.object_type, event.detail) == (
        AuditAction.SEARCHED,
        "household_list",
        "1 found",
    )
    assert no_names(event)


# -- refused requests ----------------------------------------------------------------------------


def test_another_councils_record_answers_404_and_the_attempt_is_logged(client_for, world):
    worker_b = world.user(Role.SOCIAL_WORKER, "B")
    assert client_for(worker_b).get(f"/children/{world.child_a.pk}/history/").status_code == 404
    event = last_event(worker_b)
    assert (event.action, event.object_type, event.object_id, event.detail) == (
        AuditAction.REFUSED,
        "children:history",
        str(world.child_a.pk),
        "404 GET",
    )
    assert no_names(event)


def test_a_page_the_role_may_not_use_answers_403_and_the_attempt_is_logged(client_for, world):
    board = world.user(Role.BOARD_MEMBER, "A")
    assert client_for(board).post(f"/children/{world.child_a.pk}/edit/").status_code == 403
    event = last_event(board)
    assert (event.action, event.object_type, event.object_id, event.detail) == (
        AuditAction.REFUSED,
        "children:edit",
        str(world.child_a.pk),
        "403 POST",
    )


def test_a_refused_admin_page_is_logged_without_the_typed_text(client_for, world):
    worker = world.user(Role.SOCIAL_WORKER, "A")
    response = client_for(worker).get("/admin/children/child/Ada%20Testworld/change/")
    assert response.status_code == 403
    event = last_event(worker)
    assert event.action == AuditAction.REFUSED and event.object_id == ""
    assert no_names(event)


# -- the admin -----------------------------------------------------------------------------------


def test_the_admins_record_and_history_pages_of_a_child_are_logged(client_for, world):
    admin = world.user(Role.ADMINISTRATOR, "region")
    client = client_for(admin)
    child = world.child_a
    for url, what in (
        (f"/admin/children/child/{child.pk}/change/", "admin record page"),
        (f"/admin/children/child/{child.pk}/history/", "admin history"),
    ):
        assert client.get(url).status_code == 200
        event = last_event(admin)
        assert (event.action, event.object_type, event.object_id, event.detail) == (
            AuditAction.VIEWED,
            "child",
            str(child.pk),
            what,
        )
        assert event.council == world.councils["A"]


def test_the_admins_household_page_is_logged(client_for, world):
    admin = world.user(Role.ADMINISTRATOR, "region")
    url = f"/admin/adopters/household/{world.household_a.pk}/change/"
    assert client_for(admin).get(url).status_code == 200
    event = last_event(admin)
    assert (event.action, event.object_type, event.object_id) == (
        AuditAction.VIEWED,
        "household",
        str(world.household_a.pk),
    )


def test_an_admin_search_of_children_is_logged_with_the_count_never_the_terms(client_for, world):
    admin = world.user(Role.ADMINISTRATOR, "region")
    page = client_for(admin).get("/admin/children/child/", {"q": "Testworld"})
    assert page.status_code == 200
    event = last_event(admin)
    assert (event.action, event.object_type, event.detail) == (
        AuditAction.SEARCHED,
        "admin child",
        "2 found",
    )
    assert no_names(event)


# -- the audit trail -----------------------------------------------------------------------------


def test_the_audit_trail_filters_by_person_council_action_and_date(client_for, world):
    worker_a = world.user(Role.SOCIAL_WORKER, "A")
    worker_b = world.user(Role.SOCIAL_WORKER, "B")
    client_for(worker_a).get(f"/children/{world.child_a.pk}/")
    client_for(worker_b).get(f"/children/{world.child_b.pk}/")
    admin = world.user(Role.ADMINISTRATOR, "region")
    client = client_for(admin)
    today = timezone.localdate()

    page = client.get(
        "/audit/",
        {
            "person": worker_a.username,
            "council": world.councils["A"].pk,
            "action": AuditAction.VIEWED,
            "date_from": today.isoformat(),
            "date_to": today.isoformat(),
        },
    )
    assert page.status_code == 200
    rows = list(page.context["page"])
    assert rows and all(e.user == worker_a and e.action == "viewed" for e in rows)
    assert str(world.child_a.pk) in {e.object_id for e in rows}
    text = page.content.decode()
    assert worker_a.username in text and worker_b.username not in text

    # yesterday holds none of today's rows
    yesterday = (today - timedelta(days=1)).isoformat()
    page = client.get("/audit/", {"person": worker_a.username, "date_to": yesterday})
    assert not [e for e in page.context["page"] if e.at.date() == today]


def test_the_audit_trail_explains_bad_filters(client_for, world):
    client = client_for(world.user(Role.ADMINISTRATOR, "region"))
    page = client.get("/audit/", {"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert page.status_code == 400
    assert "is before the start date" in page.content.decode()


def test_the_audit_trail_is_paginated(client_for, world):
    admin = world.user(Role.ADMINISTRATOR, "region")
    AuditEvent.objects.bulk_create(
        AuditEvent(user=admin, action=AuditAction.VIEWED, object_type="child", object_id=str(n))
        for n in range(105)
    )
    client = client_for(admin)
    first = client.get("/audit/", {"person": admin.username, "action": "viewed"})
    assert len(first.context["page"]) == 100
    assert "Page 1 of 2" in first.content.decode()
    second = client.get("/audit/", {"person": admin.username, "action": "viewed", "page": 2})
    assert len(second.context["page"]) >= 5


def test_the_audit_trail_exports_as_csv_with_formula_cells_neutralised(client_for, world):
    admin = world.user(Role.ADMINISTRATOR, "region")
    worker = world.user(Role.SOCIAL_WORKER, "C")
    AuditEvent.objects.create(
        user=worker,
        action=AuditAction.EXPORTED,
        object_type="tracking_list",
        council=world.councils["C"],
        detail='=HYPERLINK("//e.x")',
    )
    response = client_for(admin).get("/audit/export.csv", {"person": worker.username})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["When", "Person", "Action", "What", "Id", "Council", "Detail"]
    assert rows[1][1:] == [
        worker.username,
        "Exported",
        "tracking_list",
        "",
        "Council C",
        '\'=HYPERLINK("//e.x")',
    ]
    # the export is itself logged, with its filters and row count
    event = last_event(admin)
    assert (event.action, event.object_type) == (AuditAction.EXPORTED, "audit_trail")
    assert event.detail.startswith(f"csv: {len(rows) - 1} rows; person={worker.username}")


def test_a_person_sees_their_own_access_history_and_nobody_elses(client_for, world):
    worker_a = world.user(Role.SOCIAL_WORKER, "A")
    worker_b = world.user(Role.SOCIAL_WORKER, "B")
    client_for(worker_b).get(f"/children/{world.child_b.pk}/")
    client = client_for(worker_a)
    client.get(f"/children/{world.child_a.pk}/")
    home = client.get("/").content.decode()
    assert 'href="/accounts/access-history/"' in home  # in the header
    page = client.get("/accounts/access-history/")
    assert page.status_code == 200
    rows = list(page.context["page"])
    assert rows and all(e.user == worker_a for e in rows)
    assert rows[0].object_id == str(world.child_a.pk)
    assert str(world.child_b.pk) not in {e.object_id for e in rows if e.object_type == "child"}
