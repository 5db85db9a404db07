"""Annex A lists 10 and 11 and the ASGLB returns: columns as the sample workbook, a round trip
from 903 files through the journeys to the workbook, the period rules, commands and the audit."""

import csv
import io
from datetime import date, datetime
from io import StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from children.models import Child, EventKind, JourneyEvent
from children.ssda903.derive import derive_journey
from children.ssda903.importer import import_903
from children.ssda903.reading import read_set
from raa.models import AuditEvent, Role
from scorecard.returns.annex_a import LIST_10_COLUMNS, LIST_11_COLUMNS, age_in_years
from scorecard.returns.asglb import quarter_period
from tests.children.ssda903_sets import (
    FOSTER_CARER_EPISODES_FOR_RETURNS,
    adopted_by_new_family,
    csv_set,
    ep,
    head,
    placed,
)
from tests.conftest import PEER_DATA
from tests.factories import HouseholdFactory
from tests.formulas import HOSTILE, assert_no_formula_in_csv, assert_no_formula_in_workbook

SAMPLE = PEER_DATA / "liia-tools/liiatools/spec/annex_a/samples/Annex_A.xlsx"


def a_council_history():
    parts = adopted_by_new_family("X1")
    parts["header"] += [
        head("X2", dob="07/07/2016", sex="2", ethnic="BAFR"),
        head("X3", dob="01/01/2009"),
        head("F1", dob="01/01/2018"),
    ]
    parts["episodes"] += FOSTER_CARER_EPISODES_FOR_RETURNS
    parts["episodes"] += [
        ep("X2", "01/05/2019", "S", "C2", "U6"),
        ep("X3", "01/02/2010", "S", "C2", "U6", "01/02/2011", "E4A"),
    ]
    parts["placed_rows"] += [
        placed("X2", "01/10/2019", "01/03/2020", "RD1"),
        placed("F1", "01/10/2019"),
    ]
    return csv_set(**parts)


@pytest.fixture
def imported(world):
    council = world.councils["C"]
    files = a_council_history()
    report = import_903(files, council=council, acting_user=world.user(Role.DATA_OFFICER, "C"))
    assert report["exit_code"] == 0, report
    return council, read_set(files)


def sheet_rows(content: bytes, name: str) -> list[dict]:
    sheet = load_workbook(io.BytesIO(content))[name]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def as_date(value):
    return value.date() if isinstance(value, datetime) else value


def test_the_columns_are_the_sample_workbooks():
    sample = load_workbook(SAMPLE)
    assert [c.value for c in sample["List 10"][1]] == LIST_10_COLUMNS
    assert [c.value for c in sample["List 11"][1]] == LIST_11_COLUMNS


def test_round_trip_903_files_to_journeys_to_annex_a(imported, world, client_for):
    council, read = imported
    client = client_for(world.user(Role.MANAGER, "region"))
    response = client.get(
        "/returns/annex-a/",
        {
            "annex-council": council.pk,
            "annex-date_from": "2019-04-01",
            "annex-date_to": "2020-03-31",
        },
    )
    assert response.status_code == 200
    rows = {r["Child Unique ID"]: r for r in sheet_rows(response.content, "List 10")}
    # X3 left care in 2011 with no adoption plan: not in the list.
    assert set(rows) == {"X1", "X2", "F1"}
    for child_id, row in rows.items():
        journey = derive_journey(read.children[child_id])
        dates = {kind: journey.dates(kind) for kind in EventKind.values}
        assert as_date(row["Date the Child Entered Care"]) == journey.entered_care
        assert (
            as_date(row["Date of Decision that Child Should be Placed for Adoption"])
            == (dates[EventKind.ADM_DECISION][-1])
        )
        assert as_date(row["Date Placed for Adoption"]) == journey.placed
        assert as_date(row["Date of Adoption Order "]) == journey.adoption_order
        assert as_date(row["Date of Placement Order"]) == (
            dates[EventKind.PLACEMENT_ORDER][-1] if dates[EventKind.PLACEMENT_ORDER] else None
        )
    x1 = rows["X1"]
    assert (x1["Gender"], x1["Ethnicity"], x1["Does the Child have a Disability"]) == (
        "a) Male",
        "a) WBRI",
        "b) No",
    )
    assert as_date(x1["Date of Matching Child and Prospective Adopters"]) == date(2019, 11, 1)
    assert x1["Age of Child (Years)"] == 2  # born 01/01/2018, on 31/03/2020
    x2 = rows["X2"]
    assert as_date(x2["Date of Decision that Child Should No Longer be Placed for Adoption"]) == (
        date(2020, 3, 1)
    )
    assert x2["Reason Why Child No Longer Placed for Adoption"] == "RD1"
    assert (x2["Gender"], x2["Ethnicity"]) == ("b) Female", "o) BAFR")
    assert AuditEvent.objects.filter(
        action="exported", object_type="annex_a", council=council, detail__contains="List 10 3"
    ).exists()


