"""Reads of children for lists and pages. Every entry point takes the person and scopes."""

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from django.db.models import Count, F, Q, QuerySet

from children.date_rules import KIND_ORDER
from children.models import (
    WAITING_STAGES,
    Authority,
    Child,
    DataQualityFlag,
    EventKind,
    JourneyEvent,
    LegalStatus,
    PeriodOfCare,
    Stage,
)
from raa.dates import add_months
from raa.history import history_rows

#: Sort orders of the children list: the key in the address, its label, the ordering.
SORTS = {
    "name": ("Name", ["last_name", "first_name", "id"]),
    "child_id": ("Child ID", ["child_id", "id"]),
    "entered_care": ("Longest in care first", [F("entered_care_date").asc(nulls_last=True), "id"]),
    "decision": (
        "Longest since ADM decision first",
        [F("adm_decision_date").asc(nulls_last=True), "id"],
    ),
    "recent": ("Most recently changed first", ["-updated_at", "-id"]),
}
#: What the children list shows: children in the process by default (Child.objects.in_process).
SHOWS = {
    "live": "In the process (in care, not yet adopted)",
    "adopted": "Adopted",
    "ended": "Plan changed or left care",
    "closed": "Closed records",
    "all": "All children (open records)",
}
WHITE_CODES = ("WBRI", "WIRI", "WOTH", "WIRT", "WROM")
NOT_STATED = ("REFU", "NOBT")


def harder_to_place(today: date) -> Q:
    """DOMAIN A.5: aged 5 or over at the date, ethnic minority (not a White code, and not
    refused or not obtained), disabled, or in a sibling group to be placed together. The same
    rule for one child, with its reasons in words: :func:`harder_to_place_reasons`."""
    return (
        Q(date_of_birth__lte=add_months(today, -60))
        | ~Q(ethnicity__in=(*WHITE_CODES, *NOT_STATED, ""))
        | Q(disabled=True)
        | Q(sibling_group__to_be_placed_together=True)
    )


def harder_to_place_reasons(child: Child, today: date) -> list[str]:
    """Why the child is harder to place (DOMAIN A.5, as :func:`harder_to_place`), in words;
    empty when they are not. Reads the child's sibling group (no query if it is loaded)."""
    reasons = []
    if child.date_of_birth <= add_months(today, -60):
        reasons.append("aged 5 or over")
    if child.ethnicity not in (*WHITE_CODES, *NOT_STATED, ""):
        reasons.append(f"of an ethnic minority ({child.get_ethnicity_display()})")
    if child.disabled:
        reasons.append("disabled")
    if child.sibling_group_id and child.sibling_group.to_be_placed_together:
        reasons.append("in a sibling group to be placed together")
    return reasons


@dataclass
class ChildFilters:
    search: str = ""
    council_id: int | None = None
    stage: str = ""
    social_worker_id: int | None = None
    waiting: bool = False
    harder_to_place: bool = False
    include_closed: bool = False
    sort: str = "name"
    show: str = "live"

    @classmethod
    def from_query(cls, query) -> "ChildFilters":
        def number(name: str) -> int | None:
            value = query.get(name, "")
            return int(value) if value.isdigit() else None

        stage = query.get("stage", "")
        sort = query.get("sort", "name")
        return cls(
            search=query.get("q", "").strip()[:100],
            council_id=number("council"),
            stage=stage if stage in Stage.values else "",
            social_worker_id=number("worker"),
            waiting=query.get("waiting") == "1",
            harder_to_place=query.get("harder") == "1",
            include_closed=query.get("closed") == "1",
            sort=sort if sort in SORTS else "name",
            # a search or a stage chosen looks everywhere unless a view is chosen too
            show=query.get("show")
            if query.get("show") in SHOWS
            else ("all" if query.get("q", "").strip() or stage in Stage.values else "live"),
        )


def children_list(user, filters: ChildFilters, *, today: date) -> QuerySet[Child]:
    """The children the person may see, filtered and sorted: one query per page."""
    children = Child.objects.visible_to(user).search(filters.search)
    if filters.council_id:
        children = children.filter(council_id=filters.council_id)
    if filters.stage:
        children = children.filter(stage=filters.stage)
    if filters.social_worker_id:
        children = children.filter(allocated_social_worker_id=filters.social_worker_id)
    if filters.waiting:
        children = children.filter(stage__in=WAITING_STAGES)
    if filters.harder_to_place:
        children = children.filter(harder_to_place(today))
    if filters.show == "live":
        children = children.in_process()
    elif filters.show == "adopted":
        children = children.filter(stage=Stage.ADOPTED)
    elif filters.show == "ended":
        children = children.filter(stage__in=(Stage.PLAN_CHANGED, Stage.LEFT_CARE))
    elif filters.show == "closed":
        children = children.filter(closed_on__isnull=False)
    if not filters.include_closed and filters.show != "closed":
        children = children.filter(closed_on__isnull=True)
    return children.select_related("council", "allocated_social_worker").order_by(
        *SORTS[filters.sort][1]
    )


def children_for_home(user, *, today: date) -> list[Child]:
    """The person's allocated children in the process (ADM decision in force, not adopted)."""
    children = (
        Child.objects.visible_to(user)
        .in_process()
        .filter(allocated_social_worker=user)
        .select_related("council")
        .order_by(F("entered_care_date").asc(nulls_last=True), "id")
    )
    result = list(children[:50])
    for child in result:
        child.days_in_care = (
            (today - child.entered_care_date).days if child.entered_care_date else None
        )
    return result


