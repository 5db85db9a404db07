"""Reads for the tracking list, its exports and the alerts (DOMAIN.md A.8).

Every entry point takes the person and scopes to the councils over which they hold a tracking
role. The day each threshold is passed is computed in the database (:mod:`tracking.sql_dates`)
so that the status filter and "most overdue first" work on the whole list in one query, however
many children; the checks shown on each row come from :mod:`tracking.checks`, the same code
as the child's page.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Least

from adopters.models import Household
from children.models import IN_PROCESS_STAGES, Child, JourneyEvent, Stage
from children.selectors import harder_to_place
from raa import access
from raa.models import Council, User
from tracking import checks as tracking
from tracking.models import ThresholdUnit, TrackingNotification, TrackingThreshold
from tracking.sql_dates import AddDays, AddMonths

#: Stands in for "no threshold running", so it sorts after every real date.
NEVER = date(9999, 12, 31)

STATUSES = {
    tracking.OVER: "Over",
    tracking.DUE: "Due within 30 days",
    tracking.ON_TRACK: "On track",
}
SORTS = {
    "overdue": "Most overdue first",
    "care": "Longest in care first",
    "name": "Name",
    "council": "Council, then most overdue",
}
#: What usually happens next, by stage: the meeting's "next step" column.
NEXT_STEPS = {
    Stage.WAITING: "Placement order (or consent)",
    Stage.WAITING_PO: "Link with a family",
    Stage.LINKED: "Matching panel and ADM match decision",
    Stage.MATCHED: "Introductions and placement",
    Stage.PLACED: "Adoption application and order",
}
CHILD_CHECKS = ["child_care_to_placed", "child_order_to_match", "child_decision_to_match"]
HOUSEHOLD_CHECKS = ["household_stage1", "household_stage2", "household_approval_to_match"]
TRACKING_STAGES = [(s.value, s.label) for s in IN_PROCESS_STAGES]


def passed_on(field: str, threshold: TrackingThreshold):
    """SQL: the first day ``field`` + the threshold counts as over (:func:`tracking.over_from`)."""
    if threshold.unit == ThresholdUnit.MONTHS:
        return AddMonths(F(field), threshold.amount)
    return AddDays(F(field), threshold.amount + 1)


def tracking_council_ids(user, roles=access.TRACKING_ROLES) -> set[int]:
    """The councils where the person holds one of ``roles`` (their tracking scope, or with
    :data:`access.TRACKING_EXPORT_ROLES` what they may export); read once per request (kept on
    the user object beside the memberships it comes from)."""
    memberships = access.memberships(user)
    cached = getattr(user, "_raa_tracking_ids", None)
    if cached is None or cached[0] is not memberships:
        cached = (memberships, {})
        user._raa_tracking_ids = cached
    if roles not in cached[1]:
        cached[1][roles] = access.council_ids_for(user, roles)
    return cached[1][roles]


@dataclass
class TrackingFilters:
    council_id: int | None = None
    social_worker_id: int | None = None
    stage: str = ""
    status: str = ""
    harder_to_place: bool = False
    sort: str = "overdue"

    @classmethod
    def from_query(cls, query) -> "TrackingFilters":
        def number(name: str) -> int | None:
            value = query.get(name, "")
            return int(value) if value.isdigit() else None

        stage = query.get("stage", "")
        status = query.get("status", "")
        sort = query.get("sort", "overdue")
        return cls(
            council_id=number("council"),
            social_worker_id=number("worker"),
            stage=stage if stage in dict(TRACKING_STAGES) else "",
            status=status if status in STATUSES else "",
            harder_to_place=query.get("harder") == "1",
            sort=sort if sort in SORTS else "overdue",
        )

    def describe(self) -> str:
        """The filters in words for the audit trail (identifiers only)."""
        parts = [
            f"{name}={value}"
            for name, value in (
                ("council", self.council_id),
                ("worker", self.social_worker_id),
                ("stage", self.stage),
                ("status", self.status),
                ("harder", "1" if self.harder_to_place else ""),
            )
            if value
        ]
        return ", ".join(parts) or "no filters"


def _status_filter(status: str, today: date, due_days: int) -> Q:
    if status == tracking.OVER:
        return Q(next_over__lte=today)
    if status == tracking.DUE:
        return Q(next_over__gt=today, next_over__lte=today + timedelta(days=due_days))
    return Q(next_over__gt=today + timedelta(days=due_days))


def children_in_process(
    user, table: dict[str, TrackingThreshold], roles=access.TRACKING_ROLES
) -> QuerySet[Child]:
    """Open records of children in the adoption process (ADM decision in force, not adopted)
    in the person's tracking scope (the councils of their ``roles``), annotated as
    :func:`children_in_process_in`."""
    # Scoped like Child.objects.visible_to, but to the councils of the person's tracking roles
    # (a subset of the case-viewing ones), with the council ids read once per request.
    return children_in_process_in(tracking_council_ids(user, roles), table)


def children_in_process_in(council_ids, table: dict[str, TrackingThreshold]) -> QuerySet[Child]:
    """Open records of children in the adoption process in these councils, each annotated with
    the first day each running threshold is passed (``care_over``, ``order_over``,
    ``decision_over``; null when not running) and ``next_over``, the earliest of them
    (:data:`NEVER` if none is running). For the alerts, which are nobody's request, the caller
    chooses the councils."""
    not_matched = ~Q(stage__in=[Stage.MATCHED, Stage.PLACED])
    care = Case(
        When(
            ~Q(stage=Stage.PLACED) & Q(entered_care_date__isnull=False),
            then=passed_on("entered_care_date", table["child_care_to_placed"]),
        ),
    )
    order = Case(
        When(
            not_matched & Q(placement_order_date__isnull=False),
            then=passed_on("placement_order_date", table["child_order_to_match"]),
        ),
    )
    decision = Case(
        When(not_matched, then=passed_on("adm_decision_date", table["child_decision_to_match"])),
    )
    never = Value(NEVER)
    return (
        Child.objects.filter(
            council_id__in=council_ids,
            stage__in=IN_PROCESS_STAGES,
            adm_decision_date__isnull=False,
            closed_on__isnull=True,
        )
        .annotate(care_over=care, order_over=order, decision_over=decision)
        .annotate(
            next_over=Least(
                Coalesce(F("care_over"), never),
                Coalesce(F("order_over"), never),
                Coalesce(F("decision_over"), never),
            )
        )
    )


def tracking_children(
    user,
    filters: TrackingFilters,
    *,
    today: date,
    table: dict[str, TrackingThreshold],
    roles=access.TRACKING_ROLES,
) -> QuerySet[Child]:
    """The tracking list of children: scoped (to the councils of ``roles``), filtered and
    sorted, in one query."""
    children = children_in_process(user, table, roles)
    if filters.council_id:
        children = children.filter(council_id=filters.council_id)
    if filters.social_worker_id:
        children = children.filter(allocated_social_worker_id=filters.social_worker_id)
    if filters.stage:
        children = children.filter(stage=filters.stage)
    if filters.harder_to_place:
        children = children.filter(harder_to_place(today))
    if filters.status:
        children = children.filter(_status_filter(filters.status, today, table["due_soon"].amount))
    order = {
        "overdue": ["next_over", "entered_care_date", "id"],
        "care": [F("entered_care_date").asc(nulls_last=True), "id"],
        "name": ["last_name", "first_name", "id"],
        "council": ["council__name", "next_over", "id"],
    }[filters.sort]
    return children.select_related("council", "allocated_social_worker").order_by(*order)


@dataclass
class Row:
    """One line of the tracking list: the record, its checks and the one to talk about."""

    record: object
    checks: list
    worst: tracking.Check | None
    status: str
    next_step: str
    days_in_care: int | None = None

    def cells(self, codes: list[str]) -> list[tracking.Check | None]:
        by_code = {c.code: c for c in self.checks}
        return [by_code.get(code) for code in codes]

    @property
    def status_label(self) -> str:
        return STATUSES[self.status]

    @property
    def days_past(self) -> int | None:
        """Days past the nearest threshold (negative: days left)."""
        return -self.worst.days_left if self.worst else None


def _row(record, checks, today: date, next_step: str) -> Row:
    worst = tracking.worst_open(checks)
    status = worst.status if worst else tracking.ON_TRACK
    return Row(record=record, checks=checks, worst=worst, status=status, next_step=next_step)


def child_rows(children, *, today: date, table: dict[str, TrackingThreshold]) -> list[Row]:
    rows = []
    for child in children:
        row = _row(
            child,
            tracking.child_checks(child, today=today, table=table),
            today,
            NEXT_STEPS.get(child.stage, ""),
        )
        row.days_in_care = (
            (today - child.entered_care_date).days if child.entered_care_date else None
        )
        row.check_cells = row.cells(CHILD_CHECKS)
        rows.append(row)
    return rows


# Households -----------------------------------------------------------------------------------


def households_in_process(
    user, table: dict[str, TrackingThreshold], roles=access.TRACKING_ROLES
) -> QuerySet[Household]:
    """Households still on their way that the person may see in their tracking scope (that of
    their ``roles``: Household.visible_to), annotated as :func:`households_in_process_among`."""
    return households_in_process_among(Household.objects.visible_to(user, roles), table)


def households_in_process_among(
    households: QuerySet[Household], table: dict[str, TrackingThreshold]
) -> QuerySet[Household]:
    """Of these households, those still on their way (registered or approved, not matched, not
    left, not on hold), annotated with the first day each running target is passed (``stage1_over``,
    ``stage2_over``, ``waiting_over``) and ``next_over``, the earliest."""
    matched = JourneyEvent.objects.filter(household=OuterRef("pk"), kind__in=("matched", "placed"))
    stage1_running = Q(
        registration_date__isnull=False,
        stage1_end_date__isnull=True,
        stage2_start_date__isnull=True,
        approval_date__isnull=True,
    )
    stage1 = Case(
        When(stage1_running, then=passed_on("registration_date", table["household_stage1"]))
    )
    stage2 = Case(
        When(
            Q(stage2_start_date__isnull=False, approval_date__isnull=True),
            then=passed_on("stage2_start_date", table["household_stage2"]),
        )
    )
    waiting = Case(
        When(
            approval_date__isnull=False,
            then=passed_on("approval_date", table["household_approval_to_match"]),
        )
    )
    never = Value(NEVER)
    return (
        households.filter(left_date__isnull=True)
        .filter(
            Q(registration_date__isnull=False)
            | Q(approval_date__isnull=False)
            | Q(stage2_start_date__isnull=False)
        )
        .exclude(Exists(matched))
        # The household's derived stage, read with the list (no query per row), and whether it
        # is on hold: then the clock is stopped, as on the household's own page.
        .with_progress()
        .exclude(on_hold=True)
        .annotate(stage1_over=stage1, stage2_over=stage2, waiting_over=waiting)
        .annotate(
            next_over=Least(
                Coalesce(F("stage1_over"), never),
                Coalesce(F("stage2_over"), never),
                Coalesce(F("waiting_over"), never),
            )
        )
    )


@dataclass
class HouseholdFilters:
    council_id: int | None = None
    status: str = ""
    sort: str = "overdue"

    @classmethod
    def from_query(cls, query) -> "HouseholdFilters":
        value = query.get("council", "")
        status = query.get("status", "")
        return cls(
            council_id=int(value) if value.isdigit() else None,
            status=status if status in STATUSES else "",
            sort="name" if query.get("sort") == "name" else "overdue",
        )

    def describe(self) -> str:
        parts = [f"council={self.council_id}" if self.council_id else "", self.status]
        return ", ".join(p for p in parts if p) or "no filters"


def tracking_households(
    user,
    filters: TrackingFilters | HouseholdFilters,
    *,
    today: date,
    table: dict,
    roles=access.TRACKING_ROLES,
) -> QuerySet[Household]:
    """The tracking list of households: scoped (as ``roles`` allow), filtered (council
    recruited in, status) and sorted, in one query."""
    households = households_in_process(user, table, roles)
    if filters.council_id:
        households = households.filter(recruiting_council_id=filters.council_id)
    if filters.status:
        households = households.filter(
            _status_filter(filters.status, today, table["due_soon"].amount)
        )
    order = ["reference"] if filters.sort == "name" else ["next_over", "reference"]
    return households.select_related("recruiting_council").order_by(*order)


HOUSEHOLD_NEXT_STEPS = {
    "Stage 1": "Finish Stage 1 (checks and preparation)",
    "Between stages": "Start Stage 2",
    "Stage 2": "Assessment report and approval panel",
    "Approved, waiting": "Find a match (Link Maker, national referral)",
    "Linked": "Matching panel",
    "Approved, waiting (after a disruption)": "Support and a new match",
}


def household_rows(households, *, today: date, table: dict[str, TrackingThreshold]) -> list[Row]:
    rows = []
    for h in households:
        row = _row(
            h,
            tracking.household_checks(h, today=today, table=table),
            today,
            HOUSEHOLD_NEXT_STEPS.get(h.stage, ""),
        )
        row.check_cells = row.cells(HOUSEHOLD_CHECKS)
        rows.append(row)
    return rows


# Choices for the filters ----------------------------------------------------------------------


def tracking_councils(user) -> QuerySet[Council]:
    return Council.objects.filter(id__in=tracking_council_ids(user)).order_by("name")


def tracking_social_workers(user) -> QuerySet[User]:
    """People allocated a child in the process in the person's tracking scope (one query)."""
    allocated = (
        Child.objects.filter(
            council_id__in=tracking_council_ids(user),
            stage__in=IN_PROCESS_STAGES,
            closed_on__isnull=True,
        )
        .exclude(allocated_social_worker=None)
        .values("allocated_social_worker_id")
    )
    return User.objects.filter(id__in=allocated).order_by("last_name", "first_name", "username")