def test_a_period_after_the_adoption_leaves_the_child_out(imported, world):
    from scorecard.returns.selectors import children_in_period

    council, _ = imported
    ids = [
        r.child.child_id for r in children_in_period(council, date(2021, 4, 1), date(2022, 3, 31))
    ]
    assert ids == []  # X1 and F1 adopted in 2020; X2's plan ended in March 2020


def test_list_11_has_a_row_per_adopter_linked_to_the_child_by_family(imported, world):
    council, _ = imported
    household = HouseholdFactory(
        region=world.region,
        reference="FAM01",
        second_applicant="Second Adopter",
        first_applicant_sex="F",
        first_applicant_ethnicity="WBRI",
        second_applicant_sex="M",
        second_applicant_ethnicity="BAFR",
        second_applicant_disabled=True,
        enquiry_date=date(2018, 1, 10),
        registration_date=date(2018, 2, 1),
        stage1_end_date=date(2018, 4, 1),
        stage2_start_date=date(2018, 5, 1),
        panel_date=date(2018, 8, 20),
        approval_date=date(2018, 9, 1),
        dual_approval=True,
    )
    x1 = Child.objects.get(council=council, child_id="X1")
    JourneyEvent.objects.filter(child=x1, kind__in=["matched", "placed"]).update(
        household=household
    )
    from scorecard.returns.services import export_annex_a

    export = export_annex_a(
        council=council,
        start=date(2019, 4, 1),
        end=date(2020, 3, 31),
        acting_user=world.user(Role.DATA_OFFICER, "C"),
    )
    adopters = sheet_rows(export.content, "List 11")
    assert [a["Individual adopter identifier"] for a in adopters] == ["FAM01-1", "FAM01-2"]
    first, second = adopters
    assert first["Family identifier"] == "FAM01"
    # Each adopter's own characteristics, coded as the Annex A template codes them.
    assert (first["Gender"], first["Ethnicity"]) == ("b) Female", "a) WBRI")
    assert (second["Gender"], second["Ethnicity"]) == ("a) Male", "o) BAFR")
    disability = [k for k in first if "isabilit" in k][0]
    assert (first[disability], second[disability]) == ("b) No", "a) Yes")
    assert first["Is the (prospective) adopter fostering for adoption?"] == "Yes"
    assert as_date(first["Date application approved"]) == date(2018, 9, 1)
    assert as_date(first["Date child/children placed with adopter(s)"]) == date(2019, 11, 15)
    assert first["No. of children placed"] == 1
    assert as_date(first["Date of Adoption Order"]) == date(2020, 5, 20)
    children = {r["Child Unique ID"]: r for r in sheet_rows(export.content, "List 10")}
    assert children["X1"]["Family identifier"] == "FAM01"


def test_quarters_are_the_financial_year_to_date():
    assert quarter_period("2024-25", 1) == (date(2024, 4, 1), date(2024, 6, 30))
    assert quarter_period("2024-25", 3) == (date(2024, 4, 1), date(2024, 12, 31))
    assert quarter_period("2024-25", 4) == (date(2024, 4, 1), date(2025, 3, 31))
    assert age_in_years(date(2018, 4, 1), date(2020, 3, 31)) == 1


def test_the_commands_write_the_files_and_log_the_export(imported, tmp_path):
    council, _ = imported
    out = StringIO()
    target = tmp_path / "annex.xlsx"
    call_command(
        "annex_a",
        "--council",
        "803",
        "--from",
        "2019-04-01",
        "--to",
        "2020-03-31",
        "--output",
        str(target),
        stdout=out,
    )
    assert "List 10 3 children" in out.getvalue()
    assert len(sheet_rows(target.read_bytes(), "List 10")) == 3
    target = tmp_path / "asglb.csv"
    call_command(
        "asglb_return",
        "--year",
        "2019-20",
        "--quarter",
        "4",
        "--council",
        "803",
        "--level",
        "child",
        "--output",
        str(target),
        stdout=out,
    )
    rows = list(csv.DictReader(target.open()))
    f1 = next(r for r in rows if r["child_id"] == "F1")
    assert (f1["date_placed"], f1["placed_with_foster_carers"]) == ("01/12/2019", "1")
    assert f1["date_started_living_with_carers"] == "01/03/2019"
    assert f1["placement_provider"] == "PR2"
    call_command(
        "asglb_return",
        "--year",
        "2019-20",
        "--quarter",
        "4",
        "--council",
        "803",
        "--level",
        "adopter",
        "--output",
        str(tmp_path / "adopters.csv"),
        stdout=out,
    )
    assert (tmp_path / "adopters.csv").read_text().startswith("family_id,number_of_adopters")
    assert AuditEvent.objects.filter(action="exported", object_type="asglb_adopter").exists()


