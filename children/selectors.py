"""Reads of children for lists and pages. Every entry point takes the person and scopes."""

from datetime import date

from django.db.models import OuterRef, QuerySet, Subquery

from children.models import Child, EventKind, JourneyEvent, PeriodOfCare

STAGE_BY_LATEST_EVENT = {
    None: "In care",
    EventKind.PERMANENCE_DECISION: "Permanence decision",
    EventKind.ADM_DECISION: "Waiting (ADM decision)",
    EventKind.FFA_DECISION: "Early permanence decision",
    EventKind.FFA_PLACEMENT: "In FfA / concurrent placement",
    EventKind.PLACEMENT_ORDER: "Waiting (placement order)",
    EventKind.LINKED: "Linked",
    EventKind.MATCHED: "Matched",
    EventKind.PLACED: "Placed for adoption",
    EventKind.ADOPTION_APPLICATION: "Placed (application made)",
    EventKind.DISRUPTION: "Waiting (after disruption)",
    EventKind.PLAN_CEASED: "Plan changed from adoption",
    EventKind.ADOPTION_ORDER: "Adopted",
}


def stage_label(latest_event_kind: str | None) -> str:
    return STAGE_BY_LATEST_EVENT.get(latest_event_kind, "In care")


def with_journey_summary(children: QuerySet[Child]) -> QuerySet[Child]:
    """Annotate each child with the latest entry into care and the latest journey event.

    One query for the whole page, however many children it holds.
    """
    latest_event = JourneyEvent.objects.filter(child=OuterRef("pk")).order_by("-date", "-id")
    latest_period = PeriodOfCare.objects.filter(child=OuterRef("pk")).order_by("-entered_care")
    return children.annotate(
        latest_event_kind=Subquery(latest_event.values("kind")[:1]),
        latest_event_date=Subquery(latest_event.values("date")[:1]),
        entered_care=Subquery(latest_period.values("entered_care")[:1]),
    )


def children_list(user, *, search: str = "", council_id: int | None = None) -> QuerySet[Child]:
    children = Child.objects.visible_to(user).search(search)
    if council_id:
        children = children.filter(council_id=council_id)
    return with_journey_summary(children.select_related("council", "allocated_social_worker"))


def children_for_home(user, *, today: date) -> list[Child]:
    """The person's allocated children still in the process (not adopted, plan not changed)."""
    children = with_journey_summary(
        Child.objects.visible_to(user)
        .filter(allocated_social_worker=user)
        .select_related("council")
    ).exclude(latest_event_kind__in=[EventKind.ADOPTION_ORDER, EventKind.PLAN_CEASED])
    result = list(children.order_by("entered_care")[:50])
    for child in result:
        child.stage = stage_label(child.latest_event_kind)
        child.days_in_care = (today - child.entered_care).days if child.entered_care else None
    return result


def child_timeline(child: Child) -> list[dict]:
    """Every period-of-care start and journey event, in date order, with days since entering care
    (counted from the start of the period of care the event falls in)."""
    periods = list(child.periods_of_care.all())
    rows: list[dict] = []
    for period in periods:
        rows.append({"date": period.entered_care, "label": "Entered care", "event": None})
        if period.left_care:
            rows.append({"date": period.left_care, "label": "Left care", "event": None})
    for event in child.events.select_related("household", "recorded_by"):
        rows.append({"date": event.date, "label": event.get_kind_display(), "event": event})
    rows.sort(key=lambda r: r["date"])
    for row in rows:
        starts = [p.entered_care for p in periods if p.entered_care <= row["date"]]
        row["days_in_care"] = (row["date"] - max(starts)).days if starts else None
    return rows
