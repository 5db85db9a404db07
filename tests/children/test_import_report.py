"""The import report a data officer acts on (issue 18): the summary first, then the findings
grouped by rule with what the rule means, each group paged (no "first 500 of 7,228"), and every
finding as a CSV download scoped like the page and logged as an export."""

import csv
import io

import pytest

from children.models import ImportRun, ImportStatus
from raa.models import AuditEvent, Role


def stored_run(world, *, council="A", findings=None) -> ImportRun:
    """A finished run whose report holds 120 findings of rule 903-551 and 3 of 903-331."""
    if findings is None:
        findings = [
            {"child": f"P{n:03d}", "pk": None, "rule": "903-551", "hard": False, "message": f"m{n}"}
            for n in range(1, 121)
        ] + [
            {
                "child": '=HYPERLINK("//x")',
                "pk": None,
                "rule": "903-331",
                "hard": False,
                "message": "-2+3 the match is after placement",
            },
            {
                "child": "Q2",
                "pk": world.child_a.pk,
                "rule": "903-331",
                "hard": False,
                "message": "match after placed",
            },
            {"child": "Q3", "pk": None, "rule": "903-331", "hard": False, "message": "again"},
        ]
    report = {
        "summary": "5 children added, 1 updated, 2 unchanged, 0 skipped with errors; 7 children "
        "with no adoption plan in these files: not imported; 123 data-quality finding(s).",
        "created": 5,
        "updated": 1,
        "unchanged": 2,
        "not_in_process": 7,
        "skipped": 0,
        "children_in_files": 15,
        "refusals": [],
        "skipped_children": [],
        "held_without_plan": [],
        "findings": findings,
        "exit_code": 0,
    }
    return ImportRun.objects.create(
        council=world.councils[council],
        started_by=world.user(Role.DATA_OFFICER, council),
        status=ImportStatus.DONE,
        report=report,
        exit_code=0,
        progress=100,
    )


def test_the_report_opens_with_the_summary_then_findings_grouped_by_rule(world, client_for):
    run = stored_run(world)
    client = client_for(world.user(Role.DATA_OFFICER, "A"))
    page = client.get(f"/children/import/{run.pk}/").content.decode()
    summary = page.index('data-testid="summary-table"')
    # The summary in the order: new, updated, unchanged, not in the process, skipped.
    order = [
        page.index(label, summary)
        for label in (
            ">New<",
            ">Updated<",
            ">Unchanged<",
            ">Not in the adoption process<",
            ">Skipped<",
        )
    ]
    assert order == sorted(order)
    assert summary < page.index("Data-quality findings (123)")
    # Two groups, the larger first, each with its count, title and explanation.
    groups = page.split('data-testid="finding-group"')[1:]
    assert len(groups) == 2
    assert ">120<" in groups[0] and "Placed for adoption without a decision (DfE 551)" in groups[0]
    assert "files hold no decision that they should be placed for adoption" in groups[0]
    assert ">3<" in groups[1] and "Match after placement (DfE 331)" in groups[1]
    # 50 rows a page; the first page of the large group, all three of the small one.
    assert groups[0].count("<tr><td>P") == 50 and "Rows 1–50 of 120." in groups[0]
    assert "?rule=903-551&amp;page=2#rule-903-551" in groups[0]
    assert groups[1].count("<tr><td>") == 3
    assert "first 500" not in page.lower() and " open>" not in page.split("</details>")[0]
    # A finding links to the child's record when the officer may see it.
    assert f'href="/children/{world.child_a.pk}/">Q2</a>' in groups[1]


def test_a_group_pages_through_its_rows(world, client_for):
    run = stored_run(world)
    client = client_for(world.user(Role.DATA_OFFICER, "A"))
    page = client.get(f"/children/import/{run.pk}/", {"rule": "903-551", "page": 3})
    groups = page.content.decode().split('data-testid="finding-group"')[1:]
    # Page 3 of 120 rows at 50 a page: rows 101 to 120, the group open at its rows.
    assert groups[0].startswith(" open") or " open>" in groups[0][:200]
    assert "Rows 101–120 of 120." in groups[0] and "P101" in groups[0] and "P100<" not in groups[0]
    assert "page=2#rule-903-551" in groups[0] and "page=4" not in groups[0]
    # A page past the end shows the last; nonsense shows the first.
    assert (
        "Rows 101–120"
        in client.get(
            f"/children/import/{run.pk}/", {"rule": "903-551", "page": 99}
        ).content.decode()
    )
    assert (
        "Rows 1–50"
        in client.get(
            f"/children/import/{run.pk}/", {"rule": "903-551", "page": "x"}
        ).content.decode()
    )


def test_every_finding_downloads_as_csv_safe_for_spreadsheets_and_logged(world, client_for):
    run = stored_run(world)
    officer = world.user(Role.DATA_OFFICER, "A")
    response = client_for(officer).get(f"/children/import/{run.pk}/findings.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert f'filename="import-{run.pk}-801-findings.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["CHILD", "Rule", "Kind", "What the rule is about", "What to check"]
    # All 123 findings, grouped as the page groups them (the 120 of 903-551 first).
    assert len(rows) == 1 + 123
    assert rows[1] == [
        "P001",
        "903-551",
        "check",
        "Placed for adoption without a decision (DfE 551)",
        "m1",
    ]
    # A CHILD or message a spreadsheet would run as a formula is written as text.
    formula = rows[121]
    assert formula[0] == '\'=HYPERLINK("//x")' and formula[4].startswith("'-2+3")
    audit = AuditEvent.objects.get(action="exported", object_type="importrun")
    assert (audit.user, audit.council, audit.object_id) == (officer, run.council, str(run.pk))
    assert audit.detail == "findings csv: 123 findings"


@pytest.mark.parametrize(
    ("role", "scope", "status"),
    [
        (Role.DATA_OFFICER, "region", 200),
        (Role.DATA_OFFICER, "B", 404),  # another council's run does not leak
        (Role.MANAGER, "A", 403),
        (Role.BOARD_MEMBER, "region", 403),
    ],
)
def test_the_csv_is_scoped_like_the_page(world, client, role, scope, status):
    run = stored_run(world)
    url = f"/children/import/{run.pk}/findings.csv"
    assert client.get(url)["Location"].startswith("/accounts/login/")
    client.force_login(world.user(role, scope), backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(url).status_code == status
    exported = AuditEvent.objects.filter(action="exported", object_type="importrun").exists()
    assert exported == (status == 200)


def test_held_children_no_longer_shown_with_a_plan_are_listed_with_their_records(world, client_for):
    run = stored_run(world, findings=[])
    run.report["held_without_plan"] = [world.child_a.child_id]
    run.save(update_fields=["report"])
    page = client_for(world.user(Role.DATA_OFFICER, "A")).get(f"/children/import/{run.pk}/")
    held = page.content.decode().split('data-testid="held-without-plan"')[1].split("</p>")[0]
    assert "no longer shown with an adoption plan in these files (1)" in held
    assert f'href="/children/{world.child_a.pk}/">{world.child_a.child_id}</a>' in held
    assert "Data-quality findings" not in page.content.decode()  # none to show
