"""The figures of a board report, as numbers (aggregates only: no child is named or counted
one by one anywhere in here).

:func:`build_figures` returns the *raw* figures of a scope and quarter: a JSON-ready dict of
counts, means and percentages with their denominators. :mod:`scorecard.reports.presentation`
turns it into the sections and tables a board reads, with small numbers suppressed.

The numbers come from :class:`LiveFigures`, which reads the scope's case data with aggregate
queries (one query per table, grouped by council). It is the one place to point at the
scorecard engine's stored results once they exist, so that a report shows the same number as
the dashboard.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.utils import timezone

from adopters.models import Household
from children.models import Child
from children.selectors import NOT_STATED, WHITE_CODES
from raa.dates import add_months
from raa.models import Council, Region

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


def year_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def parse_year(text: str) -> int:
    """ "2018-19" -> 2018. Raises ValueError with a message naming what is wrong."""
    parts = text.strip().split("-")
    if len(parts) != 2 or not (parts[0].isdigit() and len(parts[0]) == 4):
        raise ValueError(f"The year {text!r} is not a financial year like 2018-19.")
    first = int(parts[0])
    if parts[1] != f"{(first + 1) % 100:02d}":
        raise ValueError(
            f"The year {text!r} is not a financial year: after {first} comes "
            f"{(first + 1) % 100:02d} (write {year_label(first)})."
        )
    return first


def quarter_dates(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of quarter 1..4 of the financial year starting 1 April ``year``."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"The quarter {quarter!r} is not 1, 2, 3 or 4.")
    start = date(year, 4, 1) if quarter == 1 else add_months(date(year, 4, 1), 3 * (quarter - 1))
    return start, add_months(start, 3) - timedelta(days=1)


def window_label(first_year: int) -> str:
    return f"{first_year}-{(first_year + 3) % 100:02d}"


def latest_window(year: int, quarter: int) -> int:
    """First year of the latest complete three-year scorecard window at the quarter's end: the
    window ending with this financial year in Q4, the one ending with the previous year before."""
    last_full_year = year if quarter == 4 else year - 1
    return last_full_year - 2


def thresholds(first_year: int) -> dict:
    """DOMAIN A.3 thresholds for a window (A1 and A10 days, A2 days, A3 months)."""
    table = [(2009, 639, 213, 21), (2010, 608, 182, 20), (2011, 547, 182, 18), (2012, 487, 152, 16)]
    for start, a1, a2, a3 in table:
        if first_year <= start:
            return {"A1": a1, "A10": a1, "A2": a2, "A3": a3}
    return {"A1": 426, "A10": 426, "A2": 121, "A3": 14}


#: DOMAIN Part B §2.5: the England scorecard figures found, by window (the rest are unknown).
NATIONAL = {
    "2009-12": {"A1": 636, "A2": 195},
    "2015-18": {"A1": 486},
}


def mean_days(value: timedelta | None) -> int | None:
    """A mean of durations in whole days, halves away from zero (DOMAIN A.1)."""
    if value is None:
        return None
    days = Decimal(value.total_seconds()) / Decimal(86400)
    return int(days.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent(numerator: int | None, denominator: int | None) -> float | None:
    if not denominator or numerator is None:
        return None
    return float((Decimal(100 * numerator) / denominator).quantize(Decimal("0.1"), ROUND_HALF_UP))


def _days(later: str, earlier: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(later) - F(earlier), output_field=DurationField())


@dataclass
class LiveFigures:
    """Aggregate reads of the scope's case data for one report. Every method returns plain
    numbers; each costs one query (grouped by council where it says so)."""

    region: Region
    council: Council | None

    def children(self) -> QuerySet[Child]:
        qs = Child.objects.filter(council__region=self.region)
        return qs.filter(council=self.council) if self.council else qs

    def activity(self, periods: dict[str, tuple[date, date]]) -> dict[str, dict[str, int]]:
        """Counts of A.4 events dated inside each named period: one query."""
        aggregates = {
            f"{name}__{key}": Count("id", filter=Q(**{f"{field}__range": period}))
            for name, period in periods.items()
            for key, _label, field in ACTIVITY
        }
        row = self.children().aggregate(**aggregates)
        return {
            name: {key: row[f"{name}__{key}"] for key, _label, _field in ACTIVITY}
            for name in periods
        }

    def scorecard(self, first_year: int) -> dict:
        """A1 and A2 (mean days) and A3 for children adopted in the window: one query.
        A10 needs the foster-carer dates of the placement and is left to the scorecard engine."""
        start, end = date(first_year, 4, 1), date(first_year + 3, 3, 31)
        limits = thresholds(first_year)
        adopted = self.children().filter(adoption_order_date__range=(start, end))
        a1_ok = Q(placed_date__isnull=False, entered_care_date__isnull=False) & Q(
            placed_date__gte=F("entered_care_date")
        )
        a2_ok = Q(placement_order_date__isnull=False, matched_date__isnull=False) & Q(
            matched_date__gte=F("placement_order_date")
        )
        row = adopted.aggregate(
            cohort=Count("id"),
            a1_n=Count("id", filter=a1_ok),
            a1=Avg(_days("placed_date", "entered_care_date"), filter=a1_ok),
            a2_n=Count("id", filter=a2_ok),
            a2=Avg(_days("matched_date", "placement_order_date"), filter=a2_ok),
        )
        a3_n = sum(
            1
            for entered, placed in adopted.filter(a1_ok).values_list(
                "entered_care_date", "placed_date"
            )
            if placed < add_months(entered, limits["A3"])
        )
        return {
            "A1": {"value": mean_days(row["a1"]), "denominator": row["a1_n"]},
            "A10": {"value": None, "denominator": None},
            "A2": {"value": mean_days(row["a2"]), "denominator": row["a2_n"]},
            "A3": {
                "value": percent(a3_n, row["a1_n"]),
                "numerator": a3_n,
                "denominator": row["a1_n"],
            },
        }

    def waiting(self, at: date) -> dict[str, int]:
        """DOMAIN A.5 at a date: one query."""
        waiting = (
            Q(adm_decision_date__lte=at)
            & (Q(placed_date__isnull=True) | Q(placed_date__gt=at))
            & (Q(plan_ceased_date__isnull=True) | Q(plan_ceased_date__gt=at))
            & (Q(adoption_order_date__isnull=True) | Q(adoption_order_date__gt=at))
        )
        with_po = Q(placement_order_date__lte=at)
        minority = ~Q(ethnicity__in=WHITE_CODES + NOT_STATED)
        return self.children().aggregate(
            waiting=Count("id", filter=waiting),
            with_po=Count("id", filter=waiting & with_po),
            over_18m_care=Count(
                "id", filter=waiting & Q(entered_care_date__lte=add_months(at, -18))
            ),
            over_12m_po=Count(
                "id", filter=waiting & with_po & Q(placement_order_date__lte=add_months(at, -12))
            ),
            over_18m_po=Count(
                "id", filter=waiting & with_po & Q(placement_order_date__lte=add_months(at, -18))
            ),
            aged_5_plus=Count("id", filter=waiting & Q(date_of_birth__lte=add_months(at, -60))),
            ethnic_minority=Count("id", filter=waiting & minority),
            disabled=Count("id", filter=waiting & Q(disabled=True)),
            siblings=Count("id", filter=waiting & Q(sibling_group__to_be_placed_together=True)),
        )

    def timeline(self, start: date, end: date) -> dict:
        """Mean days from entering care to each milestone, for children placed in the period:
        one query."""
        placed = self.children().filter(placed_date__range=(start, end))
        aggregates = {"children": Count("id")}
        for key, _label, field in TIMELINE:
            has = Q(**{f"{field}__isnull": False}, entered_care_date__isnull=False)
            aggregates[key] = Avg(_days(field, "entered_care_date"), filter=has)
            aggregates[f"{key}_n"] = Count("id", filter=has)
        row = placed.aggregate(**aggregates)
        return {
            "children": row["children"],
            "milestones": {
                key: {"mean_days": mean_days(row[key]), "children": row[f"{key}_n"]}
                for key, _label, _field in TIMELINE
            },
        }

    def cohort(self, split: date, *, upto: date, months: int = 14, po_months: int = 12) -> dict:
        """Children placed before ``split`` against those placed from it up to ``upto``."""
        placed = self.children().filter(
            placed_date__lte=upto, entered_care_date__isnull=False, placed_date__isnull=False
        )
        result = {}
        for name, part in (
            ("before", placed.filter(placed_date__lt=split)),
            ("after", placed.filter(placed_date__gte=split)),
        ):
            row = part.aggregate(
                children=Count("id"),
                to_placed=Avg(_days("placed_date", "entered_care_date")),
                to_decision=Avg(
                    _days("adm_decision_date", "entered_care_date"),
                    filter=Q(adm_decision_date__isnull=False),
                ),
                decisions=Count("id", filter=Q(adm_decision_date__isnull=False)),
            )
            dates = list(
                part.values_list("entered_care_date", "placed_date", "placement_order_date")
            )
            quick = sum(1 for e, p, _o in dates if p < add_months(e, months))
            with_po = [(p, o) for _e, p, o in dates if o is not None]
            soon_after_po = sum(1 for p, o in with_po if p < add_months(o, po_months))
            result[name] = {
                "children": row["children"],
                "mean_days_to_placed": mean_days(row["to_placed"]),
                "placed_within": {"numerator": quick, "denominator": row["children"]},
                "mean_days_to_decision": mean_days(row["to_decision"]),
                "decisions": row["decisions"],
                "placed_after_po": {"numerator": soon_after_po, "denominator": len(with_po)},
            }
        result.update(date=split.isoformat(), months=months, po_months=po_months)
        return result

    def adopters(self, start: date, end: date) -> dict[str, int]:
        """DOMAIN A.6 counts for the period and at its end: one query."""
        households = Household.objects.filter(region=self.region)
        if self.council:
            households = households.filter(recruiting_council=self.council)
        not_left = Q(left_date__isnull=True) | Q(left_date__gt=end)
        approved_by_end = Q(approval_date__lte=end)
        within_6m = Q(approval_date__range=(start, end), registration_date__isnull=False)
        row = households.aggregate(
            enquiries=Count("id", filter=Q(enquiry_date__range=(start, end))),
            registrations=Count("id", filter=Q(registration_date__range=(start, end))),
            approvals=Count("id", filter=Q(approval_date__range=(start, end))),
            approvals_with_registration=Count("id", filter=within_6m),
            awaiting_assessment=Count(
                "id",
                filter=Q(registration_date__lte=end)
                & (Q(approval_date__isnull=True) | Q(approval_date__gt=end))
                & not_left,
            ),
            approved=Count("id", filter=approved_by_end & not_left),
        )
        approved_pairs = households.filter(within_6m).values_list(
            "registration_date", "approval_date"
        )
        row["approved_within_6m"] = sum(1 for r, a in approved_pairs if a < add_months(r, 6))
        return row

    def councils(self) -> list[Council]:
        return list(Council.objects.filter(region=self.region).order_by("name"))

    def council_comparison(self, first_year: int, year: int, at: date) -> list[dict]:
        """Per partner council: A1, A2, A3 for the window, children waiting at the date and
        adoption orders in the financial year to the date."""
        rows = []
        for council in self.councils():
            figures = LiveFigures(self.region, council)
            card = figures.scorecard(first_year)
            orders = figures.activity({"ytd": (date(year, 4, 1), at)})["ytd"]["adoption_orders"]
            rows.append(
                {
                    "code": council.la_code,
                    "name": council.name,
                    "A1": card["A1"],
                    "A2": card["A2"],
                    "A3": card["A3"],
                    "waiting": figures.waiting(at)["waiting"],
                    "adoption_orders": orders,
                }
            )
        return rows


def build_figures(
    *,
    region: Region,
    council: Council | None,
    year: int,
    quarter: int,
    cohort_date: date | None = None,
) -> dict:
    """The raw figures of the report for the quarter (JSON-ready, unsuppressed)."""
    start, end = quarter_dates(year, quarter)
    live = LiveFigures(region, council)
    quarters = {f"Q{n}": quarter_dates(year, n) for n in range(1, quarter + 1)}
    activity = live.activity({**quarters, "total": (date(year, 4, 1), end)})
    first_window = latest_window(year, quarter)
    card = live.scorecard(first_window)
    for code, limit in thresholds(first_window).items():
        card[code]["threshold"] = limit
        card[code]["national"] = NATIONAL.get(window_label(first_window), {}).get(code)
    trend = []
    for first in range(first_window - 4, first_window + 1):
        measures = live.scorecard(first)
        trend.append(
            {
                "window": window_label(first),
                "measures": {code: measures[code] for code in ("A1", "A2", "A3")},
                "thresholds": thresholds(first),
            }
        )
    prev_start, prev_end = add_months(start, -3), start - timedelta(days=1)
    return {
        "scope": {
            "kind": "council" if council else "region",
            "code": council.la_code if council else None,
            "name": council.name if council else region.name,
        },
        "region": region.name,
        "year": year_label(year),
        "quarter": quarter,
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "computed_at": timezone.now().isoformat(timespec="seconds"),
        "scorecard": {
            "window": window_label(first_window),
            "measures": card,
            "trend": trend,
        },
        "activity": {
            "quarters": {f"Q{n}": activity.get(f"Q{n}") for n in range(1, 5)},
            "total": activity["total"],
        },
        "timeline": {
            "current": live.timeline(start, end),
            "previous": live.timeline(prev_start, prev_end),
            "previous_label": f"Q{quarter - 1 if quarter > 1 else 4} "
            f"{year_label(year if quarter > 1 else year - 1)}",
        },
        "cohort": live.cohort(cohort_date, upto=end) if cohort_date else None,
        "waiting": {"at": end.isoformat(), **live.waiting(end)},
        "adopters": live.adopters(start, end),
        "councils": live.council_comparison(first_window, year, end),
    }
