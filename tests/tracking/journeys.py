"""Small hand-written journeys for the tracking list, alerts and dashboard tests.

Dates are given as days before today, so a test reads "entered care 500 days ago" and the
statuses it expects hold whatever day the suite runs.
"""

from datetime import date, timedelta

from django.utils import timezone

from adopters.models import Household
from children.models import Authority, Child, EventKind, JourneyEvent, PeriodOfCare
from children.services import refresh_journey_summaries


def today() -> date:
    return timezone.localdate()


def ago(days: int | None) -> date | None:
    return None if days is None else today() - timedelta(days=days)


def make_child(
    council,
    recorded_by,
    child_id: str,
    *,
    entered: int,
    adm: int,
    order: int | None = None,
    linked: int | None = None,
    matched: int | None = None,
    placed: int | None = None,
    adopted: int | None = None,
    worker=None,
    household=None,
    **fields,
) -> Child:
    """A child whose journey steps happened the given numbers of days ago."""
    child = Child.objects.create(
        council=council,
        child_id=child_id,
        first_name="Track",
        last_name=f"Test{child_id}",
        date_of_birth=ago(entered + 400),
        allocated_social_worker=worker,
        **fields,
    )
    PeriodOfCare.objects.create(child=child, entered_care=ago(entered))
    steps = [
        (EventKind.ADM_DECISION, adm, {}),
        (EventKind.PLACEMENT_ORDER, order, {"authority": Authority.PLACEMENT_ORDER}),
        (EventKind.LINKED, linked, {"household": household}),
        (EventKind.MATCHED, matched, {"household": household}),
        (EventKind.PLACED, placed, {"household": household}),
        (EventKind.ADOPTION_ORDER, adopted, {"household": household}),
    ]
    for kind, days, extra in steps:
        if days is not None:
            JourneyEvent.objects.create(
                child=child, kind=kind, date=ago(days), recorded_by=recorded_by, **extra
            )
    refresh_journey_summaries(Child.objects.filter(pk=child.pk))
    child.refresh_from_db()
    return child


def make_household(region, reference: str, *, council=None, **days) -> Household:
    """A household whose dates are the given numbers of days ago (``registration=100``)."""
    fields = {f"{name}_date": ago(value) for name, value in days.items()}
    return Household.objects.create(
        region=region,
        reference=reference,
        first_applicant=f"Applicant {reference}",
        recruiting_council=council,
        **fields,
    )
