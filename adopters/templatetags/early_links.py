"""Early links (a child linked with a household still in assessment, issue 20 item 11) on the
pages that show links: ``{% load early_links %}`` then

- ``{% early_link_badge event %}``: on a link step (a JourneyEvent) made early, "Early link:
  household in Stage 2" with when approval is expected, or, once the household is approved,
  "Started as an early link" (the record keeps that it began early);
- ``{{ code|stage_label }}``: a household stage code (StageCode) in words;
- ``{% waiting_early_link child as link %}``: the child's early link still waiting for the
  household's approval, if any (the match waits for it).

The badges name the household's stage, never its applicants.
"""

from django import template
from django.utils import timezone

from adopters.rules import expected_approval
from adopters.stages import StageCode
from children.models import EventKind, JourneyEvent

register = template.Library()


@register.inclusion_tag("adopters/_early_link_badge.html")
def early_link_badge(event) -> dict:
    """Nothing unless ``event`` is an early link with a household (no query: the event's
    household is loaded with it)."""
    if not getattr(event, "early_link", False) or event.household_id is None:
        return {"show": False}
    household = event.household
    approved = household.approval_date
    return {
        "show": True,
        "approved": approved,
        "where": (
            f"household left the process on {household.left_date:%d/%m/%Y}"
            if household.left_date
            else f"household in {StageCode(household.date_stage()).label}"
        ),
        "expected": expected_approval(household, today=timezone.localdate()),
    }


@register.filter
def stage_label(code: str) -> str:
    return StageCode(code).label if code in StageCode.values else ""


@register.simple_tag
def waiting_early_link(child) -> JourneyEvent | None:
    """The child's latest link if it is an early link whose household is still in assessment
    (not approved, not left): the match waits for the approval. None otherwise. One query."""
    link = (
        JourneyEvent.objects.filter(child=child, kind=EventKind.LINKED)
        .select_related("household")
        .order_by("-date", "-id")
        .first()
    )
    if link is None or not link.early_link or link.household is None:
        return None
    household = link.household
    return None if household.approval_date or household.left_date else link
