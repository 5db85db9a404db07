"""The cohort comparison of DOMAIN.md A.7: children placed before a chosen date against those
placed after it, side by side.

The dates are the user's choice, so nothing is stored: one aggregate query in the database
(the SQL dialect helpers of the scorecard engine, :mod:`scorecard.measures.sql`). The "after"
cohort runs from the chosen date to today; the "before" cohort covers as many days before it,
so the two are comparable.

Each child counts with their journey summary (the latest placement and the period of care it
falls in), the same dates the children's pages show.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from scorecard.measures import round_half_away
from scorecard.measures.sql import Dialect, run_dicts

DEFAULT_ORDER_MONTHS = 12


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


def _mean(total, count) -> int | None:
    if not count:
        return None
    # Halves away from zero (A.1); every sum here is of non-negative days.
    return int((2 * total + count) // (2 * count))


def _pct(part, whole) -> float | None:
    if not whole:
        return None
    return float(round_half_away(Decimal(100 * part) / Decimal(whole), "0.1"))


def compare_cohorts(
    *,
    council_ids,
    pivot: date,
    today: date,
    within_months: int,
    order_months: int = DEFAULT_ORDER_MONTHS,
) -> tuple[Cohort, Cohort]:
    """(before, after) for the children of these councils placed around ``pivot``."""
    after_end = max(today, pivot)
    span = (after_end - pivot).days + 1
    before_start = pivot - timedelta(days=span)
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
    sql = Dialect()
    days = sql.days
    months = sql.whole_months
    marks = ", ".join(["%s"] * len(ids))
    query = f"""
    SELECT CASE WHEN c.placed_date < {sql.date()} THEN 0 ELSE 1 END AS cohort,
      COUNT(*) AS n,
      SUM({days("c.placed_date", "c.entered_care_date")}) AS placed_sum,
      SUM(CASE WHEN {months("c.entered_care_date", "c.placed_date")} < %s THEN 1 ELSE 0 END)
        AS within_n,
      SUM(CASE WHEN c.adm_decision_date >= c.entered_care_date
               AND c.adm_decision_date <= c.placed_date
          THEN {days("c.adm_decision_date", "c.entered_care_date")} ELSE 0 END) AS adm_sum,
      SUM(CASE WHEN c.adm_decision_date >= c.entered_care_date
               AND c.adm_decision_date <= c.placed_date THEN 1 ELSE 0 END) AS adm_n,
      SUM(CASE WHEN c.placement_order_date IS NOT NULL
               AND c.placement_order_date <= c.placed_date THEN 1 ELSE 0 END) AS po_n,
      SUM(CASE WHEN c.placement_order_date IS NOT NULL
               AND c.placement_order_date <= c.placed_date
               AND {months("c.placement_order_date", "c.placed_date")} < %s
          THEN 1 ELSE 0 END) AS po_within
    FROM children_child c
    WHERE c.council_id IN ({marks})
      AND c.placed_date BETWEEN {sql.date()} AND {sql.date()}
      AND c.entered_care_date IS NOT NULL AND c.entered_care_date <= c.placed_date
    GROUP BY CASE WHEN c.placed_date < {sql.date()} THEN 0 ELSE 1 END"""  # noqa: S608 (placeholders only)
    params = [
        sql.param(pivot),
        within_months,
        order_months,
        *ids,
        sql.param(before_start),
        sql.param(after_end),
        sql.param(pivot),
    ]
    rows = {row["cohort"]: row for row in run_dicts(query, params)}
    out = []
    for index, template in enumerate(empty):
        row = rows.get(index)
        if not row:
            out.append(template)
            continue
        n = int(row["n"])
        out.append(
            Cohort(
                template.label,
                template.start,
                template.end,
                n,
                _mean(int(row["placed_sum"] or 0), n),
                _pct(int(row["within_n"] or 0), n),
                int(row["within_n"] or 0),
                _mean(int(row["adm_sum"] or 0), int(row["adm_n"] or 0)),
                int(row["po_n"] or 0),
                _pct(int(row["po_within"] or 0), int(row["po_n"] or 0)),
            )
        )
    return out[0], out[1]
