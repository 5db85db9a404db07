"""Reads for the managers' dashboard: every figure comes from the stored results of the
scorecard engine (:mod:`scorecard.selectors`), never computed here. The one exception is the
cohort comparison, whose dates the user picks (:mod:`scorecard.cohorts`).

A *scope* is the whole region or one council. Council-scope managers see their councils;
region-scope managers (and administrators) see the region, each council, and the councils
side by side.
"""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q

from scorecard import charts
from scorecard import periods as P
from scorecard import selectors as stored
from scorecard.cohorts import compare_cohorts
from scorecard.measures import MEASURES, QUARTERLY_KEYS, SCORECARD_CODES
from scorecard.models import NationalFigure, ScorecardResult

TIMELINE_CODES = ("T_adm", "T_po", "T_match", "T_placed", "T_ao")
TIMELINE_LABELS = {
    "T_adm": "ADM decision",
    "T_po": "Placement order",
    "T_match": "Match",
    "T_placed": "Placed for adoption",
    "T_ao": "Adoption order",
}
WAITING_BREAKDOWN = (
    "waiting_with_po",
    "waiting_18m_in_care",
    "waiting_12m_po",
    "waiting_18m_po",
)
HARDER_TO_PLACE = ("waiting_aged_5", "waiting_minority", "waiting_disabled", "waiting_siblings")
ADOPTER_FLOW = ("enquiries", "registrations", "approvals")
ADOPTER_RATES = ("approved_6m", "A12", "stage1_2m", "stage2_4m")
ADOPTER_AT_DATE = ("A11", "A13")


def stored_results(
    *, region_id: int, council_id: int | None, with_councils: bool = False
) -> tuple[dict[str, list], dict[int, list]]:
    """Every stored result of a scope by kind (windows, years, quarters), oldest first, and,
    ``with_councils``, the windows of each of the region's councils (for the side-by-side
    view): one query. As :func:`scorecard.selectors.results` for several kinds at once."""
    rows = ScorecardResult.objects.filter(region_id=region_id, kind__in=P.KINDS)
    scope = Q(council_id=council_id) if council_id else Q(council=None)
    if with_councils:
        scope |= Q(council__isnull=False, kind=P.WINDOW)
    out: dict[str, list] = {kind: [] for kind in P.KINDS}
    councils: dict[int, list] = {}
    for row in rows.filter(scope).order_by("end", "start"):
        result = stored._result(row)
        if row.council_id == council_id:
            out[row.kind].append(result)
        else:
            councils.setdefault(row.council_id, []).append(result)
    return out, councils


def freshness(by_kind: dict, *, region_id: int, council_id: int | None) -> stored.Freshness:
    """As :func:`scorecard.selectors.freshness`, with the time computed taken from the results
    already read (one query: is a change waiting to be counted?)."""
    computed = [r.computed_at for results in by_kind.values() for r in results if r.computed_at]
    return stored.Freshness(
        updating=stored.updating(region_id=region_id, council_id=council_id),
        updated_at=max(computed, default=None),
    )


# Headline figures -------------------------------------------------------------------------------


@dataclass
class Headline:
    code: str
    label: str
    region: float | None
    unit: str
    definition: str
    window: str
    value: float | None
    numerator: int | None
    denominator: int | None
    excluded: dict
    threshold: float | None
    national: float | None
    national_note: str  # the latest England figure before the window, when it has none
    verdict: str | None  # "met", "not met", or None (A3 has a period in months, not a pass mark)
    previous: float | None
    previous_window: str
    improved: bool | None

    @property
    def short_label(self) -> str:
        """The label without its code ("entering care to moving in (days)")."""
        return self.label.split(": ", 1)[-1]

    @property
    def national_source(self) -> str:
        return getattr(self.national, "source", "")

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous is None:
            return None
        return round(self.value - self.previous, 1)


class NationalValue(float):
    """An England figure, carrying its official source (DOMAIN.md Part B §2.5)."""

    source: str = ""
    note: str = ""


def _national_figures() -> dict[tuple[str, str], float]:
    out = {}
    for n in NationalFigure.objects.filter(measure__in=SCORECARD_CODES):
        value = NationalValue(n.value)
        value.source, value.note = n.source, n.note
        out[(n.measure, n.period)] = value
    return out


