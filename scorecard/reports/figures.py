"""The figures of a board report, as numbers (aggregates only: no child is named or counted
one by one anywhere in here).

:func:`build_figures` returns the *raw* figures of a scope and quarter: a JSON-ready dict of
counts, means and percentages with their denominators. :mod:`scorecard.reports.presentation`
turns it into the sections and tables a board reads, with small numbers suppressed.

The numbers are the scorecard engine's stored results, read through :mod:`scorecard.selectors`
(one number everywhere: the dashboard, the commands and the report agree).
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from raa.models import Council, Region
from scorecard import periods as P
from scorecard import selectors
from scorecard.cohorts import DEFAULT_ORDER_MONTHS, compare_cohorts
from scorecard.dashboard import _national_figures, _national_for
from scorecard.measures import SCORECARD_CODES
from scorecard.reference import A3_MONTHS_FALLBACK
from scorecard.reports.extras import build_extras
from scorecard.selectors import scope_council_ids

#: The five activity counts of DOMAIN A.4, in the order the table shows them.
ACTIVITY = [
    ("adm_decisions", "ADM decisions (should be placed for adoption)", "adm_decision_date"),
    ("placement_orders", "Placement orders granted", "placement_order_date"),
    ("matched", "Children matched", "matched_date"),
    ("placed", "Children placed for adoption", "placed_date"),
    ("adoption_orders", "Adoption orders granted", "adoption_order_date"),
]

#: Milestones of the timeline (DOMAIN A.7), each as days from entering care.
TIMELINE = [
    ("adm_decision", "ADM decision", "adm_decision_date"),
    ("placement_order", "Placement order", "placement_order_date"),
    ("matched", "Matched", "matched_date"),
    ("placed", "Placed for adoption", "placed_date"),
    ("adoption_order", "Adoption order", "adoption_order_date"),
]


def latest_window(year: int, quarter: int) -> int:
    """First year of the latest complete three-year scorecard window at the quarter's end: the
    window ending with this financial year in Q4, the one ending with the previous year before."""
    last_full_year = year if quarter == 4 else year - 1
    return P.window_ending(last_full_year).first_year


def _measure(result, code: str) -> dict:
    """value, numerator and denominator of one stored figure (the report needs no more)."""
    figure = result.measure(code)
    return {
        "value": figure["value"],
        "numerator": figure["numerator"],
        "denominator": figure["denominator"],
    }


def _count(result, code: str) -> int:
    return result.measure(code)["value"] or 0


#: Report keys of the waiting table and the engine's measure codes behind them (DOMAIN A.5).
WAITING_CODES = {
    "waiting": "waiting",
    "with_po": "waiting_with_po",
    "over_18m_care": "waiting_18m_in_care",
    "over_12m_po": "waiting_12m_po",
    "over_18m_po": "waiting_18m_po",
    "aged_5_plus": "waiting_aged_5",
    "ethnic_minority": "waiting_minority",
    "disabled": "waiting_disabled",
    "siblings": "waiting_siblings",
}
#: Timeline milestones and the engine's measure codes (DOMAIN A.7).
TIMELINE_CODES = {
    "adm_decision": "T_adm",
    "placement_order": "T_po",
    "matched": "T_match",
    "placed": "T_placed",
    "adoption_order": "T_ao",
}


@dataclass
class LiveFigures:
    """The figures of one scope, read from the scorecard engine's stored results
    (:mod:`scorecard.selectors`): the same numbers as the dashboard and the ``scorecard`` and
    ``quarterly`` commands. A period the engine has not stored (it has no data yet, or its
    recompute is pending) is computed on request by the engine's own measure code.

    The cohort comparison is not among the engine's measures; :meth:`cohort` computes it here
    with aggregate queries over the children's journey summaries."""

    region: Region
    council: Council | None

    @property
    def council_id(self) -> int | None:
        return self.council.pk if self.council else None

    def result(self, period):
        return selectors.scorecard_result(
            period=period, region_id=self.region.pk, council_id=self.council_id
        )

    def activity(self, year: int, quarter: int) -> dict:
        """Q1..Q4 of the year (None after the report's quarter) and the year to date."""
        quarters, total = {}, dict.fromkeys((key for key, _l, _f in ACTIVITY), 0)
        for n, name in enumerate(P.QUARTER_NAMES, 1):
            if n > quarter:
                quarters[name] = None
                continue
            result = self.result(P.quarter(year, n))
            quarters[name] = {key: _count(result, key) for key, _l, _f in ACTIVITY}
            for key in total:
                total[key] += quarters[name][key]
        return {"quarters": quarters, "total": total}

    def scorecard(self, first_year: int) -> tuple[dict, object]:
        """A1, A10, A2 and A3 of the window, with thresholds; and when they were computed."""
        result = self.result(P.window(first_year))
        measures = {}
        for code in SCORECARD_CODES:
            measures[code] = _measure(result, code)
            measures[code]["threshold"] = result.measure(code)["threshold"]
        return measures, result.computed_at

    def quarter_figures(self, year: int, quarter: int) -> dict:
        """Children waiting at the quarter end, adopter recruitment and the timeline."""
        result = self.result(P.quarter(year, quarter))
        waiting = {key: _count(result, code) for key, code in WAITING_CODES.items()}
        approved_6m = _measure(result, "approved_6m")
        a12 = _measure(result, "A12")
        adopters = {
            "enquiries": _count(result, "enquiries"),
            "registrations": _count(result, "registrations"),
            "approvals": _count(result, "approvals"),
            "approvals_with_registration": approved_6m["denominator"] or 0,
            "approved_within_6m": approved_6m["numerator"] or 0,
            "matched_after_3m": a12["numerator"] or 0,
            "matched": a12["denominator"] or 0,
            "approved": _count(result, "A11"),
            "awaiting_assessment": _count(result, "A13"),
        }
        timeline = {
            "children": _count(result, "placed"),
            "milestones": {
                key: {
                    "mean_days": result.measure(code)["value"],
                    "children": result.measure(code)["denominator"] or 0,
                }
                for key, code in TIMELINE_CODES.items()
            },
        }
        return {"waiting": waiting, "adopters": adopters, "timeline": timeline}

    def cohort(
        self,
        split: date,
        *,
        upto: date,
        months: int = A3_MONTHS_FALLBACK,
        po_months: int = DEFAULT_ORDER_MONTHS,
    ) -> dict:
        """DOMAIN A.7's cohort comparison, by the dashboard's code (scorecard.cohorts): children
        placed from ``split`` up to ``upto`` against as many days before it."""
        council_ids = scope_council_ids(region_id=self.region.pk, council_id=self.council_id)
        before, after = compare_cohorts(
            council_ids=council_ids,
            pivot=split,
            today=upto,
            within_months=months,
            order_months=po_months,
        )
        result = {}
        for name, part in (("before", before), ("after", after)):
            after_po = (
                round((part.placed_within_m_of_order_pct or 0) * part.with_order / 100)
                if part.with_order
                else 0
            )
            result[name] = {
                "from": part.start.isoformat(),
                "to": part.end.isoformat(),
                "children": part.children,
                "mean_days_to_placed": part.mean_days_to_placed,
                "placed_within": {"numerator": part.placed_within_n, "denominator": part.children},
                "mean_days_to_decision": part.mean_days_to_adm,
                "decisions": part.children,
                "placed_after_po": {"numerator": after_po, "denominator": part.with_order},
            }
        result.update(date=split.isoformat(), months=months, po_months=po_months)
        return result

    def council_comparison(self, first_year: int, year: int, quarter: int) -> list[dict]:
        """Per partner council: A1, A2, A3 for the window, children waiting at the quarter end
        and adoption orders in the financial year to the quarter end."""
        rows = []
        for council in Council.objects.filter(region=self.region).order_by("name"):
            figures = LiveFigures(self.region, council)
            card, _computed = figures.scorecard(first_year)
            orders = figures.activity(year, quarter)["total"]["adoption_orders"]
            waiting = figures.quarter_figures(year, quarter)["waiting"]["waiting"]
            rows.append(
                {
                    "code": council.la_code,
                    "name": council.name,
                    "A1": card["A1"],
                    "A2": card["A2"],
                    "A3": card["A3"],
                    "waiting": waiting,
                    "adoption_orders": orders,
                }
            )
        return rows


