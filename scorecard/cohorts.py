"""The cohort comparison of DOMAIN.md A.7: children placed before a chosen date against those
placed after it, side by side.

The dates are the user's choice, so nothing is stored: the figures come from the engine's
definition (:func:`scorecard.measures.journeys.cohort_comparison`, one aggregate query). The
"after" cohort runs from the chosen date to today; the "before" cohort covers as many days
before it, so the two are comparable.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from scorecard.measures import mean_days, percentage
from scorecard.measures.journeys import cohort_comparison
from scorecard.reference import A3_MONTHS_FALLBACK

#: The thresholds the dashboard's cohort comparison opens with (DOMAIN.md A.7, normative): "placed
#: in less than N months" defaults to A3's N for the latest window (the dashboard passes it in;
#: this fallback is A3's when no window is stored), "less than M months from the placement order
#: to placed" to 12. The manager may choose others (:class:`scorecard.forms.CohortForm`), such as
#: the seed's own table's 21 months, within the bounds.
DEFAULT_IN_CARE_MONTHS = A3_MONTHS_FALLBACK
DEFAULT_ORDER_MONTHS = 12
THRESHOLD_MONTHS_MIN = 1
THRESHOLD_MONTHS_MAX = 60


@dataclass
class Cohort:
    label: str
    start: date
    end: date
    children: int
    mean_days_to_placed: int | None
    placed_within_n_pct: float | None
    placed_within_n: int
    mean_days_to_adm: int | None
    with_order: int
    placed_within_m_of_order_pct: float | None


def cohort_dates(pivot: date, today: date) -> tuple[date, date]:
    """The first and last day of the placements compared: from ``pivot`` to today after it, as
    many days before it."""
    after_end = max(today, pivot)
    span = (after_end - pivot).days + 1
    return pivot - timedelta(days=span), after_end


def compare_cohorts(
    *,
    council_ids,
    pivot: date,
    today: date,
    within_months: int,
    order_months: int = DEFAULT_ORDER_MONTHS,
) -> tuple[Cohort, Cohort]:
    """(before, after) for the children of these councils placed around ``pivot``."""
    before_start, after_end = cohort_dates(pivot, today)
    ids = sorted(council_ids)
    empty = (
        Cohort(
            "Placed before",
            before_start,
            pivot - timedelta(days=1),
            0,
            None,
            None,
            0,
            None,
            0,
            None,
        ),
        Cohort("Placed from", pivot, after_end, 0, None, None, 0, None, 0, None),
    )
    if not ids:
        return empty
    # The engine's definition (one query, per placement, A.7), so the dashboard, the board
    # report and the known-answer tests all use the same figures.
    sides = cohort_comparison(
        split=pivot,
        n_months=within_months,
        m_months=order_months,
        council_ids=ids,
        start=before_start,
        end=after_end,
    )
    out = []
    for template, side in zip(empty, ("before", "after"), strict=True):
        figures = sides[side]
        if not figures:
            out.append(template)
            continue
        placed, within = figures["placed"], figures["placed_n_months"]
        adm, order = figures["adm"], figures["po_m_months"]
        out.append(
            Cohort(
                template.label,
                template.start,
                template.end,
                placed["denominator"],
                mean_days(placed["sum"], placed["denominator"]),
                percentage(within["numerator"], within["denominator"]),
                within["numerator"],
                mean_days(adm["sum"], adm["denominator"]),
                order["denominator"],
                percentage(order["numerator"], order["denominator"]),
            )
        )
    return out[0], out[1]
