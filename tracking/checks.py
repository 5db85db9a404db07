"""Where a child or household stands against the tracking thresholds of DOMAIN.md A.8.

Each check is **on track**, **due within 30 days** (the ``due_soon`` threshold) or **over**; a
step that has happened is **met** or **over**. Thresholds are data (:class:`TrackingThreshold`),
read once per page.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from raa.dates import add_months
from tracking.models import ThresholdUnit, TrackingThreshold
from tracking.reference import TRACKING_THRESHOLDS

ON_TRACK = "on_track"
DUE = "due"
OVER = "over"
MET = "met"
STATUS_LABELS = {ON_TRACK: "On track", DUE: "Due within {due} days", OVER: "Over", MET: "Met"}


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


def over_from(start: date, threshold: TrackingThreshold) -> date:
    """The first day past the threshold. A days threshold is met up to and including
    ``start + amount`` days (A1 passes "at or below"); a months threshold is met only *less than*
    N months after the start (A.1), so the day N months on is already over."""
    if threshold.unit == ThresholdUnit.MONTHS:
        return add_months(start, threshold.amount)
    return start + timedelta(days=threshold.amount + 1)


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
        status_label=STATUS_LABELS[status].format(due=due_days),
    )


def check_against(
    table: dict[str, TrackingThreshold], code: str, *, start: date, end: date | None, today: date
) -> Check:
    """:func:`check` against the threshold ``code`` of ``table``, warning ``due_soon`` ahead."""
    return check(table[code], start=start, end=end, today=today, due_days=table["due_soon"].amount)


def child_checks(child, *, today: date, table: dict[str, TrackingThreshold]) -> list[Check]:
    """The A.8 checks for a child in the adoption process (ADM decision in force, not adopted),
    from the child's journey summary. Empty for anyone else."""
    from children.models import IN_PROCESS_STAGES

    if child.stage not in IN_PROCESS_STAGES or child.adm_decision_date is None:
        return []
    matched = child.matched_date if child.stage in ("matched", "placed") else None
    placed = child.placed_date if child.stage == "placed" else None
    checks = []
    if child.entered_care_date:
        checks.append(
            check_against(
                table,
                "child_care_to_placed",
                start=child.entered_care_date,
                end=placed,
                today=today,
            )
        )
    if child.placement_order_date:
        checks.append(
            check_against(
                table,
                "child_order_to_match",
                start=child.placement_order_date,
                end=max(matched, child.placement_order_date) if matched else None,
                today=today,
            )
        )
    checks.append(
        check_against(
            table,
            "child_decision_to_match",
            start=child.adm_decision_date,
            end=matched,
            today=today,
        )
    )
    return checks


def household_checks(
    household, *, today: date, table: dict[str, TrackingThreshold], matched: date | None = None
) -> list[Check]:
    """The A.8 checks for a household: Stage 1 (registration to the end of Stage 1; without an
    end date, Stage 1 is over once Stage 2 starts or the household is approved), Stage 2 (start
    of Stage 2 to approval) and approved and waiting to be matched (approval to ``matched``,
    still running while ``matched`` is None). A household that has left shows only the checks
    it finished. The one definition for the household's page, the home page and the tracking
    list."""
    checks = []
    left = household.left_date
    approved = household.approval_date
    if household.registration_date:
        stage1_end = household.stage1_end_date or household.stage2_start_date or approved
        if stage1_end or not left:
            checks.append(
                check_against(
                    table,
                    "household_stage1",
                    start=household.registration_date,
                    end=stage1_end,
                    today=today,
                )
            )
    if household.stage2_start_date and (approved or not left):
        checks.append(
            check_against(
                table,
                "household_stage2",
                start=household.stage2_start_date,
                end=approved,
                today=today,
            )
        )
    if approved and (matched or not left):
        checks.append(
            check_against(
                table, "household_approval_to_match", start=approved, end=matched, today=today
            )
        )
    return checks


STATUS_RANK = {OVER: 3, DUE: 2, ON_TRACK: 1, MET: 0}


def worst_open(checks: list[Check]) -> Check | None:
    """The running check nearest to (or furthest past) its threshold: what a tracking meeting
    talks about first. None when nothing is running."""
    running = [c for c in checks if not c.done]
    return min(running, key=lambda c: c.over_from) if running else None