def _national_for(code: str, label: str, national: dict) -> tuple[float | None, str]:
    """The England figure of the same window (a comparison only means something for the same
    window), or None; and, in words, the latest England figure published before it, if any
    (what there is to go on when the window has none)."""
    earlier = sorted(
        (period, value)
        for (measure, period), value in national.items()
        if measure == code and len(period) == 7 and period < label
    )
    latest = ""
    if earlier:
        period, value = earlier[-1]
        kind = f", {value.note}" if getattr(value, "note", "") else ""
        source = f"; source: {value.source}" if getattr(value, "source", "") else ""
        latest = f"latest published: {value:g} in {period}{kind}{source}"
    return national.get((code, label)), latest


def headline_window(windows: list[stored.Result], today: date) -> stored.Result | None:
    """The window the headline figures are for: the latest stored, as the engine's
    :func:`scorecard.selectors.latest_window` (the one running now, figures to date)."""
    return windows[-1] if windows else None


def headlines(
    windows: list[stored.Result], national: dict, today: date, region_windows=None
) -> list[Headline]:
    """The latest window's figures with, for the same window, the region's (``region_windows``:
    the region's stored windows, when the scope is a council) and England's."""
    latest = headline_window(windows, today)
    region_same = (
        next((w for w in region_windows or [] if w.period.label == latest.period.label), None)
        if latest
        else None
    )
    if latest is None:
        return []
    index = windows.index(latest)
    previous = windows[index - 1] if index > 0 else None
    out = []
    for code in SCORECARD_CODES:
        figure = latest.measure(code)
        before = previous.measure(code)["value"] if previous else None
        value = figure["value"]
        passes = latest.passes(code)
        lower_better = MEASURES[code].lower_is_better
        improved = None
        if value is not None and before is not None and value != before:
            improved = (value < before) == bool(lower_better)
        nat, nat_note = _national_for(code, latest.period.label, national)
        out.append(
            Headline(
                code=code,
                label=MEASURES[code].label_for(figure["threshold"]),
                region=region_same.measure(code)["value"] if region_same else None,
                unit=MEASURES[code].unit,
                definition=MEASURES[code].definition,
                window=latest.period.label,
                value=value,
                numerator=figure["numerator"],
                denominator=figure["denominator"],
                excluded=figure["excluded"],
                threshold=figure["threshold"],
                national=nat,
                national_note=nat_note,
                verdict=None if passes is None else ("met" if passes else "not met"),
                previous=before,
                previous_window=previous.period.label if previous else "",
                improved=improved,
            )
        )
    return out


def trend_charts(windows: list[stored.Result], scope, national: dict, today: date) -> list:
    """A1/A10/A2 (days) and A3 (%) over every stored window, with the thresholds. A window
    still running is labelled "to date"."""
    labels = [w.period.label + ("" if w.period.end < today else " to date") for w in windows]
    name = scope.council.name if scope.council else "Region"

    def values(code):
        return [w.measure(code)["value"] for w in windows]

    days = charts.line_chart(
        title=f"A1, A10 and A2 over the scorecard windows: {name}",
        labels=labels,
        series=[
            charts.Series("A1", values("A1")),
            charts.Series("A10", values("A10")),
            charts.Series("A2", values("A2")),
            charts.Series(
                "A1 threshold", [w.measure("A1")["threshold"] for w in windows], "threshold"
            ),
            charts.Series(
                "A2 threshold",
                [w.measure("A2")["threshold"] for w in windows],
                "threshold",
                colour="#e07b86",
            ),
            charts.Series(
                "A1 England", [national.get(("A1", w.period.label)) for w in windows], "national"
            ),
        ],
        unit="days",
        label_heading="Window",
        slug="trend-days",
    )
    a3 = charts.line_chart(
        title=f"A3 over the scorecard windows: {name}",
        labels=labels,
        series=[
            charts.Series(
                MEASURES["A3"]
                .label_for(windows[-1].measure("A3")["threshold"] if windows else None)
                .replace(" of entering care", ""),
                values("A3"),
            )
        ],
        unit="%",
        label_heading="Window",
        slug="trend-a3",
    )
    return [days, a3]


