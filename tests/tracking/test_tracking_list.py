"""The tracking list at /tracking/ and its exports (DOMAIN.md A.8).

Council C of the fixed world has no children of its own, so each test's journeys are the
whole of its list. Statuses are worked out in the comments (T = today).
"""

import csv
import io
from datetime import date

import pytest
from django.db.models import F, Value
from django.db.models.fields import DateField
from openpyxl import load_workbook

from children.models import Child
from raa.dates import add_months
from raa.models import AuditEvent, Council, Role
from tests.formulas import HOSTILE, assert_no_formula_in_csv, assert_no_formula_in_workbook
from tests.tracking.journeys import make_child, make_household
from tracking.sql_dates import AddDays, AddMonths

URL = "/tracking/"


@pytest.fixture
def journeys(world):
    c, b = world.councils["C"], world.councils["B"]
    worker = world.user(Role.SOCIAL_WORKER, "C")
    by = worker
    return {
        # Care 500 days: over since T-73; ADM 200 days: 3 months passed ~T-109. Most overdue.
        "over": make_child(c, by, "C-OVER", entered=500, adm=200, worker=worker),
        # Care 450: over since T-23; ADM 100: over since ~T-9. Next: the first-passed, T-23.
        "over2": make_child(c, by, "C-OVER2", entered=450, adm=100, disabled=True),
        # Care 410: over from T+17 (within 30 days: due); ADM 20: ~T+71.
        "due": make_child(c, by, "C-DUE", entered=410, adm=20, order=10, worker=worker),
        # Care 100, ADM 10: every threshold months away.
        "on_track": make_child(c, by, "C-OK", entered=100, adm=10),
        # Placed: nothing is running any more, whatever happened on the way.
        "placed": make_child(
            c, by, "C-PLACED", entered=600, adm=400, order=380, matched=200, placed=150
        ),
        # Not in the process: adopted.
        "adopted": make_child(
            c, by, "C-ADOPTED", entered=900, adm=700, order=650, matched=500, placed=450, adopted=50
        ),
        # Another council's child, over.
        "b_over": make_child(b, by, "B-OVER", entered=500, adm=200),
    }


def ids(response) -> list[str]:
    return [row.record.child_id for row in response.context["rows"]]


def test_a_team_manager_sees_their_councils_children_in_the_process_most_overdue_first(
    client_for, world, journeys
):
    response = client_for(world.user(Role.TEAM_MANAGER, "C")).get(URL)
    assert response.status_code == 200
    assert ids(response) == ["C-OVER", "C-OVER2", "C-DUE", "C-OK", "C-PLACED"]
    statuses = [row.status for row in response.context["rows"]]
    assert statuses == ["over", "over", "due", "on_track", "on_track"]
    assert response.context["counts"] == {"over": 2, "due": 1, "on_track": 2}
    html = response.content.decode()
    assert "B-OVER" not in html and "C-ADOPTED" not in html
    assert "Over" in html and "Due within 30 days" in html


def test_each_status_filter_shows_exactly_the_rows_with_that_status(client_for, world, journeys):
    client = client_for(world.user(Role.TEAM_MANAGER, "C"))
    for status, expected in (
        ("over", ["C-OVER", "C-OVER2"]),
        ("due", ["C-DUE"]),
        ("on_track", ["C-OK", "C-PLACED"]),
    ):
        response = client.get(URL, {"status": status})
        assert ids(response) == expected
        # The database's filter and the row's own checks agree.
        assert {row.status for row in response.context["rows"]} == {status}


def test_filters_by_social_worker_stage_and_harder_to_place(client_for, world, journeys):
    client = client_for(world.user(Role.TEAM_MANAGER, "C"))
    worker = world.user(Role.SOCIAL_WORKER, "C")
    assert ids(client.get(URL, {"worker": worker.pk})) == ["C-OVER", "C-DUE"]
    assert ids(client.get(URL, {"stage": "placed"})) == ["C-PLACED"]
    assert ids(client.get(URL, {"stage": "waiting_po"})) == ["C-DUE"]
    # Only C-OVER2 is harder to place (disabled); the others are under 5 with no ethnicity
    # recorded and no sibling group.
    assert ids(client.get(URL, {"harder": "1"})) == ["C-OVER2"]
    # Junk in the address is ignored, not a 500.
    response = client.get(URL, {"worker": "x", "stage": "nope", "status": "<b>", "sort": "?"})
    assert response.status_code == 200
    assert len(ids(response)) == 5


