"""The tracking panels the child and household pages include (tracking.panels, the
``tracking_panels`` tags): casework gives what it knows and never imports tracking; the
thresholds are read once per page render, however many timeline rows."""

import ast
from datetime import date
from pathlib import Path

import pytest
from django.template import Context, Template

from children.selectors import Clock

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


@pytest.mark.parametrize("app", ["children", "adopters"])
def test_casework_never_imports_tracking_or_scorecard(app):
    offending = {
        f"{path.relative_to(ROOT)}: {name}"
        for path in (ROOT / app).rglob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] in ("tracking", "scorecard", "home")
    }
    assert offending == set()


@pytest.mark.django_db
def test_timeline_clocks_become_checks_with_one_read_of_the_thresholds(
    django_assert_num_queries,
):
    template = Template(
        "{% load tracking_panels %}{% for clocks in rows %}"
        "{% clock_checks clocks as checks %}"
        "{% for check in checks %}{{ check.code }} {{ check.days }} {{ check.status }};"
        "{% endfor %}|{% endfor %}"
    )
    order = Clock("child_order_to_match", date(2022, 4, 1), date(2022, 10, 1))
    decision = Clock("child_decision_to_match", date(2022, 3, 1), date(2022, 10, 1))
    placed = Clock("child_care_to_placed", date(2022, 1, 1), date(2023, 2, 1))
    rows = [[], [order, decision], [placed]] * 5
    with django_assert_num_queries(1):
        shown = template.render(Context({"rows": rows}))
    assert shown.split("|")[:3] == [
        "",
        "child_order_to_match 183 over;child_decision_to_match 214 over;",
        "child_care_to_placed 396 met;",
    ]
