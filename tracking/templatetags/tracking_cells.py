"""Template helpers for tracking checks wherever they are shown (tracking list, home page)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def check_cell(check) -> str:
    """``{% check_cell check %}``: one tracking check (:class:`tracking.checks.Check`) as a
    status badge with its days ("Over", "412 days, over since 03/02/2025"), or a dash when the
    step has not started. The tracking list shows three a row, 300 a page: built here rather
    than by including a template for each, which was a third of the page's CPU."""
    if not check:
        return mark_safe('<span class="text-muted" title="Not started">–</span>\n')
    if check.done:
        progress = ""
    elif check.status == "over":
        d = check.over_from
        progress = f", over since {d.day:02d}/{d.month:02d}/{d.year:04d}"
    else:
        progress = f", {check.days_left} left"
    return format_html(
        '<span class="badge status-badge status-{}">{}</span>\n'
        '<span class="small d-block text-muted">{} day{}{}</span>\n',
        check.status,
        check.status_label,
        check.days,
        "" if check.days == 1 else "s",
        progress,
    )
