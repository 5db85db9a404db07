"""Hand-written journeys for the known-answer tests: write a child's periods of care and dated
events straight to the tables (the measures must count whatever the data holds)."""

from datetime import date

from adopters.models import Household
from children.models import Child, EventKind, JourneyEvent, PeriodOfCare, SiblingGroup
from raa.models import Council, Region, User

_numbers = iter(range(1, 10**6))


def region_with_councils(name: str, *codes: str) -> tuple[Region, list[Council]]:
    region = Region.objects.create(name=name)
    return region, [
        Council.objects.create(region=region, la_code=code, name=f"Council {code}")
        for code in codes
    ]


def recorder() -> User:
    return User.objects.get_or_create(username="known-answer-recorder")[0]


def child(
    council: Council,
    *,
    entered: date | list[tuple[date, date | None]] | None,
    events: list[tuple] = (),
    born: date = date(2012, 6, 1),
    **fields,
) -> Child:
    """A child with periods of care (``entered`` a date, or ``[(entered, left), ...]``) and
    events ``(kind, date)`` or ``(kind, date, {details})``."""
    n = next(_numbers)
    record = Child.objects.create(
        council=council,
        child_id=f"K{n:06d}",
        first_name="Known",
        last_name=f"Answer{n}",
        date_of_birth=born,
        **fields,
    )
    periods = [] if entered is None else entered if isinstance(entered, list) else [(entered, None)]
    for start, left in periods:
        PeriodOfCare.objects.create(
            child=record,
            entered_care=start,
            left_care=left,
            left_care_reason="E13" if left else "",
        )
    by = recorder()
    for event in events:
        kind, day, details = (*event, {})[:3]
        details = dict(details)
        if kind == EventKind.PLACEMENT_ORDER:
            details.setdefault("authority", "placement_order")
        JourneyEvent.all_objects.create(
            child=record, kind=kind, date=day, recorded_by=by, **details
        )
    return record


def household(region: Region, council: Council | None, **dates) -> Household:
    n = next(_numbers)
    return Household.objects.create(
        region=region,
        reference=f"KA{n:05d}",
        first_applicant="Known Applicant",
        recruiting_council=council,
        **dates,
    )


def sibling_group(council: Council) -> SiblingGroup:
    return SiblingGroup.objects.create(council=council, reference=f"SG{next(_numbers)}")
