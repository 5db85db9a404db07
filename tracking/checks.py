"""Where a child or household stands against the tracking thresholds of DOMAIN.md A.8.

Each check is **on track**, **due within N days** (N is the ``due_soon`` threshold) or
**over**; a step that has happened is **met** or **over**. Thresholds are data
(:class:`TrackingThreshold`), read once per page.

Each A.8 rule is written once, as a :class:`Rule` in :data:`CHILD_RULES` or
:data:`HOUSEHOLD_RULES`: the date its clock starts from, the dates that stop it, and when those
count. Both forms come from that one line and sit side by side in :class:`Rule`:

* the **Python** form (:meth:`Rule.check`) gives the :class:`Check` a page shows for one record
  (:func:`child_checks`, :func:`household_checks`);
* the **SQL** form (:meth:`Rule.running_q`, :meth:`Rule.over_sql`) gives, for a whole list in
  one query, the first day each running check is over (:func:`annotate_over`), so lists filter
  and sort on it (:mod:`tracking.selectors`).

``tests/tracking/test_checks_python_sql_agree.py`` holds the two forms to each other over the
same journeys.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Least

from children.models import IN_PROCESS_STAGES, JourneyEvent
from raa.dates import add_months
from tracking.models import ThresholdUnit, TrackingThreshold
from tracking.reference import TRACKING_THRESHOLDS
from tracking.sql_dates import AddDays, AddMonths

ON_TRACK = "on_track"
DUE = "due"
OVER = "over"
MET = "met"
STATUS_LABELS = {ON_TRACK: "On track", DUE: "Due within {due} days", OVER: "Over", MET: "Met"}
#: Stands in for "no threshold running" in SQL, so it sorts after every real date.
NEVER = date(9999, 12, 31)


def status_label(status: str, due_days: int) -> str:
    """The words for a status, the warning days taken from the ``due_soon`` threshold."""
    return STATUS_LABELS[status].format(due=due_days)


@dataclass(frozen=True)
class Check:
    code: str
    label: str
    start: date
    end: date  # the date the step happened, or today while waiting
    done: bool
    days: int
    limit: str  # "426 days", "3 months"
    over_from: date  # the first day that counts as over
    status: str
    status_label: str

    @property
    def days_left(self) -> int:
        return (self.over_from - self.end).days


def thresholds() -> dict[str, TrackingThreshold]:
    """All tracking thresholds by code: one query. A threshold missing from the table takes its
    shipped value, so a page never fails for want of a row."""
    table = {t.code: t for t in TrackingThreshold.objects.all()}
    for code, label, amount, unit in TRACKING_THRESHOLDS:
        table.setdefault(code, TrackingThreshold(code=code, label=label, amount=amount, unit=unit))
    return table


# The first day over: Python and SQL -------------------------------------------------------------


def over_from(start: date, threshold: TrackingThreshold) -> date:
    """The first day past the threshold. A days threshold is met up to and including
    ``start + amount`` days (A1 passes "at or below"); a months threshold is met only *less than*
    N months after the start (A.1), so the day N months on is already over."""
    if threshold.unit == ThresholdUnit.MONTHS:
        return add_months(start, threshold.amount)
    return start + timedelta(days=threshold.amount + 1)


def passed_on(field: str, threshold: TrackingThreshold):
    """SQL: :func:`over_from` of the date in column ``field``."""
    if threshold.unit == ThresholdUnit.MONTHS:
        return AddMonths(F(field), threshold.amount)
    return AddDays(F(field), threshold.amount + 1)


def check(
    threshold: TrackingThreshold,
    *,
    start: date,
    end: date | None,
    today: date,
    due_days: int,
) -> Check:
    """How the time from ``start`` to ``end`` (not happened yet: ``None``, counted to today)
    compares with ``threshold``."""
    done = end is not None
    stop = end if done else today
    first_over = over_from(start, threshold)
    if stop >= first_over:
        status = OVER
    elif done:
        status = MET
    elif (first_over - stop).days <= due_days:
        status = DUE
    else:
        status = ON_TRACK
    return Check(
        code=threshold.code,
        label=threshold.label,
        start=start,
        end=stop,
        done=done,
        days=(stop - start).days,
        limit=f"{threshold.amount} {threshold.unit}",
        over_from=first_over,
        status=status,
        status_label=status_label(status, due_days),
    )


def check_against(
    table: dict[str, TrackingThreshold], code: str, *, start: date, end: date | None, today: date
) -> Check:
    """:func:`check` against the threshold ``code`` of ``table``, warning ``due_soon`` ahead."""
    return check(table[code], start=start, end=end, today=today, due_days=table["due_soon"].amount)


# The rules ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One A.8 check, written once. Its clock starts on the date ``start``. The step it waits
    for happened on the first of the dates ``ends`` that is set, counted only while the record's
    ``stage`` is one of ``ends_in`` (when given; a child's match before a disruption does not
    stop the clock). While the step has not happened the check is *running*; with ``until`` set
    (a household's ``left_date``) a check that had not finished by then is not shown at all.

    A name in ``ends`` that is not a column of the record is *given*: by the caller in Python
    (``household_checks(..., matched=...)``), as an alias of the query in SQL
    (:func:`household_matched`)."""

    code: str  # the TrackingThreshold
    over: str  # the SQL annotation: the first day over while running, else null
    heading: str  # the column heading in the lists and exports
    start: str
    ends: tuple[str, ...]
    ends_in: tuple[str, ...] = ()
    until: str | None = None
    #: an end before the start (a match under an earlier order) is shown as the start
    not_before_start: bool = False

    # Python: one record -------------------------------------------------------------------------

    def end(self, record, given: dict) -> date | None:
        """The day the step happened, or None while it is waited for."""
        if self.ends_in and record.stage not in self.ends_in:
            return None
        for name in self.ends:
            value = given[name] if name in given else getattr(record, name)
            if value is not None:
                return value
        return None

    def check(self, record, *, today: date, table: dict, **given) -> Check | None:
        """The record's :class:`Check`, or None where the rule does not apply."""
        start = getattr(record, self.start)
        if start is None:
            return None
        end = self.end(record, given)
        if end is None and self.until and getattr(record, self.until) is not None:
            return None
        if end is not None and self.not_before_start:
            end = max(end, start)
        return check_against(table, self.code, start=start, end=end, today=today)

    # SQL: a whole list --------------------------------------------------------------------------

    def ended_q(self) -> Q:
        """SQL: the step has happened (:meth:`end` is set)."""
        happened = Q()
        for name in self.ends:
            happened |= Q(**{f"{name}__isnull": False})
        if self.ends_in:
            happened &= Q(stage__in=self.ends_in)
        return happened

    def running_q(self) -> Q:
        """SQL: the check is shown and still running (:meth:`check` gives one not done)."""
        running = Q(**{f"{self.start}__isnull": False}) & ~self.ended_q()
        if self.until:
            running &= Q(**{f"{self.until}__isnull": True})
        return running

    def over_sql(self, table: dict[str, TrackingThreshold]) -> Case:
        """SQL: the first day the running check is over (its ``over_from``), null when it is not
        running."""
        return Case(When(self.running_q(), then=passed_on(self.start, table[self.code])))


