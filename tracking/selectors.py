"""Reads for the tracking list, its exports and the alerts (DOMAIN.md A.8).

Every entry point takes the person and scopes to the councils over which they hold a tracking
role. The day each threshold is passed is computed in the database (the SQL form of each rule
of :mod:`tracking.checks`) so that the status filter and "most overdue first" work on the whole
list in one query, however many children; the checks shown on each row come from the Python
form of the same rules, the same code as the child's page.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, F, Q, QuerySet

from adopters.models import Household
from adopters.querysets import child_early_link_stage
from children.models import IN_PROCESS_STAGES, Child, Stage
from children.selectors import harder_to_place
from raa import access
from raa.models import Council, User
from tracking import checks
from tracking.models import MeetingAction, TrackingMeeting, TrackingNotification, TrackingThreshold

#: Stands in for "no threshold running", so it sorts after every real date.
NEVER = checks.NEVER

#: The statuses a record on the list can have (that of its worst running check), worst first.
#: Their words are :data:`checks.STATUS_LABELS`, "due" naming the ``due_soon`` threshold's days:
#: :func:`statuses`.
STATUSES = (checks.OVER, checks.DUE, checks.ON_TRACK)
SORTS = {
    "overdue": "Most overdue first",
    "care": "Longest in care first",
    "name": "Name",
    "council": "Council, then most overdue",
    "breach": "Most likely to breach A2 first (forecast)",
}
#: What usually happens next, by stage: the meeting's "next step" column.
NEXT_STEPS = {
    Stage.WAITING: "Placement order (or consent)",
    Stage.WAITING_PO: "Link with a family",
    Stage.LINKED: "Matching panel and ADM match decision",
    Stage.MATCHED: "Introductions and placement",
    Stage.PLACED: "Adoption application and order",
}
#: The next step of a child linked early, with a household still in assessment.
EARLY_LINK_NEXT_STEP = "The household's approval (an early link), then the matching panel"
CHILD_CHECKS = [rule.code for rule in checks.CHILD_RULES]
HOUSEHOLD_CHECKS = [rule.code for rule in checks.HOUSEHOLD_RULES]
#: Each rule by its threshold's code: the list's "threshold" filter names one.
RULES_BY_CODE = {rule.code: rule for rule in (*checks.CHILD_RULES, *checks.HOUSEHOLD_RULES)}
TRACKING_STAGES = [(s.value, s.label) for s in IN_PROCESS_STAGES]


def statuses(table: dict[str, TrackingThreshold]) -> dict[str, str]:
    """:data:`STATUSES` in words, "due within" as many days as the ``due_soon`` threshold."""
    return {s: checks.status_label(s, table["due_soon"].amount) for s in STATUSES}


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
    #: Only children the latest forecast gives an even chance or more of breaching A1 or A2.
    likely_breach: bool = False
    #: one threshold (a code of :data:`CHILD_CHECKS`): the status is that threshold's
    check: str = ""

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
            likely_breach=query.get("likely") == "1",
            check=_check_from(query, CHILD_CHECKS),
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
                ("likely", "1" if self.likely_breach else ""),
                ("threshold", self.check),
            )
            if value
        ]
        return ", ".join(parts) or "no filters"


def _check_from(query, codes: list[str]) -> str:
    value = query.get("threshold", "")
    return value if value in codes else ""


def over_field(check: str) -> str:
    """The annotation a status is read from: the first day that threshold is over (``check``,
    a threshold's code) or, without one, the first day any is (``next_over``)."""
    return RULES_BY_CODE[check].over if check else "next_over"


def _status_filter(status: str, today: date, due_days: int, field: str = "next_over") -> Q:
    if status == checks.OVER:
        return Q(**{f"{field}__lte": today})
    if status == checks.DUE:
        return Q(
            **{f"{field}__gt": today, f"{field}__lte": today + timedelta(days=due_days)},
        )
    return Q(**{f"{field}__gt": today + timedelta(days=due_days)})


def _only_check(queryset: QuerySet, check: str) -> QuerySet:
    """Those whose threshold ``check`` is still running (all, without one)."""
    if not check:
        return queryset
    return queryset.filter(**{f"{over_field(check)}__isnull": False})


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
    (:data:`NEVER` if none is running): :func:`checks.annotate_over` of
    :data:`checks.CHILD_RULES`. For the alerts, which are nobody's request, the caller chooses
    the councils."""
    children = Child.objects.filter(
        checks.child_in_process_q(), council_id__in=council_ids, closed_on__isnull=True
    )
    return checks.annotate_over(children, checks.CHILD_RULES, table)


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
    children = _only_check(children, filters.check)
    if filters.status:
        children = children.filter(
            _status_filter(
                filters.status, today, table["due_soon"].amount, over_field(filters.check)
            )
        )
    # The forecast's hook (forecast.models.ForecastResult, reached by its relation name: tracking
    # never imports the forecast). Only the latest fit's rows are kept, one per child at most.
    if filters.likely_breach:
        children = children.filter(forecasts__likely_breach=True)
    order = {
        "overdue": ["next_over", "entered_care_date", "id"],
        "care": [F("entered_care_date").asc(nulls_last=True), "id"],
        "name": ["last_name", "first_name", "id"],
        "council": ["council__name", "next_over", "id"],
        "breach": [
            F("forecasts__p_breach_a2").desc(nulls_last=True),
            F("forecasts__p_breach_a1").desc(nulls_last=True),
            "next_over",
            "id",
        ],
    }[filters.sort]
    return (
        # A child linked early (with a household still in assessment): the household's stage.
        children.annotate(early_link_stage=child_early_link_stage())
        .select_related("council", "allocated_social_worker")
        .prefetch_related("forecasts")
        .order_by(*order)
    )


@dataclass
class Row:
    """One line of the tracking list: the record, its checks and the one to talk about."""

    record: object
    checks: list
    worst: checks.Check | None
    status: str
    next_step: str
    status_label: str = ""
    days_in_care: int | None = None

    def cells(self, codes: list[str]) -> list[checks.Check | None]:
        by_code = {c.code: c for c in self.checks}
        return [by_code.get(code) for code in codes]

    @property
    def nearest(self) -> str:
        """The nearest threshold in words: "12 days left", "5 days over", "over from today"."""
        days = self.days_past
        if days is None:
            return ""
        if days == 0:
            return "over from today"
        n = abs(days)
        return f"{n} day{'' if n == 1 else 's'} {'over' if days > 0 else 'left'}"

    @property
    def days_past(self) -> int | None:
        """Days past the nearest threshold (negative: days left); in words: :meth:`nearest`."""
        return -self.worst.days_left if self.worst else None


def _row(record, found: list[checks.Check], table: dict, next_step: str) -> Row:
    worst = checks.worst_open(found)
    if worst:
        status, label = worst.status, worst.status_label
    else:
        status = checks.ON_TRACK
        label = checks.status_label(status, table["due_soon"].amount)
    return Row(
        record=record,
        checks=found,
        worst=worst,
        status=status,
        status_label=label,
        next_step=next_step,
    )


def child_rows(children, *, today: date, table: dict[str, TrackingThreshold]) -> list[Row]:
    rows = []
    for child in children:
        row = _row(
            child,
            checks.child_checks(child, today=today, table=table),
            table,
            # Linked early: the match waits for the household's approval.
            EARLY_LINK_NEXT_STEP
            if getattr(child, "early_link_stage", None)
            else NEXT_STEPS.get(child.stage, ""),
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
    ``stage2_over``, ``waiting_over``) and ``next_over``, the earliest: :func:`checks.annotate_over`
    of :data:`checks.HOUSEHOLD_RULES`."""
    in_process = (
        # ``matched``: the household's first match, which the approved-and-waiting rule names.
        households.alias(matched=checks.household_matched())
        .filter(left_date__isnull=True, matched__isnull=True)
        .filter(
            Q(registration_date__isnull=False)
            | Q(approval_date__isnull=False)
            | Q(stage2_start_date__isnull=False)
        )
        # The household's derived stage, read with the list (no query per row), and whether it
        # is on hold: then the clock is stopped, as on the household's own page.
        .with_progress()
        .exclude(on_hold=True)
    )
    return checks.annotate_over(in_process, checks.HOUSEHOLD_RULES, table)


@dataclass
class HouseholdFilters:
    council_id: int | None = None
    status: str = ""
    sort: str = "overdue"
    check: str = ""  # one threshold, a code of HOUSEHOLD_CHECKS

    @classmethod
    def from_query(cls, query) -> "HouseholdFilters":
        value = query.get("council", "")
        status = query.get("status", "")
        return cls(
            council_id=int(value) if value.isdigit() else None,
            status=status if status in STATUSES else "",
            sort="name" if query.get("sort") == "name" else "overdue",
            check=_check_from(query, HOUSEHOLD_CHECKS),
        )

    def describe(self) -> str:
        parts = [
            f"council={self.council_id}" if self.council_id else "",
            self.status,
            f"threshold={self.check}" if self.check else "",
        ]
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
    households = _only_check(households, filters.check)
    if filters.status:
        households = households.filter(
            _status_filter(
                filters.status, today, table["due_soon"].amount, over_field(filters.check)
            )
        )
    order = ["reference"] if filters.sort == "name" else ["next_over", "reference"]
    # ``early_linked_since``: linked with a child while still in assessment.
    return households.with_early_link().select_related("recruiting_council").order_by(*order)


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
            checks.household_checks(h, today=today, table=table),
            table,
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


def status_counts(children: QuerySet, *, today: date, table: dict, check: str = "") -> dict:
    """How many of these children (or households: anything annotated with ``next_over``) are
    over, due and on track (against the one threshold ``check``, if given): one query."""
    due_days = table["due_soon"].amount
    field = over_field(check)
    return children.order_by().aggregate(
        **{
            status: Count("id", filter=_status_filter(status, today, due_days, field))
            for status in (checks.OVER, checks.DUE, checks.ON_TRACK)
        }
    )


@dataclass
class ThresholdCount:
    """How many children (or households) in a scope are over, and due within the warning days
    of, one threshold: a line of a manager's home page."""

    list: str  # "children" or "households": the tab of the tracking list
    code: str
    label: str
    limit: str
    over: int
    due: int

    def query(self, status: str) -> str:
        """The tracking list's query string for these records."""
        tab = "list=households&" if self.list == "households" else ""
        return f"{tab}threshold={self.code}&status={status}"

    @property
    def query_over(self) -> str:
        return self.query(checks.OVER)

    @property
    def query_due(self) -> str:
        return self.query(checks.DUE)


def threshold_counts(user, *, today: date, table: dict[str, TrackingThreshold]) -> dict:
    """For the person's tracking scope: per threshold of DOMAIN A.8, how many children in the
    process and households on their way are over it and due within the warning days (a record
    over two thresholds counts under each), the worst first (most over, then most due); and
    ``children``/``households``: how many are over or due on any (the tracking list's cards).
    Two queries.

    Working: a child whose ``care_over`` is on or before today is over "entered care to
    placed"; one whose ``care_over`` is after today and at most ``due_soon`` days on is due."""
    due_days = table["due_soon"].amount
    lines = []
    totals = {}
    for name, records, rules in (
        ("children", children_in_process(user, table), checks.CHILD_RULES),
        ("households", households_in_process(user, table), checks.HOUSEHOLD_RULES),
    ):
        found = records.order_by().aggregate(
            **{
                f"{rule.over}_{status}": Count(
                    "id", filter=_status_filter(status, today, due_days, rule.over)
                )
                for rule in rules
                for status in (checks.OVER, checks.DUE)
            },
            **{
                f"any_{status}": Count("id", filter=_status_filter(status, today, due_days))
                for status in (checks.OVER, checks.DUE)
            },
        )
        totals[name] = {"over": found["any_over"], "due": found["any_due"]}
        for rule in rules:
            threshold = table[rule.code]
            lines.append(
                ThresholdCount(
                    list=name,
                    code=rule.code,
                    label=threshold.label,
                    limit=f"{threshold.amount} {threshold.unit}",
                    over=found[f"{rule.over}_over"],
                    due=found[f"{rule.over}_due"],
                )
            )
    lines.sort(key=lambda line: (-line.over, -line.due))
    return {"lines": lines, **totals}


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
    table = checks.thresholds()
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


def unread_notification_count(user) -> int:
    """How many of the person's notifications about records they may still see are unread
    (:func:`recent_notifications`' scope): the navigation's badge. One query."""
    return (
        TrackingNotification.objects.filter(user=user, read_at__isnull=True)
        .filter(Q(child__council_id__in=tracking_council_ids(user)) | Q(household__isnull=False))
        .count()
    )


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
    table = table or checks.thresholds()
    result = []
    for note in notes:
        threshold = table.get(note.check_code)
        note.threshold_label = threshold.label if threshold else note.check_code
        result.append(note)
    return result


# Tracking meetings and their actions ------------------------------------------------------------


def meetings_visible_to(user) -> QuerySet[TrackingMeeting]:
    """Meetings about a council in the person's tracking scope, or about a whole region they
    track."""
    return TrackingMeeting.objects.filter(
        Q(council_id__in=tracking_council_ids(user))
        | Q(council__isnull=True, region_id__in=access.region_ids_for(user, access.TRACKING_ROLES))
    ).select_related("council", "created_by")


def actions_visible_to(user) -> QuerySet[MeetingAction]:
    """Actions about a child or household the person may see in tracking."""
    households = Household.objects.visible_to(user, access.TRACKING_ROLES).values("id")
    return MeetingAction.objects.filter(
        Q(child__council_id__in=tracking_council_ids(user)) | Q(household_id__in=households)
    ).select_related("owner", "done_by", "meeting", "child", "household")


def actions_by_record(actions, *, field: str) -> dict[int, list[MeetingAction]]:
    """Actions grouped by ``field`` ("child_id" or "household_id"), open ones first."""
    grouped: dict[int, list[MeetingAction]] = {}
    for action in sorted(actions, key=lambda a: (a.done_on is not None, a.due_date, a.id)):
        grouped.setdefault(getattr(action, field), []).append(action)
    return grouped


def overdue_actions_owned_by(user, *, today: date) -> QuerySet[MeetingAction]:
    """The person's own actions not done and past their date, the oldest first (still only on
    records they may see)."""
    return (
        actions_visible_to(user)
        .filter(owner=user, done_on__isnull=True, due_date__lt=today)
        .order_by("due_date", "id")
    )


def possible_owners(council: Council | None, region_id: int) -> QuerySet[User]:
    """People who can own an action about a record of this council (or of the region): active
    holders of a tracking role over it."""
    over = Q(memberships__council__isnull=True, memberships__region_id=region_id)
    if council is not None:
        over |= Q(memberships__council=council)
    return (
        User.objects.filter(
            over,
            is_active=True,
            memberships__ended_at__isnull=True,
            memberships__role__in=access.TRACKING_ROLES,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