def status_counts(children: QuerySet, *, today: date, table: dict) -> dict:
    """How many of these children (or households: anything annotated with ``next_over``) are
    over, due and on track: one query."""
    due = today + timedelta(days=table["due_soon"].amount)
    return children.order_by().aggregate(
        over=Count("id", filter=Q(next_over__lte=today)),
        due=Count("id", filter=Q(next_over__gt=today, next_over__lte=due)),
        on_track=Count("id", filter=Q(next_over__gt=due)),
    )


#: How many records the home page lists.
HOME_LIMIT = 20


def due_or_over(today: date, table: dict) -> Q:
    return Q(next_over__lte=today + timedelta(days=table["due_soon"].amount))


# The home page and notifications ----------------------------------------------------------------


def home_alerts(user, *, today: date) -> dict:
    """What the person's home page lists: their allocated children due or over, the households
    in their tracking scope due or over, counts for their whole scope and their unread
    notifications. Empty for roles without tracking."""
    if not access.has_role(user, access.TRACKING_ROLES):
        return {}
    table = tracking.thresholds()
    children = (
        children_in_process(user, table)
        .filter(allocated_social_worker=user)
        .filter(due_or_over(today, table))
        .select_related("council", "allocated_social_worker")
        .order_by("next_over", "id")
    )
    households = (
        households_in_process(user, table)
        .filter(due_or_over(today, table))
        .select_related("recruiting_council")
        .order_by("next_over", "reference")
    )
    return {
        "alert_children": child_rows(children[:HOME_LIMIT], today=today, table=table),
        "alert_households": household_rows(households[:HOME_LIMIT], today=today, table=table),
        "alert_thresholds": table,
        "notifications": unread_notifications(user, table=table),
    }


def unread_notifications(user, limit: int = 20, table=None) -> list[TrackingNotification]:
    """The person's unread notifications about records they may still see."""
    return recent_notifications(user, limit=limit, unread=True, table=table)


def recent_notifications(
    user, *, limit: int = 100, unread: bool = False, table=None
) -> list[TrackingNotification]:
    """The person's latest notifications about records they may still see (a child of a
    council no longer in their scope drops out), each with its threshold's label."""
    council_ids = tracking_council_ids(user)
    notes = TrackingNotification.objects.filter(user=user)
    if unread:
        notes = notes.filter(read_at__isnull=True)
    notes = (
        notes.filter(Q(child__council_id__in=council_ids) | Q(household__isnull=False))
        .select_related("child", "child__council", "household")
        .order_by("-over_from", "-id")[:limit]
    )
    table = table or tracking.thresholds()
    result = []
    for note in notes:
        threshold = table.get(note.check_code)
        note.threshold_label = threshold.label if threshold else note.check_code
        result.append(note)
    return result