MATCHED_OR_PLACED = ("matched", "placed")

#: A.8, per child in the process.
CHILD_RULES = (
    # Days since entering care until placed for adoption, against A1.
    Rule(
        "child_care_to_placed",
        over="care_over",
        heading="Entered care to placed",
        start="entered_care_date",
        ends=("placed_date",),
        ends_in=("placed",),
    ),
    # Days since the placement order without a match, against A2.
    Rule(
        "child_order_to_match",
        over="order_over",
        heading="Placement order to match",
        start="placement_order_date",
        ends=("matched_date",),
        ends_in=MATCHED_OR_PLACED,
        not_before_start=True,
    ),
    # Months since the ADM decision without a match (a national referral is due).
    Rule(
        "child_decision_to_match",
        over="decision_over",
        heading="ADM decision to match",
        start="adm_decision_date",
        ends=("matched_date",),
        ends_in=MATCHED_OR_PLACED,
    ),
)

#: A.8, per household. Stage 1 ends with its end date or, without one, once Stage 2 starts or
#: the household is approved; approved and waiting runs until the household's first match
#: (``matched``, given).
HOUSEHOLD_RULES = (
    Rule(
        "household_stage1",
        over="stage1_over",
        heading="Stage 1",
        start="registration_date",
        ends=("stage1_end_date", "stage2_start_date", "approval_date"),
        until="left_date",
    ),
    Rule(
        "household_stage2",
        over="stage2_over",
        heading="Stage 2",
        start="stage2_start_date",
        ends=("approval_date",),
        until="left_date",
    ),
    Rule(
        "household_approval_to_match",
        over="waiting_over",
        heading="Approved to match",
        start="approval_date",
        ends=("matched",),
        until="left_date",
    ),
)