# Councils side by side --------------------------------------------------------------------------


@dataclass
class CouncilRow:
    council: object  # a Council, or None for the whole region
    name: str
    figures: dict  # code -> figure dict
    verdicts: dict  # code -> "met" / "not met" / None


def compare_councils(scope, by_council: dict[int, list], latest: stored.Result | None):
    """The latest window's A1/A10/A2/A3 for each council of the region and the region, from
    the results already read; and the A1 chart of every council over the windows."""
    if latest is None:
        return [], None
    councils = [c for c in scope.councils if c.region_id == scope.region.pk]
    labels = sorted({r.period.label for rs in by_council.values() for r in rs})
    out, series = [], []
    for council in councils:
        results = by_council.get(council.pk, [])
        current = next((r for r in results if r.period.end == latest.period.end), None)
        out.append(_council_row(council, council.name, current))
        by_label = {r.period.label: r.measure("A1")["value"] for r in results}
        series.append(charts.Series(council.name, [by_label.get(lab) for lab in labels]))
    out.append(_council_row(None, "Whole region", latest))
    thresholds = {
        r.period.label: r.measure("A1")["threshold"] for rs in by_council.values() for r in rs
    }
    series.append(
        charts.Series("A1 threshold", [thresholds.get(lab) for lab in labels], "threshold")
    )
    chart = charts.line_chart(
        title="A1 by council over the scorecard windows",
        labels=labels,
        series=series,
        unit="days",
        label_heading="Window",
        slug="compare-a1",
    )
    return out, chart


def _council_row(council, name, result: stored.Result | None) -> CouncilRow:
    figures, verdicts = {}, {}
    for code in SCORECARD_CODES:
        figures[code] = result.measure(code) if result else {"value": None}
        passes = result.passes(code) if result else None
        verdicts[code] = None if passes is None else ("met" if passes else "not met")
    return CouncilRow(council, name, figures, verdicts)


# Quarterly activity -----------------------------------------------------------------------------


@dataclass
class ActivityTable:
    year: str
    first_year: int
    rows: list = field(default_factory=list)  # [(label, [q1..q4], total)]
    chart: object = None


def activity_table(
    quarters: list[stored.Result], years: list[stored.Result], first_year: int, today: date
) -> ActivityTable:
    """The A.4 table of a financial year from the stored quarters and year: Q1..Q4 and the
    total to date (quarters not reached yet are blank)."""
    by_dates = {(r.period.start, r.period.end): r for r in quarters}
    year_period = P.financial_year(first_year)
    year_result = next((y for y in years if y.period.start == year_period.start), None)
    codes = (*QUARTERLY_KEYS, "plan_changes", "disruptions")
    table = ActivityTable(year=year_period.label, first_year=first_year)
    q_values = {}
    for name, q in zip(P.QUARTER_NAMES, P.quarters(first_year), strict=True):
        result = by_dates.get((q.start, q.end))
        started = q.start <= today
        q_values[name] = {
            code: (result.measure(code)["value"] if result else 0) if started else None
            for code in codes
        }
    for code in codes:
        row = [q_values[q][code] for q in P.QUARTER_NAMES]
        total = year_result.measure(code)["value"] if year_result else sum(v or 0 for v in row)
        table.rows.append((code, MEASURES[code].label, row, total))
    table.chart = charts.bar_chart(
        title=f"Activity by quarter, {year_period.label}",
        labels=list(P.QUARTER_NAMES),
        series=[
            charts.Series(MEASURES[code].label, [q_values[q][code] for q in P.QUARTER_NAMES])
            for code in QUARTERLY_KEYS
        ],
        label_heading="Quarter",
        slug="activity",
    )
    return table


# Children waiting, adopters, timeline -----------------------------------------------------------


def last_complete(results: list[stored.Result], today: date) -> stored.Result | None:
    done = [r for r in results if r.period.end < today]
    return done[-1] if done else None


