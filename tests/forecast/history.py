"""Synthetic journeys for the forecast tests, written in bulk: older children and sibling
groups wait longer for a match and more often see their plan change (as in the demo data), so
a model with covariates has something to find."""

import random
from datetime import date, timedelta

from children.models import Child, EventKind, JourneyEvent, PeriodOfCare, SiblingGroup
from children.services import refresh_journey_summaries


def make_history(world, *, count: int, end: date, seed: int = 7, prefix: str = "F") -> list[Child]:
    """``count`` children over councils A and B with journeys starting over the six years
    before ``end``, each cut at ``end``. Returns them."""
    rng = random.Random(seed)
    by = world.user("social_worker", "region")
    children, periods, events = [], [], []
    groups = {
        code: SiblingGroup.objects.get_or_create(
            council=world.councils[code], reference=f"{prefix}SG{code}"
        )[0]
        for code in "AB"
    }
    plans = []
    for i in range(count):
        council = "A" if i % 2 else "B"
        older = rng.random() < 0.4
        sibling = rng.random() < 0.2
        entered = end - timedelta(days=rng.randint(200, 6 * 365))
        age = rng.randint(6 * 365, 10 * 365) if older else rng.randint(30, 3 * 365)
        child = Child(
            council=world.councils[council],
            child_id=f"{prefix}{i:05d}",
            first_name="Test",
            last_name=f"Forecast{i}",
            date_of_birth=entered - timedelta(days=age),
            sex=rng.choice("MF"),
            ethnicity=rng.choice(["WBRI", "WBRI", "MWBC", "BAFR"]),
            disabled=rng.random() < 0.1,
            sibling_group=groups[council] if sibling else None,
        )
        children.append(child)
        hard = older or sibling
        adm = entered + timedelta(days=rng.randint(100, 250))
        po = adm + timedelta(days=rng.randint(20, 120))
        wait = rng.expovariate(1 / (400 if hard else 120))
        ceases = rng.random() < (0.25 if hard else 0.05)
        plans.append((child, entered, adm, po, wait, ceases))
    Child.objects.bulk_create(children)
    for child, entered, adm, po, wait, ceases in plans:
        periods.append(PeriodOfCare(child=child, entered_care=entered))

        def add(kind, day, **extra):
            if day <= end:
                events.append(
                    JourneyEvent(child=child, kind=kind, date=day, recorded_by=by, **extra)
                )

        add(EventKind.ADM_DECISION, adm)
        add(EventKind.PLACEMENT_ORDER, po, authority="placement_order")
        outcome = adm + timedelta(days=int(wait) + 1)
        if ceases:
            add(EventKind.PLAN_CEASED, outcome, ceased_reason="RD3")
        else:
            add(EventKind.MATCHED, max(outcome, po))
            placed = max(outcome, po) + timedelta(days=rng.randint(5, 30))
            add(EventKind.PLACED, placed)
            add(EventKind.ADOPTION_ORDER, placed + timedelta(days=rng.randint(120, 300)))
    PeriodOfCare.objects.bulk_create(periods)
    JourneyEvent.objects.bulk_create(events)
    refresh_journey_summaries(Child.objects.filter(pk__in=[c.pk for c in children]))
    return children