class Clock(NamedTuple):
    """A tracking clock (DOMAIN.md A.8) that a step stops: the threshold's code, the day the
    clock started and the day of the step. What the clock comes to against the thresholds is
    the tracking app's to say (the child's page shows it through ``tracking_panels``)."""

    code: str
    start: date
    end: date


@dataclass
class TimelineRow:
    date: date
    label: str
    event: object = None
    period: object = None
    days_in_care: int | None = None
    #: The tracking clocks this step stops (the match and the placement measured).
    clocks: list[Clock] = field(default_factory=list)
    #: Why the row has no clock where one would be expected (a placement that disrupted).
    note: str = ""


def child_timeline(child: Child) -> list[TimelineRow]:
    """Every entry into and exit from care and every journey step, in date order, with the days
    since entering care (counted from the start of the period of care the date falls in), and
    for the match and the placement, the tracking clocks they stop. A placement that ended in a
    disruption is never the one measured (DOMAIN.md A.2): it is shown with the disruption that
    ended it instead of a clock."""
    periods = list(child.periods_of_care.all())
    events = child.events.select_related("household", "recorded_by")
    rows: list[TimelineRow] = []
    for period in periods:
        rows.append(TimelineRow(period.entered_care, "Entered care", period=period))
        if period.left_care:
            rows.append(TimelineRow(period.left_care, "Left care", period=period))
    for event in events:
        rows.append(TimelineRow(event.date, event.get_kind_display(), event=event))
    # On one day: entering care, then the steps in journey order, then leaving care.
    rows.sort(
        key=lambda r: (
            r.date,
            1 if r.event else (2 if r.label == "Left care" else 0),
            KIND_ORDER[r.event.kind] if r.event else 0,
        )
    )
    # A disruption on or after a placement ends it (children.querysets.placement_disrupted_sql).
    disruptions = [r.event.date for r in rows if r.event and r.event.kind == EventKind.DISRUPTION]
    decision = order = None
    for row in rows:
        starts = [p.entered_care for p in periods if p.entered_care <= row.date]
        row.days_in_care = (row.date - max(starts)).days if starts else None
        event = row.event
        if event is None:
            continue
        if event.kind == EventKind.ADM_DECISION:
            decision = event
        elif event.kind == EventKind.PLAN_CEASED:
            decision = None
        elif event.kind == EventKind.PLACEMENT_ORDER and event.authority != Authority.CONSENT:
            order = event
        elif event.kind == EventKind.MATCHED:
            if order is not None:
                row.clocks.append(Clock("child_order_to_match", order.date, event.date))
            if decision is not None:
                row.clocks.append(Clock("child_decision_to_match", decision.date, event.date))
        elif event.kind == EventKind.PLACED and any(d >= event.date for d in disruptions):
            ended = min(d for d in disruptions if d >= event.date)
            row.note = f"Ended by the disruption of {ended:%d/%m/%Y}: not the placement measured"
        elif event.kind == EventKind.PLACED and starts:
            row.clocks.append(Clock("child_care_to_placed", max(starts), event.date))
    return rows


def child_history_rows(child: Child) -> list[dict]:
    """Every saved change to the child's record, periods of care and journey, newest first."""
    return history_rows(
        child.history.all(),
        PeriodOfCare.history.filter(child_id=child.pk),
        JourneyEvent.history.filter(child_id=child.pk),
    )


#: A legal status on entering care that is itself the authority to place: the period of care
#: starts with the order (children.ssda903.derive dates a 903 placement order the same way).
ORDER_STATUSES = {
    LegalStatus.E1: Authority.PLACEMENT_ORDER,
    LegalStatus.D1: Authority.FREEING_ORDER,
}


@dataclass(frozen=True)
class OrderOnRecord:
    """What the record already says of a placement order not yet recorded as a step."""

    authority: str
    date: date
    #: Where it comes from, in words, for the form to say.
    source: str


def placement_order_on_record(child: Child) -> OrderOnRecord | None:
    """The placement (or freeing) order the child's record already states and no step records
    yet: the latest period of care that began under legal status E1 (D1) gives the authority
    and the date (the day the period began). None when no period says so, or that period
    already has a placement order step (steps entered in error aside). Two queries."""
    period = (
        PeriodOfCare.objects.filter(child=child, legal_status__in=list(ORDER_STATUSES))
        .order_by("-entered_care")
        .first()
    )
    if period is None:
        return None
    recorded = JourneyEvent.objects.filter(
        child=child,
        kind=EventKind.PLACEMENT_ORDER,
        entered_in_error=False,
        date__gte=period.entered_care,
    )
    if period.left_care:
        recorded = recorded.filter(date__lte=period.left_care)
    if recorded.exists():
        return None
    return OrderOnRecord(
        authority=ORDER_STATUSES[period.legal_status],
        date=period.entered_care,
        source=f"the period of care that began on {period.entered_care:%d/%m/%Y} with legal "
        f"status {period.get_legal_status_display()}",
    )


def quality_flags_list(user, *, council_id: int | None = None) -> QuerySet[DataQualityFlag]:
    """Data-quality flags on the children the person may see (open records), newest
    children's problems grouped by child."""
    flags = DataQualityFlag.objects.filter(
        child__in=Child.objects.visible_to(user).filter(closed_on__isnull=True)
    )
    if council_id:
        flags = flags.filter(child__council_id=council_id)
    return flags.select_related("child", "child__council", "event").order_by(
        "child__council__name", "child__last_name", "child__first_name", "child_id", "id"
    )


def quality_rule_counts(flags: QuerySet[DataQualityFlag]) -> list[dict]:
    return list(
        flags.order_by().values("rule", "hard").annotate(count=Count("id")).order_by("-count")
    )
