"""What may be typed or imported as a child's ID, a name and a date: the checks at entry (the
child form, the step and period forms, the household form and the 903 import)."""

from datetime import date

import pytest

from children import services
from children.models import Child
from children.ssda903.importer import import_903
from raa.models import Role
from tests.adopters.test_households import form as household_form
from tests.children.ssda903_sets import csv_set, ep, head, placed
from tests.formulas import HOSTILE


@pytest.fixture
def worker(world):
    return world.user(Role.SOCIAL_WORKER, "A")


def new_child_form(world, **changes) -> dict:
    return {
        "council": world.councils["A"].pk,
        "child_id": "NB-2019/0042",
        "first_name": "Nell",
        "last_name": "Entrycheck",
        "date_of_birth": "2019-02-02",
        "sex": "F",
        "ethnicity": "WBRI",
        **changes,
    }


def refused(response, message: str) -> None:
    assert response.status_code == 200, "the form is shown again"
    assert message in response.content.decode()


def test_a_child_id_is_letters_digits_and_dash_underscore_slash(client_for, world, worker):
    client = client_for(worker)
    for bad in [*HOSTILE, "A 1", "A\u202e1"]:
        refused(
            client.post("/children/new/", new_child_form(world, child_id=bad)),
            "The child ID may hold only letters, digits and - _ /",
        )
    assert not Child.objects.filter(first_name="Nell").exists()
    for good in ("NB-2019/0042", "c_17"):
        response = client.post("/children/new/", new_child_form(world, child_id=good))
        assert response.status_code == 302
    assert Child.objects.filter(first_name="Nell").count() == 2


@pytest.mark.parametrize("character", ["\u202a", "\u202e", "\u2066", "\u2069"])
def test_names_with_direction_controls_are_refused_naming_the_field(
    client_for, world, worker, character
):
    client = client_for(worker)
    for field, label in (("first_name", "First name"), ("last_name", "Last name")):
        refused(
            client.post("/children/new/", new_child_form(world, **{field: f"Nell{character}x"})),
            f"{label} holds a hidden character (U+{ord(character):04X})",
        )
    adoption_team = client_for(world.user(Role.SOCIAL_WORKER, "region"))
    refused(
        adoption_team.post("/adopters/new/", household_form(first_applicant=f"Quinn{character}")),
        f"First applicant&#x27;s name holds a hidden character (U+{ord(character):04X})",
    )
    assert not Child.objects.filter(first_name__startswith="Nell").exists()


def test_a_date_of_birth_before_1990_is_refused(client_for, world, worker):
    client = client_for(worker)
    for born in ("0001-01-01", "1989-12-31"):
        refused(
            client.post("/children/new/", new_child_form(world, date_of_birth=born)),
            "is before 1990",
        )
    assert not Child.objects.filter(first_name="Nell").exists()


def test_a_birth_more_than_25_years_before_entering_care_is_refused(client_for, world, worker):
    child = services.child_create(
        council=world.councils["A"],
        acting_user=worker,
        child_id="OLD-1",
        first_name="Ola",
        last_name="Entrycheck",
        date_of_birth=date(1995, 1, 1),
    )
    client = client_for(worker)
    response = client.post(
        f"/children/{child.pk}/care/new/",
        {"entered_care": "2020-01-02", "legal_status": "C2", "version": child.version},
    )
    refused(response, "more than 25 years before the child entered care")
    assert not child.periods_of_care.exists()
    services.period_of_care_add(child=child, acting_user=worker, entered_care=date(2019, 6, 1))
    child.refresh_from_db()
    edit = new_child_form(world, child_id="OLD-1", date_of_birth="1993-01-01")
    edit.update(version=child.version, first_name="Ola")
    refused(client.post(f"/children/{child.pk}/edit/", edit), "more than 25 years before")
    assert Child.objects.get(pk=child.pk).date_of_birth == date(1995, 1, 1)


def test_journey_dates_before_1990_are_refused(client_for, world, worker):
    child = world.child_a
    response = client_for(worker).post(
        f"/children/{child.pk}/steps/new/permanence_decision/",
        {"date": "1989-06-01", "version": child.version},
    )
    refused(response, "is before 1990")


def test_adult_dates_of_birth_are_those_of_people_18_to_100(client_for, world):
    client = client_for(world.user(Role.SOCIAL_WORKER, "region"))  # the adoption team
    for born in ("0001-01-01", "1900-05-05", "2020-01-01"):
        refused(
            client.post("/adopters/new/", household_form(first_applicant_date_of_birth=born)),
            "An applicant is 18 to 100 years old",
        )
    refused(
        client.post("/adopters/new/", household_form(enquiry_date="1989-01-06")),
        "is before 1990",
    )
    ok = client.post("/adopters/new/", household_form(first_applicant_date_of_birth="1985-05-05"))
    assert ok.status_code == 302


def test_the_903_import_refuses_bad_ids_and_implausible_dates_naming_file_row_and_column(world):
    files = csv_set(
        header=[
            head(HOSTILE[0]),
            head("BIDI\u202e1"),
            head("ANCIENT", dob="01/01/0001"),
            head("LATE", dob="01/01/1991"),
            head("EARLY"),
            head("FINE"),
        ],
        episodes=[
            ep(HOSTILE[0], "01/02/2018", "S", "C2", "U1"),
            ep("ANCIENT", "01/02/2018", "S", "C2", "U1"),
            ep("LATE", "02/01/2017", "S", "C2", "U1"),  # 26 years after birth
            ep("EARLY", "01/02/2018", "S", "C2", "U1", "01/03/1989", "E13"),
            ep("FINE", "01/02/2018", "S", "C2", "U1"),
        ],
        # FINE has an ADM decision: only children with an adoption plan come in (issue 18).
        placed_rows=[placed("FINE", "01/06/2018")],
    )
    report = import_903(
        files,
        council=world.councils["C"],
        acting_user=world.user(Role.DATA_OFFICER, "C"),
        dry_run=True,
    )
    problems = {s["child"]: s["problems"] for s in report["skipped_children"]}
    assert set(problems) == {HOSTILE[0], "BIDI\u202e1", "ANCIENT", "LATE", "EARLY"}

    def where(child: str) -> set[tuple]:
        return {(p["file"], p["row"], p["column"], p["rule"]) for p in problems[child]}

    assert ("header.csv", 2, "CHILD", "child-id-format") in where(HOSTILE[0])
    assert ("header.csv", 3, "CHILD", "child-id-format") in where("BIDI\u202e1")
    assert ("header.csv", 4, "DOB", "date-before-1990") in where("ANCIENT")
    assert ("header.csv", 5, "DOB", "birth-long-before-care") in where("LATE")
    assert ("episodes.csv", 5, "DEC", "date-before-1990") in where("EARLY")
    late = next(p for p in problems["LATE"] if p["rule"] == "birth-long-before-care")
    assert "more than 25 years before the child entered care" in late["message"]
    assert report["created"] == 1