def waiting_section(quarters: list[stored.Result], today: date) -> dict:
    at = last_complete(quarters, today)
    if at is None:
        return {}
    recent = [q for q in quarters if q.period.end < today][-8:]
    chart = charts.line_chart(
        title="Children waiting at the end of each quarter",
        labels=[q.period.label for q in recent],
        series=[
            charts.Series("Waiting (A9)", [q.measure("waiting")["value"] for q in recent]),
            charts.Series(
                "with a placement order", [q.measure("waiting_with_po")["value"] for q in recent]
            ),
        ],
        label_heading="Quarter",
        slug="waiting",
        height=240,
    )
    return {
        "at": at.period.end,
        "period": at.period.label,  # each figure opens to its children at this quarter's end
        "waiting": at.measure("waiting")["value"],
        "breakdown": [(MEASURES[c].label, at.measure(c)["value"], c) for c in WAITING_BREAKDOWN],
        "harder": [(MEASURES[c].label, at.measure(c)["value"], c) for c in HARDER_TO_PLACE],
        "definitions": [
            (MEASURES[c].label, MEASURES[c].definition)
            for c in ("waiting", *WAITING_BREAKDOWN, *HARDER_TO_PLACE)
        ],
        "chart": chart,
    }


def this_and_last_year(years: list[stored.Result], today: date) -> tuple:
    """The stored financial year holding ``today`` and the latest one before it (either None)."""
    current = next((y for y in years if y.period.contains(today)), None)
    earlier = [y for y in years if current is None or y.period.end < current.period.start]
    return current, (earlier[-1] if earlier else None)


def adopters_section(years: list[stored.Result], quarters: list[stored.Result], today: date):
    current, previous = this_and_last_year(years, today)
    at = last_complete(quarters, today)
    rows = []
    for code in (*ADOPTER_FLOW, *ADOPTER_RATES):
        m = MEASURES[code]
        rows.append(
            {
                "code": code,
                "label": m.label,
                "unit": m.unit,
                "current": current.measure(code) if current else None,
                "previous": previous.measure(code) if previous else None,
            }
        )
    at_date = [
        {"code": code, "label": MEASURES[code].label, "value": at.measure(code)["value"]}
        for code in ADOPTER_AT_DATE
        if at
    ]
    # Households approved in each financial year stored (the last ten), the year running now
    # marked "to date": the series, not only this year and last.
    approvals_by_year = [
        {
            "year": y.period.label + (" to date" if y.period.end >= today else ""),
            "period": y.period.label,
            "value": y.measure("approvals")["value"],
        }
        for y in years[-10:]
        if y.period.start <= today
    ]
    return {
        "current": current.period.label if current else "",
        "previous": previous.period.label if previous else "",
        "rows": rows,
        "approvals_by_year": approvals_by_year,
        "at": at.period.end if at else None,
        "at_period": at.period.label if at else "",
        "at_date": at_date,
    }


def timeline_section(years: list[stored.Result], today: date) -> dict:
    current, previous = this_and_last_year(years, today)
    rows = []
    for code in TIMELINE_CODES:
        now = current.measure(code)["value"] if current else None
        before = previous.measure(code)["value"] if previous else None
        change = now - before if now is not None and before is not None else None
        rows.append(
            {
                "code": code,
                "label": TIMELINE_LABELS[code],
                "current": now,
                "previous": before,
                "change": change,
                "arrow": "" if not change else ("↑" if change > 0 else "↓"),
                "improved": None if not change else change < 0,
                "children": current.measure(code)["denominator"] if current else None,
            }
        )
    return {
        "current": current.period.label if current else "",
        "previous": previous.period.label if previous else "",
        "rows": rows,
    }


def cohort_section(scope, pivot: date, today: date, n_months: int):
    council_ids = (
        [scope.council_id]
        if scope.council
        else [c.pk for c in scope.councils if c.region_id == scope.region.pk]
    )
    before, after = compare_cohorts(
        council_ids=council_ids, pivot=pivot, today=today, within_months=n_months
    )
    return {"pivot": pivot, "before": before, "after": after, "n_months": n_months}


def default_cohort_date(today: date) -> date:
    """The start of the previous financial year: a year and more either side."""
    return P.financial_year(P.fy_of(today) - 1).start