# Who is in the process: Python and SQL ----------------------------------------------------------


def child_in_process(child) -> bool:
    """A child in the adoption process: ADM decision in force, not adopted."""
    return child.stage in IN_PROCESS_STAGES and child.adm_decision_date is not None


def child_in_process_q() -> Q:
    """SQL: :func:`child_in_process`."""
    return Q(stage__in=IN_PROCESS_STAGES, adm_decision_date__isnull=False)


def household_matched():
    """SQL: the ``matched`` a household rule names, the first day the household was matched
    with (or placed with) a child; null if never. For ``queryset.alias(matched=...)``."""
    first = JourneyEvent.objects.filter(
        household=OuterRef("pk"), kind__in=MATCHED_OR_PLACED
    ).order_by("date")
    return Subquery(first.values("date")[:1])


# The checks of one record (Python) and the annotations of a list (SQL) ------------------------


def _found(rules, record, *, today: date, table: dict, **given) -> list[Check]:
    found = (rule.check(record, today=today, table=table, **given) for rule in rules)
    return [c for c in found if c is not None]


def child_checks(child, *, today: date, table: dict[str, TrackingThreshold]) -> list[Check]:
    """The A.8 checks for a child in the adoption process (ADM decision in force, not adopted),
    from the child's journey summary. Empty for anyone else."""
    if not child_in_process(child):
        return []
    return _found(CHILD_RULES, child, today=today, table=table)


def household_checks(
    household, *, today: date, table: dict[str, TrackingThreshold], matched: date | None = None
) -> list[Check]:
    """The A.8 checks for a household: Stage 1 (registration to the end of Stage 1; without an
    end date, Stage 1 is over once Stage 2 starts or the household is approved), Stage 2 (start
    of Stage 2 to approval) and approved and waiting to be matched (approval to ``matched``,
    still running while ``matched`` is None). A household that has left shows only the checks
    it finished. The one definition for the household's page, the home page and the tracking
    list."""
    return _found(HOUSEHOLD_RULES, household, today=today, table=table, matched=matched)


def annotate_over(queryset: QuerySet, rules, table: dict[str, TrackingThreshold]) -> QuerySet:
    """SQL: annotate each record with the first day each rule's running check is over (the
    rule's ``over``, null when not running) and ``next_over``, the earliest of them
    (:data:`NEVER` if none is running)."""
    never = Value(NEVER)
    return queryset.annotate(**{rule.over: rule.over_sql(table) for rule in rules}).annotate(
        next_over=Least(*(Coalesce(F(rule.over), never) for rule in rules))
    )


STATUS_RANK = {OVER: 3, DUE: 2, ON_TRACK: 1, MET: 0}


def worst_open(found: list[Check]) -> Check | None:
    """The running check nearest to (or furthest past) its threshold: what a tracking meeting
    talks about first. None when nothing is running."""
    running = [c for c in found if not c.done]
    return min(running, key=lambda c: c.over_from) if running else None
