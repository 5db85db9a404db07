"""Run every measure family for a set of periods and councils and finalise the figures.

The families return raw, additive figures per council; a region's figures are the sum of its
councils' (plus, for adopters, the households recruited by none of them).
"""

from collections import defaultdict
from dataclasses import dataclass

from scorecard.measures import MEASURES, add, finalise, raw
from scorecard.measures.adopters import adopters
from scorecard.measures.journeys import activity, scorecard, timeline, waiting
from scorecard.periods import Period

CHILD_FAMILIES = (scorecard, activity, waiting, timeline)


@dataclass(frozen=True)
class ThresholdRow:
    """A threshold row as the engine reads it (model rows or shipped values)."""

    first_year: int
    a1_days: int
    a2_days: int
    a3_months: int

    def for_measure(self, code: str):
        key = MEASURES[code].threshold
        return getattr(self, key) if key else None


def threshold_rows():
    """The threshold table, oldest first: one query; shipped values if the table is empty."""
    from scorecard.models import ScorecardThreshold
    from scorecard.reference import SCORECARD_THRESHOLDS

    rows = [
        ThresholdRow(t.first_year, t.a1_days, t.a2_days, t.a3_months)
        for t in ScorecardThreshold.objects.order_by("first_year")
    ]
    return rows or [ThresholdRow(*row) for row in SCORECARD_THRESHOLDS]


def threshold_for(period: Period, rows: list[ThresholdRow]) -> ThresholdRow:
    """The row for the scorecard window that ends with the period's last financial year: the
    latest row starting on or before that window (the earliest row for older windows)."""
    from scorecard.periods import fy_of

    window_start = fy_of(period.end) - 2
    chosen = rows[0]
    for row in rows:
        if row.first_year <= window_start:
            chosen = row
    return chosen


def empty_figures() -> dict:
    return {code: raw() for code in MEASURES}


def compute_raw(
    periods: list[Period], thresholds: list[ThresholdRow], *, council_ids=None, region_ids=None
) -> dict:
    """``{(council_id or None, period_index): {code: raw}}`` for every council asked for (all
        when ``council_ids`` is None) and, for adopters, households recruited by no partner council
        in ``region_ids`` (all when None; key ``("region", region_id)``). Adopters are counted for
    every council of ``region_ids`` whatever ``council_ids`` says. One query per family."""
    out: dict = defaultdict(empty_figures)
    for family in CHILD_FAMILIES:
        for key, figures in family(periods, thresholds, council_ids).items():
            out[key].update(figures)
    for key, figures in adopters(periods, thresholds, region_ids=region_ids).items():
        out[key].update(figures)
    return out


def finalise_all(figures: dict, threshold: ThresholdRow) -> dict:
    return {
        code: finalise(code, figures.get(code), threshold.for_measure(code)) for code in MEASURES
    }


def add_all(a: dict, b: dict, sign: int = 1) -> dict:
    return {code: add(a.get(code), b.get(code), sign) for code in MEASURES}