def test_a_region_manager_filters_to_one_council(client_for, world, journeys):
    client = client_for(world.user(Role.MANAGER, "region"))
    everything = ids(client.get(URL))
    assert "B-OVER" in everything and "C-OVER" in everything and "A0001" in everything
    only_b = ids(client.get(URL, {"council": world.councils["B"].pk}))
    assert only_b == ["B-OVER"]


def test_sorting_by_name_and_by_time_in_care(client_for, world, journeys):
    client = client_for(world.user(Role.TEAM_MANAGER, "C"))
    assert ids(client.get(URL, {"sort": "care"})) == [
        "C-PLACED",
        "C-OVER",
        "C-OVER2",
        "C-DUE",
        "C-OK",
    ]
    by_name = ids(client.get(URL, {"sort": "name"}))
    assert by_name == sorted(by_name, key=lambda i: f"Test{i}")


def test_the_page_runs_a_bounded_number_of_queries(
    client_for, world, journeys, django_assert_max_num_queries
):
    client = client_for(world.user(Role.MANAGER, "region"))
    with django_assert_max_num_queries(15):
        response = client.get(URL)
    assert len(response.context["rows"]) >= 6
    with django_assert_max_num_queries(15):
        client.get(URL, {"list": "households"})


def test_households_against_their_stage_targets(client_for, world):
    region = world.region
    c = world.councils["C"]
    # Registered 100 days ago, Stage 1 still running: 2 months passed ~T-39: over.
    make_household(region, "H-S1", council=c, registration=100)
    # Stage 2 began 110 days ago: 4 months from then is ~T+12: due.
    make_household(region, "H-S2", registration=150, stage1_end=120, stage2_start=110)
    # Approved 30 days ago, not matched: 3 months is ~T+61: on track.
    make_household(region, "H-OK", registration=300, stage1_end=250, stage2_start=240, approval=30)
    # Left the process: not listed.
    h = make_household(region, "H-LEFT", registration=100)
    h.left_date, h.left_reason = h.registration_date, "withdrew"
    h.save()
    client = client_for(world.user(Role.TEAM_MANAGER, "region"))
    response = client.get(URL, {"list": "households"})
    refs = [row.record.reference for row in response.context["rows"]]
    assert refs == ["H-S1", "H-S2", "H-OK"]
    assert [row.status for row in response.context["rows"]] == ["over", "due", "on_track"]
    only_c = client.get(URL, {"list": "households", "council": c.pk})
    assert [row.record.reference for row in only_c.context["rows"]] == ["H-S1"]
    over = client.get(URL, {"list": "households", "status": "over"})
    assert [row.record.reference for row in over.context["rows"]] == ["H-S1"]


