"""What the statutory returns read: one row per child or per household, for one council and a
period. Reads only; a fixed number of queries however many rows.

A child is in a return when they were in the adoption process at some time in the period: an
ADM decision on or before its end, not adopted before its start, and the plan not ended before
its start. A household is in it when its enquiry came on or before the period's end, it had not
left before the start, and it is the council's (recruited in its area, or linked, matched or
placed with one of its children).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, Prefetch, Q

from adopters.models import Household
from children.models import (
    Child,
    ClosedReason,
    EventKind,
    JourneyEvent,
    PeriodOfCare,
)
from raa.models import Council


@dataclass
class ChildRow:
    """A child's return row: the record and the journey facts the returns need."""

    child: Child
    entered_care: date | None
    family: str = ""
    ceased_reason: str = ""
    ffa_decision: date | None = None
    ffa_placement: date | None = None
    foster_carer_adoption: bool = False
    living_with_carers_since: date | None = None
    placement_provider: str = ""
    plan_ceased: date | None = None


@dataclass
class HouseholdRow:
    household: Household
    matched: date | None = None
    placed: date | None = None
    children_placed: int = 0
    adoption_order: date | None = None
    child_ids: list[int] = field(default_factory=list)


def children_in_period(council: Council, start: date, end: date) -> list[ChildRow]:
    """The council's children in the adoption process at some time from ``start`` to ``end``
    (both included), ordered by child ID, with the facts of their journeys."""
    in_process = (
        Q(adm_decision_date__lte=end)
        & ~Q(adoption_order_date__lt=start)
        & ~Q(plan_ceased_date__lt=start, plan_ceased_date__gte=F("adm_decision_date"))
    )
    children = (
        Child.objects.filter(council=council)
        .filter(in_process)
        .exclude(closed_reason=ClosedReason.DUPLICATE)
        .select_related("sibling_group")
        .prefetch_related(
            Prefetch("periods_of_care", queryset=PeriodOfCare.objects.order_by("entered_care")),
            Prefetch(
                "events",
                queryset=JourneyEvent.objects.select_related("household").order_by("date", "id"),
            ),
        )
        .order_by("child_id", "id")
    )
    return [_child_row(child) for child in children]


def _child_row(child: Child) -> ChildRow:
    events = list(child.events.all())
    placed = [e for e in events if e.kind == EventKind.PLACED]
    last_placed = placed[-1] if placed else None
    # DOMAIN A.2: entered care is the start of the period of care that holds the adoption (the
    # latest entry on or before the placed date); for a child not yet placed, the latest.
    limit = child.placed_date or child.adoption_order_date
    starts = [
        p.entered_care for p in child.periods_of_care.all() if not limit or p.entered_care <= limit
    ]
    family_event = next(
        (
            e
            for e in reversed(events)
            if e.household_id and e.kind in (EventKind.PLACED, EventKind.MATCHED, EventKind.LINKED)
        ),
        None,
    )
    ceased = [e for e in events if e.kind == EventKind.PLAN_CEASED]
    plan_ceased = (
        ceased[-1]
        if ceased and child.adm_decision_date and ceased[-1].date >= child.adm_decision_date
        else None
    )
    ffa_decisions = [e.date for e in events if e.kind == EventKind.FFA_DECISION]
    ffa_placements = [e.date for e in events if e.kind == EventKind.FFA_PLACEMENT]
    return ChildRow(
        child=child,
        entered_care=starts[-1] if starts else child.entered_care_date,
        family=family_event.household.reference if family_event else "",
        ceased_reason=plan_ceased.ceased_reason if plan_ceased else "",
        plan_ceased=plan_ceased.date if plan_ceased else None,
        ffa_decision=ffa_decisions[-1] if ffa_decisions else None,
        ffa_placement=ffa_placements[-1] if ffa_placements else None,
        foster_carer_adoption=bool(last_placed and last_placed.foster_carer_adoption),
        living_with_carers_since=last_placed.living_with_carers_since if last_placed else None,
        placement_provider=last_placed.placement_provider if last_placed else "",
    )


def households_in_period(council: Council, start: date, end: date) -> list[HouseholdRow]:
    """The council's households active at some time from ``start`` to ``end``, by reference,
    with the dates their children give them (first match, first placement, children placed,
    latest adoption order)."""
    linked = JourneyEvent.objects.filter(
        child__council=council, kind__in=("linked", "matched", "placed")
    ).values("household_id")
    households = (
        Household.objects.filter(Q(recruiting_council=council) | Q(id__in=linked))
        .filter(Q(enquiry_date__lte=end) | Q(enquiry_date__isnull=True, registration_date__lte=end))
        .exclude(left_date__lt=start)
        .select_related("recruiting_council")
        .order_by("reference")
        .distinct()
    )
    rows = {h.pk: HouseholdRow(household=h) for h in households}
    by_child: dict[int, list[int]] = defaultdict(list)
    for event in JourneyEvent.objects.filter(
        household_id__in=list(rows), kind__in=(EventKind.MATCHED, EventKind.PLACED)
    ).order_by("date", "id"):
        row = rows[event.household_id]
        if event.kind == EventKind.MATCHED and row.matched is None:
            row.matched = event.date
        if event.kind == EventKind.PLACED:
            row.placed = row.placed or event.date
            if event.child_id not in row.child_ids:
                row.child_ids.append(event.child_id)
                by_child[event.child_id].append(event.household_id)
    orders = dict(
        Child.objects.filter(pk__in=list(by_child), adoption_order_date__isnull=False).values_list(
            "pk", "adoption_order_date"
        )
    )
    for row in rows.values():
        row.children_placed = len(row.child_ids)
        dates = [orders[c] for c in row.child_ids if c in orders]
        row.adoption_order = max(dates) if dates else None
    # Households adopted-from before the period began are no longer active in it.
    return [
        row
        for row in rows.values()
        if not (row.adoption_order and row.adoption_order < start and not row.household.left_date)
    ]
