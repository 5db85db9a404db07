"""The tracking panels the child and household pages include (DOMAIN.md A.8), so that casework
never imports tracking: ``{% load tracking_panels %}`` then

- ``{% child_thresholds child %}``: the child's "Against the tracking thresholds" section;
- ``{% clock_checks row.clocks as checks %}``: the clocks a timeline step stops, as checks;
- ``{% household_timeline steps household matched=first_match as rows %}``: a household's
  steps with the target each finished, then the targets still running;
- ``{% households_needing_attention households %}``: the households list's "Over or near a
  target" section;
- ``{% record_actions child=child %}`` / ``household=household``: the tracking meetings'
  actions on the record;
- ``{% my_overdue_actions %}``: the person's own overdue actions, for the home page.

The thresholds are read once per page render (kept in the render context), however many rows.
"""

from django import template
from django.utils import timezone

from raa import access
from tracking import checks as tracking
from tracking import panels
from tracking.selectors import actions_by_record, actions_visible_to, overdue_actions_owned_by

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


def _actions_context(context, actions) -> dict:
    request = context.get("request")
    user = request.user if request else None
    return {
        "actions": actions,
        "today": timezone.localdate(),
        "user": user,
        "next": request.get_full_path() if request else "",
        "may_mark": bool(user) and access.has_role(user, access.MEETING_ROLES),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("tracking/_record_actions.html", takes_context=True)
def record_actions(context, child=None, household=None) -> dict:
    """``{% record_actions child=child %}`` (or ``household=household``): the tracking meetings'
    actions for this record, open first, with "Mark done"."""
    request = context.get("request")
    visible = actions_visible_to(request.user) if request else None
    if visible is None:
        actions = []
    elif child is not None:
        actions = actions_by_record(visible.filter(child=child), field="child_id").get(child.pk)
    else:
        actions = actions_by_record(visible.filter(household=household), field="household_id").get(
            household.pk
        )
    return _actions_context(context, actions or [])


@register.inclusion_tag("tracking/_my_overdue_actions.html", takes_context=True)
def my_overdue_actions(context) -> dict:
    """``{% my_overdue_actions %}``: the person's own meeting actions past their date (home)."""
    request = context.get("request")
    if request is None or not access.has_role(request.user, access.TRACKING_ROLES):
        return {"actions": []}
    actions = list(overdue_actions_owned_by(request.user, today=timezone.localdate()))
    return _actions_context(context, actions)