def test_the_csv_export_has_the_pages_rows_and_is_logged(client_for, world, journeys):
    user = world.user(Role.TEAM_MANAGER, "C")
    client = client_for(user)
    response = client.get("/tracking/export.csv", {"status": "over"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["Child ID", "First name", "Last name"]
    assert [r[0] for r in rows[1:]] == ["C-OVER", "C-OVER2"]
    assert rows[1][rows[0].index("Status")] == "Over"
    event = AuditEvent.objects.filter(user=user, action="exported").latest("id")
    assert event.object_type == "tracking_list"
    assert "csv: 2 children" in event.detail and "status=over" in event.detail
    assert "Track" not in event.detail  # identifiers only, never names


def test_the_excel_export_is_a_real_workbook_scoped_like_the_page(client_for, world, journeys):
    user = world.user(Role.TEAM_MANAGER, "C")
    response = client_for(user).get("/tracking/export.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["Children"]
    header = [cell.value for cell in sheet[1]]
    child_ids = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert child_ids == ["C-OVER", "C-OVER2", "C-DUE", "C-OK", "C-PLACED"]
    entered = sheet.cell(row=2, column=header.index("Entered care") + 1).value
    assert entered.date() == journeys["over"].entered_care_date  # a date, not text
    assert "B-OVER" not in child_ids
    assert AuditEvent.objects.filter(user=user, action="exported", detail__startswith="xlsx")


def test_a_formula_in_a_name_is_exported_as_text(client_for, world, journeys):
    child = journeys["over"]
    child.first_name = "=HYPERLINK(1)"
    child.save()
    response = client_for(world.user(Role.TEAM_MANAGER, "C")).get("/tracking/export.csv")
    assert "'=HYPERLINK(1)" in response.content.decode()


def test_hostile_child_ids_are_text_in_both_tracking_exports(client_for, world, journeys):
    for child, hostile in zip(
        (journeys["over"], journeys["over2"], journeys["due"]), HOSTILE, strict=False
    ):
        Child.objects.filter(pk=child.pk).update(child_id=hostile)
    client = client_for(world.user(Role.TEAM_MANAGER, "C"))
    rows = assert_no_formula_in_csv(client.get("/tracking/export.csv").content.decode())
    assert {"'" + h for h in HOSTILE[:3]} <= {row[0] for row in rows}
    content = client.get("/tracking/export.xlsx").content
    assert_no_formula_in_workbook(content)
    book = load_workbook(io.BytesIO(content))
    values = {c for ws in book for row in ws.iter_rows(values_only=True) for c in row}
    assert {"'" + h for h in HOSTILE[:3]} <= values


def test_social_workers_see_the_list_but_may_not_export(client_for, world, journeys):
    client = client_for(world.user(Role.SOCIAL_WORKER, "C"))
    assert client.get(URL).status_code == 200
    assert b"Download Excel" not in client.get(URL).content
    assert client.get("/tracking/export.xlsx").status_code == 403
    assert client.get("/tracking/export.csv").status_code == 403


def test_board_members_and_data_officers_get_403(client_for, world):
    for role in (Role.BOARD_MEMBER, Role.DATA_OFFICER):
        client = client_for(world.user(role, "region"))
        assert client.get(URL).status_code == 403


@pytest.mark.parametrize(
    "start",
    [
        date(2024, 1, 31),
        date(2023, 1, 31),
        date(2024, 11, 30),
        date(2024, 12, 31),
        date(2025, 2, 28),
    ],
)
def test_the_database_adds_months_and_days_as_the_python_code_does(db, start):
    row = (
        Council.objects.annotate(
            d=Value(start, output_field=DateField()),
        )
        .annotate(
            plus1=AddMonths(F("d"), 1),
            plus3=AddMonths(F("d"), 3),
            plus427=AddDays(F("d"), 427),
        )
        .values("plus1", "plus3", "plus427")
        .first()
    )
    from datetime import timedelta

    assert row["plus1"] == add_months(start, 1)
    assert row["plus3"] == add_months(start, 3)
    assert row["plus427"] == start + timedelta(days=427)


def test_a_council_manager_sees_only_households_linked_with_their_councils_children(
    client_for, world
):
    from children.models import EventKind, JourneyEvent

    c = world.councils["C"]
    linked = make_household(world.region, "H-LINKED-C", registration=300, approval=100)
    make_household(world.region, "H-OTHER", council=c, registration=300, approval=100)
    child = make_child(c, world.user(Role.SOCIAL_WORKER, "C"), "C-LINK", entered=300, adm=200)
    JourneyEvent.objects.create(
        child=child,
        kind=EventKind.LINKED,
        date=child.adm_decision_date,
        household=linked,
        recorded_by=world.user(Role.SOCIAL_WORKER, "C"),
    )
    client = client_for(world.user(Role.TEAM_MANAGER, "C"))
    response = client.get(URL, {"list": "households"})
    assert [row.record.reference for row in response.context["rows"]] == ["H-LINKED-C"]
    # The export of the households tab has the same rows and is logged.
    exported = client.get("/tracking/export.csv", {"list": "households"}).content.decode()
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0][0] == "Reference" and [r[0] for r in rows[1:]] == ["H-LINKED-C"]
    assert AuditEvent.objects.filter(
        action="exported", object_id="households", detail__startswith="csv: 1 households"
    ).exists()


def test_the_whole_list_fits_on_one_page_for_printing(client_for, world, journeys, monkeypatch):
    from tracking import views

    monkeypatch.setattr(views, "PER_PAGE", 2)
    client = client_for(world.user(Role.TEAM_MANAGER, "C"))
    paged = client.get(URL)
    assert len(paged.context["rows"]) == 2
    assert "Show all on one page, to print" in paged.content.decode()
    assert len(client.get(URL, {"all": "1"}).context["rows"]) == 5


def test_an_export_holds_only_the_councils_where_the_person_may_export(client_for, world, journeys):
    from raa.models import Membership

    # Team manager for C (may track and export there) and social worker for the whole region
    # (may track everywhere, export nowhere): the page lists B's child, the export does not.
    user = world.user(Role.TEAM_MANAGER, "C")
    Membership.objects.create(user=user, role=Role.SOCIAL_WORKER, region=world.region)
    client = client_for(user)
    assert "B-OVER" in ids(client.get(URL))
    rows = list(csv.reader(io.StringIO(client.get("/tracking/export.csv").content.decode())))
    assert [r[0] for r in rows[1:]] == ["C-OVER", "C-OVER2", "C-DUE", "C-OK", "C-PLACED"]
