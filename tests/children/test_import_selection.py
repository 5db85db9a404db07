"""Only children the 903 files show in the adoption process come in (issue 18, DOMAIN.md A.10):
each sign of a plan or outcome brings a child in; a child with none is counted and nothing else
about it is kept; a child already held is never deleted, and is counted when the files no
longer show it with a plan."""

import json
import logging

import pytest

from children.models import Child, DataQualityFlag
from children.ssda903.importer import import_903
from raa.models import AuditEvent, Role
from tests.children.ssda903_sets import ad1, csv_set, ep, head, placed

IN_CARE = ("01/02/2019", "S", "C2", "U1")


def one_child(child: str, *, episodes=None, placed_rows=(), ad1_rows=()) -> dict[str, bytes]:
    return csv_set(
        header=[head(child, dob="01/01/2018")],
        episodes=episodes if episodes is not None else [ep(child, *IN_CARE)],
        placed_rows=placed_rows,
        ad1_rows=ad1_rows,
    )


#: One set per sign of the adoption process; each has exactly that sign and nothing else.
SIGNS = {
    "a PlacedAdoption row": one_child("S1", placed_rows=[placed("S1", "01/06/2019")]),
    "legal status E1": one_child("S2", episodes=[ep("S2", "01/02/2019", "S", "E1", "U1")]),
    "legal status D1": one_child("S3", episodes=[ep("S3", "01/02/2004", "S", "D1", "U1")]),
    "placement A3": one_child("S4", episodes=[ep("S4", "01/02/2019", "S", "C2", "A3")]),
    "placement A4": one_child("S5", episodes=[ep("S5", "01/02/2019", "S", "C2", "A4")]),
    "placement A5": one_child("S6", episodes=[ep("S6", "01/02/2019", "S", "C2", "A5")]),
    "placement A6": one_child("S7", episodes=[ep("S7", "01/02/2019", "S", "C2", "A6")]),
    "REC E11": one_child(
        "S8", episodes=[ep("S8", "01/02/2019", "S", "C2", "U1", "01/03/2020", "E11")]
    ),
    "REC E12": one_child(
        "S9", episodes=[ep("S9", "01/02/2019", "S", "C2", "U1", "01/03/2020", "E12")]
    ),
    "REC E11 on an open episode": one_child(
        "S10", episodes=[ep("S10", "01/02/2019", "S", "C2", "U1", "", "E11")]
    ),
    "an AD1 row": one_child("S11", ad1_rows=[ad1("S11", "01/06/2019", "")]),
}


@pytest.mark.parametrize("sign", list(SIGNS))
def test_each_sign_of_the_adoption_process_brings_the_child_in(world, sign):
    council = world.councils["C"]
    report = import_903(
        SIGNS[sign], council=council, acting_user=world.user(Role.DATA_OFFICER, "C")
    )
    assert (report["created"], report["not_in_process"]) == (1, 0), report["summary"]
    assert Child.objects.filter(council=council).count() == 1
    assert "no adoption plan" not in report["summary"]


def test_a_child_with_no_sign_is_counted_and_nothing_about_it_is_kept(world, caplog):
    council = world.councils["C"]
    files = csv_set(
        header=[head("IN1"), head("OUT1"), head("OUT2", dob="31/02/2018")],
        episodes=[
            ep("IN1", "01/02/2019", "S", "E1", "U1"),
            # In care, with things the 903 rules would flag (an open episode with a REC, a
            # first episode that is not S), but no adoption plan.
            ep("OUT1", "01/02/2019", "L", "C2", "U1", "", "E4A"),
        ],
    )
    caplog.set_level(logging.DEBUG)
    report = import_903(files, council=council, acting_user=world.user(Role.DATA_OFFICER, "C"))
    # IN1 comes in; OUT1 has no plan; OUT2's birth date is not a date, a hard error: it is
    # skipped and listed (its rows cannot be read, so the files cannot say it has no plan).
    assert (report["created"], report["not_in_process"], report["skipped"]) == (1, 1, 1)
    assert report["children_in_files"] == 3
    assert (
        "1 children added, 0 updated, 0 unchanged, 1 skipped with errors; 1 children with no "
        "adoption plan in these files: not imported;"
    ) in report["summary"]
    assert not Child.objects.filter(child_id="OUT1").exists()
    assert not DataQualityFlag.objects.filter(message__contains="OUT1").exists()
    assert "OUT1" not in json.dumps(report)
    assert not AuditEvent.objects.filter(detail__contains="OUT1").exists()
    assert "OUT1" not in caplog.text
    run_audit = AuditEvent.objects.get(object_type="ssda903")
    assert "1 added, 0 updated, 0 unchanged, 1 not in the adoption process" in run_audit.detail


def test_a_held_child_the_files_no_longer_show_with_a_plan_is_counted_and_kept(world):
    council = world.councils["C"]
    user = world.user(Role.DATA_OFFICER, "C")
    first = csv_set(
        header=[head("H1"), head("H2")],
        episodes=[ep("H1", *IN_CARE), ep("H2", *IN_CARE)],
        placed_rows=[placed("H1", "01/06/2019"), placed("H2", "01/06/2019")],
    )
    assert import_903(first, council=council, acting_user=user)["created"] == 2
    h2 = Child.objects.get(council=council, child_id="H2")
    decision = h2.events.get()
    # The council's next files show H2 in care without its decision.
    later = csv_set(
        header=[head("H1"), head("H2")],
        episodes=[ep("H1", *IN_CARE), ep("H2", *IN_CARE)],
        placed_rows=[placed("H1", "01/06/2019")],
    )
    report = import_903(later, council=council, acting_user=user)
    assert (report["unchanged"], report["not_in_process"]) == (1, 1)
    assert report["held_without_plan"] == ["H2"]
    assert (
        "1 children already held no longer shown with a plan in these files (kept as they are)"
    ) in report["summary"]
    # Kept exactly as it was: not deleted, its decision not withdrawn.
    decision.refresh_from_db()
    assert not decision.entered_in_error
    assert Child.objects.filter(pk=h2.pk, closed_on__isnull=True).exists()
    # A child of another council with the same CHILD ID is not this council's to count.
    other = import_903(
        later, council=world.councils["B"], acting_user=world.user(Role.DATA_OFFICER, "region")
    )
    assert other["held_without_plan"] == []
