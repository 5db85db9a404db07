"""The tracking check cell (``{% check_cell %}``), as the tracking list and the home page show it:
the same markup the old per-cell template gave, built without rendering a template per cell."""

from datetime import date

from django.template import Context, Template

from tracking.checks import Check

TEMPLATE = Template("{% load tracking_cells %}<td>{% check_cell check %}</td>")


def cell(check) -> str:
    return TEMPLATE.render(Context({"check": check}))


def a_check(**changes) -> Check:
    fields = {
        "code": "child_care_to_placed",
        "label": "Entering care to moving in",
        "start": date(2024, 1, 1),
        "end": date(2025, 3, 1),
        "done": False,
        "days": 425,
        "limit": "426 days",
        "over_from": date(2025, 3, 2),
        "status": "due",
        "status_label": "Due within 30 days",
    }
    return Check(**(fields | changes))


def test_a_running_check_shows_the_days_so_far_and_the_days_left():
    assert cell(a_check()) == (
        '<td><span class="badge status-badge status-due">Due within 30 days</span>\n'
        '<span class="small d-block text-muted">425 days, 1 left</span>\n</td>'
    )


def test_an_overdue_check_shows_since_when_as_a_uk_date():
    over = a_check(status="over", status_label="Over", days=500, over_from=date(2025, 3, 2))
    assert cell(over) == (
        '<td><span class="badge status-badge status-over">Over</span>\n'
        '<span class="small d-block text-muted">500 days, over since 02/03/2025</span>\n</td>'
    )


def test_a_step_that_happened_shows_its_days_only_and_one_day_is_singular():
    met = a_check(done=True, days=1, status="met", status_label="Met")
    assert cell(met) == (
        '<td><span class="badge status-badge status-met">Met</span>\n'
        '<span class="small d-block text-muted">1 day</span>\n</td>'
    )


def test_a_step_not_started_is_a_dash():
    assert cell(None) == '<td><span class="text-muted" title="Not started">–</span>\n</td>'


def test_labels_are_escaped():
    odd = a_check(status_label="<b>Due</b>")
    assert "&lt;b&gt;Due&lt;/b&gt;" in cell(odd)
