"""The children pages as a social worker or manager uses them: list filters, the record and its
timeline, the step forms with their rule messages, two people editing at once, closing, and
the data-quality list."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from children import selectors, services
from children.models import Authority, Child, EventKind, JourneyEvent, SiblingGroup, Stage
from raa.models import Role
from tests.factories import HouseholdFactory

K = EventKind


@pytest.fixture
def worker(world):
    return world.user(Role.SOCIAL_WORKER, "A")


def new_child(world, worker, child_id, *, entered, born=date(2019, 1, 10), **fields):
    child = services.child_create(
        council=world.councils["A"],
        acting_user=worker,
        child_id=child_id,
        first_name=fields.pop("first_name", "Pat"),
        last_name=fields.pop("last_name", f"Pagetest{child_id}"),
        date_of_birth=born,
        **fields,
    )
    services.period_of_care_add(child=child, acting_user=worker, entered_care=entered)
    return child


def step(child, worker, kind, day, **details):
    return services.child_record_milestone(
        child=child, kind=kind, date=day, acting_user=worker, **details
    )


def rows_of(html: str) -> list[str]:
    return re.findall(r'href="/children/\d+/">([^<]+)</a>', html)


def test_the_list_filters_by_stage_waiting_worker_and_harder_to_place(client_for, world, worker):
    today = timezone.localdate()
    waiting = new_child(
        world,
        worker,
        "L0001",
        entered=today - timedelta(days=300),
        born=today - timedelta(days=400),
        first_name="Wendy",
    )
    step(waiting, worker, K.ADM_DECISION, today - timedelta(days=100))
    older = new_child(
        world,
        worker,
        "L0002",
        entered=date(2022, 1, 1),
        born=today - timedelta(days=8 * 365),
        first_name="Oscar",
    )
    step(older, worker, K.ADM_DECISION, date(2022, 6, 1))
    new_child(
        world,
        worker,
        "L0003",
        entered=today - timedelta(days=30),
        born=today - timedelta(days=60),
        first_name="Nora",
    )
    client = client_for(worker)

    page = client.get("/children/", {"q": "Pagetest"}).content.decode()
    assert {"Wendy PagetestL0001", "Oscar PagetestL0002", "Nora PagetestL0003"} <= set(
        rows_of(page)
    )
    waiting_only = rows_of(
        client.get("/children/", {"q": "Pagetest", "waiting": "1"}).content.decode()
    )
    assert sorted(waiting_only) == ["Oscar PagetestL0002", "Wendy PagetestL0001"]
    harder = rows_of(client.get("/children/", {"q": "Pagetest", "harder": "1"}).content.decode())
    # Oscar is 8; the others are younger than 5, of no stated ethnicity, not disabled, alone.
    assert harder == ["Oscar PagetestL0002"]
    no_decision = rows_of(
        client.get("/children/", {"q": "Pagetest", "stage": Stage.NO_DECISION}).content.decode()
    )
    assert no_decision == ["Nora PagetestL0003"]
    by_worker = client.get("/children/", {"q": "Pagetest", "worker": worker.pk}).content.decode()
    assert rows_of(by_worker) == []  # none of them is allocated yet


def test_closed_records_leave_the_list_unless_asked_for(client_for, world, worker):
    child = new_child(world, worker, "L0010", entered=date(2022, 1, 1), first_name="Clara")
    services.child_close(child=child, acting_user=worker, reason="transferred")
    client = client_for(worker)
    assert "Clara PagetestL0010" not in rows_of(
        client.get("/children/", {"q": "L0010"}).content.decode()
    )
    shown = client.get("/children/", {"q": "L0010", "closed": "1"}).content.decode()
    assert "Clara PagetestL0010" in rows_of(shown) and "Closed" in shown


def test_sorting_by_longest_in_care_puts_the_earliest_entry_first(client_for, world, worker):
    new_child(world, worker, "L0020", entered=date(2023, 5, 1), first_name="Later")
    new_child(world, worker, "L0021", entered=date(2021, 5, 1), first_name="Earlier")
    page = client_for(worker).get("/children/", {"q": "Pagetest", "sort": "entered_care"})
    names = [n for n in rows_of(page.content.decode()) if n.startswith(("Later", "Earlier"))]
    assert names == ["Earlier PagetestL0021", "Later PagetestL0020"]


def test_list_pages_cost_the_same_queries_with_30_more_children(client_for, world, worker):
    client = client_for(worker)
    pages = ["/children/", "/children/?waiting=1&sort=entered_care", "/children/data-quality/", "/"]

    def counts():
        result = []
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    first = new_child(world, worker, "Q9999", entered=date(2022, 1, 1))
    step(first, worker, K.ADM_DECISION, date(2022, 6, 1))
    step(first, worker, K.PERMANENCE_DECISION, date(2022, 7, 1))
    before = counts()
    for number in range(30):
        child = new_child(world, worker, f"Q{number:04d}", entered=date(2022, 1, 1))
        step(child, worker, K.ADM_DECISION, date(2022, 6, 1))
        step(child, worker, K.PERMANENCE_DECISION, date(2022, 7, 1))  # a soft flag each
        services.child_update(child=child, acting_user=worker, allocated_social_worker=worker)
    assert counts() == before


def test_the_timeline_shows_days_in_care_and_each_threshold(client_for, world, worker):
    """Entered care 01/01/2022; ADM decision 01/03/2022; placement order 01/04/2022; matched
    01/10/2022 (183 days after the order: over the 121; 214 days after the decision: over the
    3 months); placed 01/02/2023 = 396 days after entering care: within the 426."""
    household = HouseholdFactory(region=world.region, approval_date=date(2021, 1, 1))
    child = new_child(world, worker, "T0001", entered=date(2022, 1, 1))
    step(child, worker, K.ADM_DECISION, date(2022, 3, 1))
    step(child, worker, K.PLACEMENT_ORDER, date(2022, 4, 1), authority=Authority.PLACEMENT_ORDER)
    step(
        child,
        worker,
        K.MATCHED,
        date(2022, 10, 1),
        household=household,
        panel_date=date(2022, 9, 20),
    )
    step(child, worker, K.PLACED, date(2023, 2, 1), household=household, placement_provider="PR1")
    page = client_for(worker).get(f"/children/{child.pk}/").content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert "01/02/2023 Placed for adoption 396 396 days in care (426 days) Met" in text
    assert "183 days after the order (121 days) Over" in text
    assert "214 days after the ADM decision (3 months) Over" in text


def test_a_child_waiting_shows_where_they_stand_today(client_for, world, worker):
    today = timezone.localdate()
    child = new_child(world, worker, "T0002", entered=today - timedelta(days=410))
    step(child, worker, K.ADM_DECISION, today - timedelta(days=40))
    page = client_for(worker).get(f"/children/{child.pk}/").content.decode()
    section = page[page.index('id="thresholds"') :]
    # 410 days in care: the 426-day threshold is 17 days away (over from day 427).
    assert re.search(
        r"Entering care to placed for adoption.*?410</td>.*?Due within 30 days", section, re.S
    )
    assert re.search(r"ADM</abbr> decision to match.*?40</td>.*?On track", section, re.S)


def test_recording_a_step_out_of_order_shows_the_rule_beside_the_date(client_for, world, worker):
    child = new_child(world, worker, "F0001", entered=date(2022, 1, 1))
    step(child, worker, K.ADM_DECISION, date(2022, 6, 1))
    client = client_for(worker)
    url = f"/children/{child.pk}/steps/new/placement_order/"
    form = client.get(url).content.decode()
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    response = client.post(
        url, {"date": "2022-05-01", "authority": "placement_order", "version": version}
    )
    assert response.status_code == 200
    assert (
        "The placement order date (01/05/2022) is before the ADM decision that the child should "
        "be placed for adoption (01/06/2022)." in response.content.decode()
    )
    assert not JourneyEvent.objects.filter(child=child, kind=K.PLACEMENT_ORDER).exists()
    saved = client.post(
        url, {"date": "2022-08-01", "authority": "placement_order", "version": version}
    )
    assert saved.status_code == 302
    assert Child.objects.get(pk=child.pk).stage == Stage.WAITING_PO


def test_a_step_dated_in_the_future_is_refused(client_for, world, worker):
    child = new_child(world, worker, "F0002", entered=date(2022, 1, 1))
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for(worker).post(
        f"/children/{child.pk}/steps/new/adm_decision/", {"date": tomorrow.isoformat()}
    )
    assert "is in the future. Record a step once it has happened." in response.content.decode()


def test_a_soft_rule_saves_with_a_warning_on_the_record(client_for, world, worker):
    child = new_child(world, worker, "F0003", entered=date(2022, 1, 1))
    step(child, worker, K.ADM_DECISION, date(2022, 6, 1))
    client = client_for(worker)
    response = client.post(
        f"/children/{child.pk}/steps/new/permanence_decision/", {"date": "2022-07-01"}, follow=True
    )
    page = response.content.decode()
    assert "Please check: The permanence decision (01/07/2022) is after the ADM decision" in page
    assert 'data-testid="quality-flags"' in page


def test_two_people_editing_the_same_child_the_second_sees_what_changed(client_for, world, worker):
    child = new_child(world, worker, "C0001", entered=date(2022, 1, 1))
    client = client_for(worker)
    form = client.get(f"/children/{child.pk}/edit/").content.decode()
    version = re.search(r'name="version" value="(\d+)"', form).group(1)
    loaded_at = re.search(r'name="loaded_at" value="([^"]+)"', form).group(1)
    # Meanwhile a team manager records the ADM decision.
    step(child, world.user(Role.TEAM_MANAGER, "A"), K.ADM_DECISION, date(2022, 6, 1))
    mine = {
        "child_id": "C0001",
        "first_name": "Pat",
        "last_name": "Pagetestrenamed",
        "date_of_birth": "2019-01-10",
        "sex": "U",
        "ethnicity": "NOBT",
        "version": version,
        "loaded_at": loaded_at,
    }
    refused = client.post(f"/children/{child.pk}/edit/", mine)
    page = refused.content.decode()
    assert refused.status_code == 200
    assert (
        "Someone else saved a change to this child&#x27;s record while you had this form open"
        in page
    )
    assert 'data-testid="conflict"' in page and "Created journey event" in page
    assert 'value="Pagetestrenamed"' in page  # what they typed is still there
    assert Child.objects.get(pk=child.pk).last_name == "PagetestC0001"
    newer = re.search(r'name="version" value="(\d+)"', page).group(1)
    assert int(newer) > int(version)
    saved = client.post(f"/children/{child.pk}/edit/", {**mine, "version": newer})
    assert saved.status_code == 302
    assert Child.objects.get(pk=child.pk).last_name == "Pagetestrenamed"


def test_the_sibling_group_is_typed_as_a_reference(client_for, world, worker):
    response = client_for(worker).post(
        "/children/new/",
        {
            "council": world.councils["A"].pk,
            "child_id": "G0001",
            "first_name": "Gus",
            "last_name": "Siblingtest",
            "date_of_birth": "2020-02-02",
            "sex": "M",
            "ethnicity": "WBRI",
            "sibling_group_reference": "SG-0042",
        },
    )
    assert response.status_code == 302
    child = Child.objects.get(child_id="G0001")
    assert child.sibling_group == SiblingGroup.objects.get(
        council=world.councils["A"], reference="SG-0042"
    )


def test_correcting_and_withdrawing_steps_from_the_record(client_for, world, worker):
    child = new_child(world, worker, "W0001", entered=date(2022, 1, 1))
    decision = step(child, worker, K.ADM_DECISION, date(2022, 6, 1))
    permanence = step(child, worker, K.PERMANENCE_DECISION, date(2022, 5, 1))
    client = client_for(worker)
    fixed = client.post(
        f"/children/{child.pk}/steps/{decision.pk}/", {"date": "2022-06-03"}, follow=True
    )
    assert "The correction was saved." in fixed.content.decode()
    assert JourneyEvent.objects.get(pk=decision.pk).date == date(2022, 6, 3)
    gone = client.post(
        f"/children/{child.pk}/steps/{permanence.pk}/withdraw/",
        {"reason": "recorded on the wrong record"},
        follow=True,
    )
    assert "was withdrawn. It stays in the record&#x27;s history." in gone.content.decode()
    assert JourneyEvent.all_objects.filter(pk=permanence.pk, entered_in_error=True).exists()
    history = client_for(world.user(Role.TEAM_MANAGER, "A")).get(f"/children/{child.pk}/history/")
    assert "recorded on the wrong record" in history.content.decode()


def test_a_closed_record_has_no_change_buttons_and_its_forms_send_you_back(
    client_for, world, worker
):
    child = new_child(world, worker, "X0001", entered=date(2022, 1, 1))
    client = client_for(worker)
    closed = client.post(f"/children/{child.pk}/close/", {"reason": "duplicate"}, follow=True)
    page = closed.content.decode()
    assert "This record was closed on" in page and "Change details" not in page
    back = client.get(f"/children/{child.pk}/steps/new/adm_decision/", follow=True)
    assert "so it cannot be changed. A team manager can reopen it." in back.content.decode()
    manager = client_for(world.user(Role.TEAM_MANAGER, "A"))
    manager.post(f"/children/{child.pk}/reopen/")
    assert Child.objects.get(pk=child.pk).closed_on is None


def test_the_data_quality_list_shows_only_the_councils_one_may_see(client_for, world, worker):
    child = new_child(world, worker, "D0001", entered=date(2022, 1, 1), first_name="Dora")
    step(child, worker, K.ADM_DECISION, date(2022, 6, 1))
    step(child, worker, K.PERMANENCE_DECISION, date(2022, 7, 1))
    mine = client_for(worker).get("/children/data-quality/").content.decode()
    assert "Dora PagetestD0001" in mine and "permanence-after-adm" in mine
    other = client_for(world.user(Role.SOCIAL_WORKER, "B")).get("/children/data-quality/")
    assert "Dora" not in other.content.decode()


def placement_order_form(client, child) -> str:
    return client.get(f"/children/{child.pk}/steps/new/placement_order/").content.decode()


def date_box(form: str) -> str:
    return re.search(r'<input type="date" name="date"[^>]*>', form).group(0)


def chosen_authority(form: str) -> str:
    select = re.search(r'<select name="authority".*?</select>', form, re.S).group(0)
    return re.search(r'<option value="([^"]*)"[^>]*selected', select).group(1)


def test_the_placement_order_form_starts_with_what_the_record_says(client_for, world, worker):
    client = client_for(worker)
    # Nothing on the record about an order: the form starts empty.
    plain = new_child(world, worker, "PO001", entered=date(2022, 1, 1))
    step(plain, worker, K.ADM_DECISION, date(2022, 3, 1))
    form = placement_order_form(client, plain)
    assert "value=" not in date_box(form) and chosen_authority(form) == ""
    assert "Filled in from" not in form

    # The child came into care under a placement order (legal status E1) on 01/02/2022, the
    # day of the ADM decision: the order's authority and date are on the record.
    back = services.child_create(
        council=world.councils["A"],
        acting_user=worker,
        child_id="PO002",
        first_name="Pat",
        last_name="Pagetestback",
        date_of_birth=date(2019, 1, 10),
    )
    services.period_of_care_add(
        child=back, acting_user=worker, entered_care=date(2022, 2, 1), legal_status="E1"
    )
    step(back, worker, K.ADM_DECISION, date(2022, 2, 1))
    form = placement_order_form(client, back)
    assert 'value="2022-02-01"' in date_box(form)
    assert chosen_authority(form) == "placement_order"
    assert (
        "Filled in from the period of care that began on 01/02/2022 with legal status E1: "
        "placement order granted: check it." in form
    )

    # Entered care under E1 but the ADM decision came later: the record gives the authority,
    # but a date before the decision would break the journey's rules, so it is left to type.
    later = services.child_create(
        council=world.councils["A"],
        acting_user=worker,
        child_id="PO003",
        first_name="Pat",
        last_name="Pagetestpo",
        date_of_birth=date(2019, 1, 10),
    )
    services.period_of_care_add(
        child=later, acting_user=worker, entered_care=date(2022, 1, 3), legal_status="E1"
    )
    step(later, worker, K.ADM_DECISION, date(2022, 3, 1))
    form = placement_order_form(client, later)
    assert "value=" not in date_box(form)
    assert chosen_authority(form) == "placement_order"

    # Once the order is recorded as a step, a further one starts empty again.
    step(back, worker, K.PLACEMENT_ORDER, date(2022, 2, 1), authority=Authority.PLACEMENT_ORDER)
    assert selectors.placement_order_on_record(back) is None
