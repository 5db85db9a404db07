"""The journey step's two check constraints, tested in Python before a save (to spare a query
each), refuse what the database refuses, with the constraint's own message."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from children.models import EventKind, JourneyEvent, PeriodOfCare
from raa.models import Role


def step(world, **fields) -> JourneyEvent:
    return JourneyEvent(
        child=world.child_a, recorded_by=world.user(Role.SOCIAL_WORKER, "A"), **fields
    )


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"kind": EventKind.PLAN_CEASED, "date": date(2022, 5, 1)}, "RD1 to RD4"),
        (
            {
                "kind": EventKind.PLACED,
                "date": date(2022, 5, 1),
                "living_with_carers_since": date(2022, 5, 2),
            },
            "after the date placed",
        ),
    ],
)
def test_python_and_the_database_refuse_the_same_steps(world, fields, words):
    event = step(world, **fields)
    with pytest.raises(ValidationError) as refused:
        event.full_clean()
    assert words in " ".join(refused.value.messages)
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


def test_a_step_that_keeps_the_constraints_passes(world):
    step(
        world,
        kind=EventKind.PLAN_CEASED,
        date=date(2022, 5, 1),
        ceased_reason="RD1",
    ).full_clean()
    step(
        world,
        kind=EventKind.PLACED,
        date=date(2022, 5, 1),
        living_with_carers_since=date(2022, 5, 1),
    ).full_clean()


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"left_care": date(2020, 1, 1)}, "Give both"),
        ({"left_care_reason": "E13"}, "Give both"),
        ({"left_care": date(2019, 1, 1), "left_care_reason": "E13"}, "before the date"),
    ],
)
def test_periods_of_care_too(world, fields, words):
    period = PeriodOfCare(child=world.child_a, entered_care=date(2019, 6, 1), **fields)
    with pytest.raises(ValidationError) as refused:
        period.full_clean()
    assert words in " ".join(refused.value.messages)
    with pytest.raises(IntegrityError), transaction.atomic():
        period.save()
