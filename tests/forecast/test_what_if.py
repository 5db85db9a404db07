"""Known-answer tests for the what-if: hand-worked windows through the scorecard's own measure
code, with hypothetical steps that are written nowhere."""

from datetime import date

from children.models import Child, EventKind, JourneyEvent, PeriodOfCare
from forecast.projection import what_if, window_figures
from scorecard.periods import window

WINDOW = window(2021)  # 1 April 2021 to 31 March 2024


def _child(world, child_id, *, entered, po, match=None, placed=None, ao=None) -> Child:
    by = world.user("social_worker", "A")
    child = Child.objects.create(
        council=world.councils["A"],
        child_id=child_id,
        first_name="Known",
        last_name="Answer",
        date_of_birth=date(2020, 1, 1),
    )
    PeriodOfCare.objects.create(child=child, entered_care=entered)
    steps = [(EventKind.ADM_DECISION, date(2021, 10, 1)), (EventKind.PLACEMENT_ORDER, po)]
    steps += [(EventKind.MATCHED, match), (EventKind.PLACED, placed)]
    steps += [(EventKind.ADOPTION_ORDER, ao)]
    for kind, day in steps:
        if day:
            extra = {"authority": "placement_order"} if kind == EventKind.PLACEMENT_ORDER else {}
            JourneyEvent.objects.create(child=child, kind=kind, date=day, recorded_by=by, **extra)
    return child


def test_one_more_match_moves_a2_and_a1_by_the_hand_worked_figures(world):
    councils = [world.councils["A"].pk]
    # X: order 1 Jan 2022, match 1 May 2022: A2 = 31 + 28 + 31 + 30 = 120 days;
    #    entered care 1 Jun 2021, placed 1 Jun 2022: A1 = 365 days; adopted 10 Jan 2023.
    _child(
        world,
        "KX",
        entered=date(2021, 6, 1),
        po=date(2022, 1, 1),
        match=date(2022, 5, 1),
        placed=date(2022, 6, 1),
        ao=date(2023, 1, 10),
    )
    # Y: order 1 Jan 2022, match 1 Jul 2022: A2 = 120 + 31 + 30 = 181 days;
    #    entered 1 Jun 2021, placed 1 Aug 2022: A1 = 365 + 31 + 30 = 426 days; adopted 1 Mar 2023.
    _child(
        world,
        "KY",
        entered=date(2021, 6, 1),
        po=date(2022, 1, 1),
        match=date(2022, 7, 1),
        placed=date(2022, 8, 1),
        ao=date(2023, 3, 1),
    )
    # Z is waiting: order 1 Jan 2022, entered 1 Jun 2021, no match.
    z = _child(world, "KZ", entered=date(2021, 6, 1), po=date(2022, 1, 1))
    before = window_figures(WINDOW, councils)
    # Before: A2 = (120 + 181) / 2 = 150.5, halves away from zero: 151.
    #         A1 = (365 + 426) / 2 = 395.5: 396.
    assert before["A2"]["value"] == 151
    assert before["A1"]["value"] == 396
    assert before["A2"]["denominator"] == 2
    # What if Z had been matched on 2 Mar 2022 (31 + 28 + 1 = 60 days after the order),
    # placed on 1 Apr 2022 (entered 1 Jun 2021: 365 - 61 = 304 days) and adopted 1 Feb 2023:
    # A2 = (120 + 181 + 60) / 3 = 361 / 3 = 120.33: 120, down 31 days.
    # A1 = (365 + 426 + 304) / 3 = 1095 / 3 = 365.
    # A3 (under 14 months): X 12 months yes, Y 14 months no, Z 10 months yes: 2 of 3 = 66.7%.
    answer = what_if(
        period=WINDOW,
        council_ids=councils,
        children=[(z.pk, date(2022, 3, 2), date(2022, 4, 1), date(2023, 2, 1))],
        placed_lag=20,
        ao_lag=200,
    )
    assert answer["before"]["A2"]["value"] == 151
    assert answer["after"]["A2"]["value"] == 120
    assert answer["after"]["A2"]["value"] - answer["before"]["A2"]["value"] == -31
    assert answer["after"]["A1"]["value"] == 365
    assert answer["before"]["A3"]["value"] == 50.0  # X yes, Y no: 1 of 2
    assert answer["after"]["A3"]["value"] == 66.7
    # Stored nowhere: Z still has no match, and the window reads as before.
    assert not JourneyEvent.objects.filter(child=z, kind=EventKind.MATCHED).exists()
    assert window_figures(WINDOW, councils) == before


def test_a_match_whose_adoption_falls_after_the_window_changes_nothing(world):
    councils = [world.councils["A"].pk]
    _child(
        world,
        "KX",
        entered=date(2021, 6, 1),
        po=date(2022, 1, 1),
        match=date(2022, 5, 1),
        placed=date(2022, 6, 1),
        ao=date(2023, 1, 10),
    )
    z = _child(world, "KZ", entered=date(2021, 6, 1), po=date(2022, 1, 1))
    # Matched 1 Feb 2024, placed 20 days later, adopted 200 days after that (September 2024):
    # the adoption order is outside the window, so Z is not in its cohort; A2 stays 120.
    answer = what_if(
        period=WINDOW,
        council_ids=councils,
        children=[(z.pk, date(2024, 2, 1), None, None)],
        placed_lag=20,
        ao_lag=200,
    )
    assert answer["before"]["A2"]["value"] == answer["after"]["A2"]["value"] == 120
