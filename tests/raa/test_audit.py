"""Every change keeps its history; every opening of a record is logged; nothing is deleted."""

from datetime import date

from raa.models import AuditAction, AuditEvent, Role


def new_child_form(world, **overrides) -> dict:
    data = {
        "council": world.councils["A"].pk,
        "child_id": "A9999",
        "first_name": "Newchild",
        "last_name": "Formtest",
        "date_of_birth": "2022-01-01",
        "sex": "F",
        "ethnicity": "WBRI",
    }
    data.update(overrides)
    return data


def test_opening_a_childs_record_is_logged_with_who_and_which(client_for, world):
    worker = world.user(Role.SOCIAL_WORKER, "A")
    before = AuditEvent.objects.count()
    client_for(worker).get(f"/children/{world.child_a.pk}/")
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1
    assert (event.user, event.action, event.object_type, event.object_id) == (
        worker,
        AuditAction.VIEWED,
        "child",
        str(world.child_a.pk),
    )
    assert event.council == world.councils["A"]
    # The log holds identifiers only, never the child's name.
    assert "Ada" not in str(event) and "Ada" not in event.detail


def test_opening_a_household_is_logged(client_for, world):
    person = world.user(Role.SOCIAL_WORKER, "region")
    client_for(person).get(f"/adopters/{world.household_a.pk}/")
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.user, event.object_type, event.object_id) == (
        person,
        "household",
        str(world.household_a.pk),
    )


def test_a_refused_view_is_logged_as_refused_not_as_a_view(client_for, world):
    worker_b = world.user(Role.SOCIAL_WORKER, "B")
    before = AuditEvent.objects.count()
    client_for(worker_b).get(f"/children/{world.child_a.pk}/")
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.order_by("-id").first()
    assert (event.user, event.action) == (worker_b, AuditAction.REFUSED)


def test_a_change_keeps_old_and_new_values_which_a_manager_reads_on_the_history_tab(
    client_for, world
):
    worker = world.user(Role.SOCIAL_WORKER, "A")
    child = world.child_a
    response = client_for(worker).post(
        f"/children/{child.pk}/edit/",
        {
            "child_id": child.child_id,
            "first_name": child.first_name,
            "last_name": "Renamedworld",
            "date_of_birth": "2021-01-06",
            "sex": child.sex,
            "ethnicity": child.ethnicity,
            "upn": "",
            "allocated_social_worker": worker.pk,
        },
    )
    assert response.status_code == 302
    child.refresh_from_db()
    assert child.last_name == "Renamedworld" and child.date_of_birth == date(2021, 1, 6)
    latest = child.history.first()
    assert latest.history_user == worker and latest.history_type == "~"
    change = AuditEvent.objects.filter(action=AuditAction.CHANGED, object_id=str(child.pk)).first()
    assert change.detail == "changed: last_name, date_of_birth"

    manager = world.user(Role.TEAM_MANAGER, "A")
    page = client_for(manager).get(f"/children/{child.pk}/history/").content.decode()
    assert "Testworld" in page and "Renamedworld" in page  # old and new value
    assert "05/01/2021" in page and "06/01/2021" in page
    assert worker.get_full_name() in page


def test_a_date_of_birth_in_the_future_is_refused_with_a_message(client_for, world):
    worker = world.user(Role.SOCIAL_WORKER, "A")
    response = client_for(worker).post(
        "/children/new/", new_child_form(world, date_of_birth="2099-01-01")
    )
    assert response.status_code == 200
    assert "The date of birth (01/01/2099) is in the future" in response.content.decode()


def test_adding_a_child_to_a_council_outside_your_scope_is_refused(client_for, world):
    worker = world.user(Role.SOCIAL_WORKER, "A")
    response = client_for(worker).post(
        "/children/new/", new_child_form(world, council=world.councils["B"].pk)
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_a_duplicate_child_id_names_the_council_and_the_rule(client_for, world):
    worker = world.user(Role.SOCIAL_WORKER, "A")
    response = client_for(worker).post("/children/new/", new_child_form(world, child_id="A0001"))
    assert "Council A already has a child with ID A0001" in response.content.decode()


def test_the_admin_offers_no_delete_for_case_records(client_for, world):
    admin = world.user(Role.ADMINISTRATOR, "region")
    client = client_for(admin)
    assert client.get(f"/admin/children/child/{world.child_a.pk}/delete/").status_code == 403
    assert (
        client.get(f"/admin/adopters/household/{world.household_a.pk}/delete/").status_code == 403
    )
    page = client.get(f"/admin/children/child/{world.child_a.pk}/change/").content.decode()
    assert "deletelink" not in page


def test_a_social_worker_adds_a_child_which_is_created_with_history_and_logged(client_for, world):
    worker = world.user(Role.SOCIAL_WORKER, "A")
    response = client_for(worker).post("/children/new/", new_child_form(world))
    assert response.status_code == 302
    from children.models import Child

    child = Child.objects.get(council=world.councils["A"], child_id="A9999")
    assert response["Location"] == f"/children/{child.pk}/"
    assert child.history.get().history_user == worker
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATED, object_type="child", object_id=str(child.pk), user=worker
    ).exists()
