"""The tracking panels the child and household pages include (DOMAIN.md A.8), so that casework
never imports tracking: ``{% load tracking_panels %}`` then

- ``{% child_thresholds child %}``: the child's "Against the tracking thresholds" section;
- ``{% clock_checks row.clocks as checks %}``: the clocks a timeline step stops, as checks;
- ``{% household_timeline steps household matched=first_match as rows %}``: a household's
  steps with the target each finished, then the targets still running;
- ``{% households_needing_attention households %}``: the households list's "Over or near a
  target" section.

The thresholds are read once per page render (kept in the render context), however many rows.
"""

from django import template
from django.utils import timezone

from tracking import checks as tracking
from tracking import panels

register = template.Library()

_KEY = "tracking_panels.thresholds"


def _today_and_table(context) -> tuple:
    """Today and the threshold table, read once for the page being rendered."""
    render_context = context.render_context
    if _KEY not in render_context:
        render_context[_KEY] = (timezone.localdate(), tracking.thresholds())
    return render_context[_KEY]


@register.inclusion_tag("tracking/_child_thresholds.html", takes_context=True)
def child_thresholds(context, child) -> dict:
    today, table = _today_and_table(context)
    return {"checks": tracking.child_checks(child, today=today, table=table)}


@register.simple_tag(takes_context=True)
def clock_checks(context, clocks) -> list:
    if not clocks:
        return []
    today, table = _today_and_table(context)
    return panels.clock_checks(clocks, today=today, table=table)


@register.simple_tag(takes_context=True)
def household_timeline(context, steps, household, matched=None) -> list[dict]:
    today, table = _today_and_table(context)
    return panels.household_timeline(steps, household, today=today, table=table, matched=matched)


@register.inclusion_tag("tracking/_households_attention.html", takes_context=True)
def households_needing_attention(context, households) -> dict:
    today, table = _today_and_table(context)
    return {
        "attention": panels.needing_attention(households, today=today, table=table),
        "due_days": table["due_soon"].amount,
    }
