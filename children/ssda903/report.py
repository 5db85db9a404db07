"""The import report as a data officer reads it: the summary, then the findings grouped by rule
with what each rule means, each group paged; and the whole list as CSV.

Reads only the report an import run stored (its JSON), so the page and the download say what
the import said, whatever happened to the records since.
"""

from dataclasses import dataclass

from django.core.paginator import Page, Paginator

from children.ssda903.explanations import explain
from raa.safe_export import csv_text

#: Rows of one rule's group shown at a time.
ROWS_PER_PAGE = 50

CSV_HEADER = ["CHILD", "Rule", "Kind", "What the rule is about", "What to check"]


@dataclass
class FindingGroup:
    rule: str
    title: str
    explanation: str
    count: int
    hard: bool
    page: Page
    #: whether the group opens with the page (it is the one being paged through)
    open: bool


def summary_rows(report: dict) -> list[tuple[str, int, str]]:
    """(label, number, what it means) in the order the report opens with."""
    return [
        ("New", report.get("created", 0), "children added"),
        ("Updated", report.get("updated", 0), "children already held whose records changed"),
        ("Unchanged", report.get("unchanged", 0), "children already held, nothing new"),
        (
            "Not in the adoption process",
            report.get("not_in_process", 0),
            "no adoption plan or outcome in these files: not imported, nothing kept",
        ),
        ("Skipped", report.get("skipped", 0), "children with an error in their rows"),
    ]


def finding_groups(report: dict, *, open_rule: str = "", page: int = 1) -> list[FindingGroup]:
    """The report's findings grouped by rule, the largest group first (then by rule code);
    ``open_rule``'s group shows page ``page``, every other group its first page."""
    by_rule: dict[str, list[dict]] = {}
    for finding in report.get("findings", []):
        by_rule.setdefault(finding["rule"], []).append(finding)
    groups = []
    for rule, rows in sorted(by_rule.items(), key=lambda item: (-len(item[1]), item[0])):
        title, explanation = explain(rule)
        paginator = Paginator(rows, ROWS_PER_PAGE)
        groups.append(
            FindingGroup(
                rule=rule,
                title=title,
                explanation=explanation,
                count=len(rows),
                hard=any(row.get("hard") for row in rows),
                page=paginator.get_page(page if rule == open_rule else 1),
                open=rule == open_rule,
            )
        )
    return groups


def findings_csv(report: dict) -> str:
    """Every finding of the report, one line each, grouped as the page groups them; every cell
    written through raa.safe_export (no cell a spreadsheet would run)."""
    body = []
    for group in finding_groups(report):
        for row in group.page.paginator.object_list:
            body.append(
                [
                    row["child"],
                    group.rule,
                    "error" if row.get("hard") else "check",
                    group.title,
                    row["message"],
                ]
            )
    return csv_text(CSV_HEADER, body)