def test_bad_choices_say_what_is_wrong(world, client_for):
    client = client_for(world.user(Role.DATA_OFFICER, "A"))
    response = client.get(
        "/returns/asglb/",
        {"asglb-council": world.councils["B"].pk, "asglb-year": "2024-26", "asglb-quarter": "5"},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Write the financial year as 2024-25." in text and "Select a valid choice" in text
    response = client.get(
        "/returns/annex-a/",
        {
            "annex-council": world.councils["A"].pk,
            "annex-date_from": "2020-04-01",
            "annex-date_to": "2020-01-01",
        },
    )
    assert response.status_code == 400 and "is before the start" in response.content.decode()


@pytest.fixture
def hostile_records(world):
    """Council C: a child in the process for each hostile ID, and a household recruited by C
    with a hostile reference, written to the database directly (no form checked them)."""
    from children.models import PeriodOfCare
    from children.services import refresh_journey_summaries

    council = world.councils["C"]
    household = HouseholdFactory(
        region=world.region,
        recruiting_council=council,
        reference=HOSTILE[0],
        enquiry_date=date(2019, 5, 1),
    )
    for n, child_id in enumerate(HOSTILE):
        child = Child.objects.create(
            council=council,
            child_id=child_id,
            first_name="Formula",
            last_name=f"Test{n}",
            date_of_birth=date(2018, 1, 1),
        )
        PeriodOfCare.objects.create(child=child, entered_care=date(2019, 1, 1))
        JourneyEvent.objects.create(
            child=child,
            kind=EventKind.ADM_DECISION,
            date=date(2019, 6, 1),
            recorded_by=world.user(Role.SOCIAL_WORKER, "C"),
        )
    refresh_journey_summaries(Child.objects.filter(council=council))
    return council, household


def download(client, url: str, **form):
    """A return's download, the form's fields under its prefix."""
    ((prefix, fields),) = form.items()
    response = client.get(url, {f"{prefix}-{k}": v for k, v in fields.items()})
    assert response.status_code == 200
    return response


def test_hostile_ids_are_text_in_the_annex_a_workbook(hostile_records, world, client_for):
    council, _ = hostile_records
    response = download(
        client_for(world.user(Role.DATA_OFFICER, "C")),
        "/returns/annex-a/",
        annex={"council": council.pk, "date_from": "2019-04-01", "date_to": "2020-03-31"},
    )
    assert_no_formula_in_workbook(response.content)
    ids = {r["Child Unique ID"] for r in sheet_rows(response.content, "List 10")}
    assert ids == {"'" + child_id for child_id in HOSTILE}  # shown as typed, as text
    families = {r["Family identifier"] for r in sheet_rows(response.content, "List 11")}
    assert families == {"'" + HOSTILE[0]}


@pytest.mark.parametrize("level", ["child", "adopter"])
def test_hostile_ids_start_no_line_or_cell_of_the_asglb_returns(
    hostile_records, world, client_for, level
):
    council, _ = hostile_records
    response = download(
        client_for(world.user(Role.DATA_OFFICER, "C")),
        "/returns/asglb/",
        asglb={"council": council.pk, "year": "2019-20", "quarter": "4", "level": level},
    )
    rows = assert_no_formula_in_csv(response.content.decode())
    first_column = {row[0] for row in rows[1:]}
    expected = HOSTILE if level == "child" else HOSTILE[:1]
    assert first_column == {"'" + value for value in expected}


def test_a_period_outside_1990_to_next_year_is_refused(world, client_for):
    client = client_for(world.user(Role.DATA_OFFICER, "A"))
    for start, end, message in (
        ("0001-01-01", "2020-03-31", "is before 1990"),
        ("2020-04-01", "9999-12-31", "is years in the future"),
    ):
        response = client.get(
            "/returns/annex-a/",
            {
                "annex-council": world.councils["A"].pk,
                "annex-date_from": start,
                "annex-date_to": end,
            },
        )
        assert response.status_code == 400
        assert message in response.content.decode()