def national(code: str, window: str, figures: dict) -> dict:
    """England's figure for the measure and the same window (reference data, DOMAIN.md Part B
    §2.5: a comparison only means something for the same window), with its official source;
    or None and, in words, the latest England figure published before the window. ``figures``
    is the dashboard's table of them (:func:`scorecard.dashboard._national_figures`)."""
    value, latest = _national_for(code, window, figures)
    if value is None:
        return {"value": None, "source": "", "note": "", "latest": latest}
    number = float(value)
    return {
        "value": int(number) if number == int(number) else number,
        "source": value.source,
        "note": value.note,
        "latest": "",
    }


def build_figures(
    *,
    region: Region,
    council: Council | None,
    year: int,
    quarter: int,
    cohort_date: date | None = None,
) -> dict:
    """The raw figures of the report for the quarter (JSON-ready, unsuppressed)."""
    reported = P.quarter(year, quarter)
    start, end = reported.start, reported.end
    live = LiveFigures(region, council)
    first_window = latest_window(year, quarter)
    card, computed_at = live.scorecard(first_window)
    england = _national_figures()
    for code in card:
        found = national(code, P.window(first_window).label, england)
        card[code]["national"] = found["value"]
        card[code]["england"] = found
    trend = []
    for first in range(first_window - 4, first_window + 1):
        measures, _computed = live.scorecard(first)
        trend.append(
            {
                "window": P.window(first).label,
                "measures": {code: measures[code] for code in ("A1", "A2", "A3")},
                "thresholds": {code: measures[code]["threshold"] for code in ("A1", "A2")},
                "national": {
                    code: national(code, P.window(first).label, england)["value"]
                    for code in ("A1", "A2")
                },
            }
        )
    current = live.quarter_figures(year, quarter)
    previous_year, previous_quarter = P.previous_quarter(year, quarter)
    previous = live.quarter_figures(previous_year, previous_quarter)
    return {
        "scope": {
            "kind": "council" if council else "region",
            "code": council.la_code if council else None,
            "name": council.name if council else region.name,
        },
        "region": region.name,
        "year": P.fy_label(year),
        "quarter": quarter,
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "computed_at": (computed_at or timezone.now()).isoformat(timespec="seconds"),
        "scorecard": {"window": P.window(first_window).label, "measures": card, "trend": trend},
        "activity": live.activity(year, quarter),
        "timeline": {
            "current": current["timeline"],
            "previous": previous["timeline"],
            "previous_label": f"{P.quarter_name(previous_quarter)} {P.fy_label(previous_year)}",
        },
        "cohort": (
            live.cohort(cohort_date, upto=end, months=card["A3"]["threshold"] or A3_MONTHS_FALLBACK)
            if cohort_date
            else None
        ),
        "waiting": {"at": end.isoformat(), **current["waiting"]},
        "adopters": current["adopters"],
        "councils": live.council_comparison(first_window, year, quarter),
        # Sections other apps add through the hook (scorecard.reports.extras): the forecast's
        # projection of the current window.
        "extras": build_extras(region=region, council=council, year=year, quarter=quarter),
    }
