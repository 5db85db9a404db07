"""Reads for the organisation pages (the audit trail)."""

from datetime import date

from django.db.models import QuerySet

from raa.models import AuditEvent


def audit_events(
    *,
    person: str = "",
    council=None,
    action: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
    user=None,
) -> QuerySet[AuditEvent]:
    """Audit rows, newest first, filtered (each filter optional; ``user`` limits them to one
    person's own). Dates are local calendar days, both included."""
    events = AuditEvent.objects.select_related("user", "council").order_by("-at", "-id")
    if user is not None:
        events = events.filter(user=user)
    if person:
        events = events.filter(user__username__iexact=person)
    if council is not None:
        events = events.filter(council=council)
    if action:
        events = events.filter(action=action)
    if date_from:
        events = events.filter(at__date__gte=date_from)
    if date_to:
        events = events.filter(at__date__lte=date_to)
    return events
