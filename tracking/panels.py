"""What the child and household pages show against the tracking thresholds (DOMAIN.md A.8).

Casework (``children``, ``adopters``) never imports tracking: its pages give only what they
know (a child's timeline with the clocks each step stops, a household's steps with the target
each finishes, the households a person may see) and include these panels through the
``tracking_panels`` template tags, which put them against the thresholds.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from django.db.models import QuerySet

from adopters.models import Household
from tracking import checks as tracking
from tracking.models import TrackingThreshold
from tracking.selectors import households_in_process_among

#: The household targets, in the order a household's page lists those still running.
HOUSEHOLD_TARGETS = ("household_stage1", "household_stage2", "household_approval_to_match")


def clock_checks(
    clocks: Iterable, *, today: date, table: dict[str, TrackingThreshold]
) -> list[tracking.Check]:
    """Each clock a step stops, ``(threshold code, start, end)`` (children.selectors.Clock),
    against its threshold."""
    return [
        tracking.check_against(table, code, start=start, end=end, today=today)
        for code, start, end in clocks
    ]


def household_timeline(
    steps: list[dict],
    household: Household,
    *,
    today: date,
    table: dict[str, TrackingThreshold],
    matched: date | None = None,
) -> list[dict]:
    """The household's steps (``label``, ``date``, ``closes``: the code of the target the step
    finishes, if any), each with the ``check`` of the target it finished, then the targets still
    running, counted to today (no date). ``matched``: the day of the household's first match."""
    checks = {
        check.code: check
        for check in tracking.household_checks(household, today=today, table=table, matched=matched)
    }
    rows = []
    for step in steps:
        check = checks.get(step["closes"]) if step["closes"] else None
        finished = check if check and check.done else None
        rows.append({"label": step["label"], "date": step["date"], "check": finished})
    # Targets still running are shown after the steps, counted to today.
    for code in HOUSEHOLD_TARGETS:
        check = checks.get(code)
        if check and not check.done:
            rows.append({"label": check.label, "date": None, "check": check})
    return rows


def needing_attention(
    households: QuerySet[Household], *, today: date, table: dict, limit: int | None = None
) -> list[tuple[Household, list[tracking.Check]]]:
    """Households in the process that are over, or due within the warning days of, a stage
    target (DOMAIN A.8, thresholds from the table), most overdue first (the first ``limit``),
    each with the checks that are due or over. The households and their order come from the
    database (the tracking list's in-process households, by the first day a running target is
    passed); the checks are worked out for those listed only."""
    horizon = today + timedelta(days=table["due_soon"].amount)
    found = (
        households_in_process_among(households, table)
        .filter(next_over__lte=horizon)
        .order_by("next_over", "pk")
    )
    if limit is not None:
        found = found[:limit]
    result = []
    for household in found:
        checks = [
            c
            for c in tracking.household_checks(household, today=today, table=table)
            if not c.done and c.status in (tracking.OVER, tracking.DUE)
        ]
        if checks:
            result.append((household, checks))
    return result
