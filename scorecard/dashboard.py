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

TIMELINE_CODES = ("T_perm", "T_adm", "T_po", "T_match", "T_placed", "T_ao")
TIMELINE_LABELS = {
    "T_perm": "Permanence decision (2nd review)",
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


def window_label(period, today: date) -> str:
    """A window's label, "to date" when it is still running."""
    return period.label + (" to date" if period.end >= today else "")


def _runs(labels: list[str]) -> str:
    """Labels in words, consecutive ones as a range: "2012-15 to 2014-17 and 2016-19"."""
    if not labels:
        return ""
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def england_by_window(code: str, windows: list, national: dict, today: date) -> tuple[list, str]:
    """England's published figure of ``code`` for each window (None where the reference data,
    DOMAIN.md Part B §2.5, has none for that very window: nothing is carried over from another
    window or a single year) and one plain sentence saying which windows have a figure, with
    its source, and which have none. ``windows``: the periods of the windows shown."""
    values = [national.get((code, w.label)) for w in windows]
    unit = MEASURES[code].unit
    published = [
        f"{value:g} {unit} in {w.label}"
        + (f" (source: {value.source})" if getattr(value, "source", "") else "")
        for w, value in zip(windows, values, strict=True)
        if value is not None
    ]
    missing_runs, run = [], []
    for w, value in zip(windows, values, strict=True):
        if value is None:
            run.append(window_label(w, today))
            continue
        if run:
            missing_runs.append(run)
        run = []
    if run:
        missing_runs.append(run)
    missing = [r[0] if len(r) == 1 else f"{r[0]} to {r[-1]}" for r in missing_runs]
    parts = []
    if published:
        parts.append(f"England {code}: " + "; ".join(published) + ".")
    if missing:
        every = not published
        parts.append(
            f"No England {code} figure has been published for "
            + ("any window shown (" if every else "")
            + _runs(missing)
            + (")" if every else "")
            + "."
        )
    return values, " ".join(parts)


NATIONAL_COLOURS = {"A1": charts.NATIONAL_COLOUR, "A2": "#3d4852", "A3": charts.NATIONAL_COLOUR}


def _england_series(code: str, england: dict, colour: str) -> list[charts.Series]:
    """England's line for ``code``, when at least one window shown has a published figure (a
    line with nothing on it would only puzzle; the sentence under the chart says so)."""
    values = england[code][0]
    if all(v is None for v in values):
        return []
    return [charts.Series(f"{code} England", values, "national", colour, "none published")]


def trend_charts(windows: list[stored.Result], scope, national: dict, today: date) -> list:
    """A1/A10/A2 (days) and A3 (%) over every stored window, with the thresholds and England's
    figure for the same window where one is published (a sentence under each chart says
    which windows have none). A window still running is labelled "to date"."""
    labels = [window_label(w.period, today) for w in windows]
    name = scope.council.name if scope.council else "Region"

    def values(code):
        return [w.measure(code)["value"] for w in windows]

    periods = [w.period for w in windows]
    england = {code: england_by_window(code, periods, national, today) for code in SCORECARD_CODES}
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
            *_england_series("A1", england, NATIONAL_COLOURS["A1"]),
            *_england_series("A2", england, NATIONAL_COLOURS["A2"]),
        ],
        unit="days",
        label_heading="Window",
        slug="trend-days",
    )
    days.notes = [england[code][1] for code in ("A1", "A10", "A2")]
    a3 = charts.line_chart(
        title=f"A3 over the scorecard windows: {name}",
        labels=labels,
        series=[
            charts.Series(
                MEASURES["A3"]
                .label_for(windows[-1].measure("A3")["threshold"] if windows else None)
                .replace(" of entering care", ""),
                values("A3"),
            ),
            *_england_series("A3", england, NATIONAL_COLOURS["A3"]),
        ],
        unit="%",
        label_heading="Window",
        slug="trend-a3",
    )
    a3.notes = [england["A3"][1]]
    return [days, a3]


# Councils side by side --------------------------------------------------------------------------


@dataclass
class CouncilRow:
    council: object  # a Council, or None for the whole region
    name: str
    figures: dict  # code -> figure dict
    verdicts: dict  # code -> "met" / "not met" / None


def compare_councils(
    scope,
    by_council: dict[int, list],
    latest: stored.Result | None,
    today: date | None = None,
    national: dict | None = None,
):
    """The latest window's A1/A10/A2/A3 for each council of the region and the region, from
    the results already read; and the A1 chart of every council over the windows (the window
    still running on ``today`` labelled "to date"), with England's A1 for the same window
    where one is published (``national``; a sentence under the chart says which have none)."""
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
    periods = {r.period.label: r.period for rs in by_council.values() for r in rs}
    shown = labels if today is None else [window_label(periods[lab], today) for lab in labels]
    notes = []
    if national is not None and today is not None:
        england = {"A1": england_by_window("A1", [periods[lab] for lab in labels], national, today)}
        series += _england_series("A1", england, NATIONAL_COLOURS["A1"])
        notes.append(england["A1"][1])
    chart = charts.line_chart(
        title="A1 by council over the scorecard windows",
        labels=shown,
        series=series,
        unit="days",
        label_heading="Window",
        slug="compare-a1",
    )
    chart.notes = notes
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
    running: bool = False  # the year holds today: its total is to date
    quarter_labels: list = field(default_factory=list)  # "Q3 to date" for the quarter running


def activity_table(
    quarters: list[stored.Result], years: list[stored.Result], first_year: int, today: date
) -> ActivityTable:
    """The A.4 table of a financial year from the stored quarters and year: Q1..Q4 and the
    total to date (quarters not reached yet are blank)."""
    by_dates = {(r.period.start, r.period.end): r for r in quarters}
    year_period = P.financial_year(first_year)
    year_result = next((y for y in years if y.period.start == year_period.start), None)
    codes = (*QUARTERLY_KEYS, "plan_changes", "disruptions")
    table = ActivityTable(
        year=year_period.label,
        first_year=first_year,
        running=year_period.start <= today <= year_period.end,
        quarter_labels=[
            name + (" to date" if q.start <= today <= q.end else "")
            for name, q in zip(P.QUARTER_NAMES, P.quarters(first_year), strict=True)
        ],
    )
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
        title=f"Activity by quarter, {year_period.label}" + (" to date" if table.running else ""),
        labels=table.quarter_labels,
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


def _change_in_words(change: float | None) -> str:
    """ "3 days more, slower" / "1 day fewer, faster" / "no change" (fewer days is better)."""
    if change is None:
        return ""
    if not change:
        return "no change"
    days = abs(change)
    unit = "day" if days == 1 else "days"
    return f"{days:g} {unit} more, slower" if change > 0 else f"{days:g} {unit} fewer, faster"


#: How many financial years the timeline shows side by side.
TIMELINE_YEARS = 3


def timeline_section(years: list[stored.Result], today: date, n_years: int = TIMELINE_YEARS):
    """A.7's milestone timeline over the last ``n_years`` stored financial years that have
    begun (oldest first, the year running now marked "to date"), from the stored timeline
    figures: for each milestone and year, the mean days from entering care, the children
    counted and the change against the year before (the stored year before the first column
    too, when there is one), with an arrow and, in words, whether it is faster or slower
    (fewer days is better)."""
    begun = [y for y in years if y.period.start <= today]
    shown = begun[-n_years:]
    before_first = begun[-n_years - 1] if len(begun) > n_years else None
    columns = [
        {
            "period": y.period.label,
            "label": y.period.label + (" to date" if y.period.end >= today else ""),
            "running": y.period.end >= today,
        }
        for y in shown
    ]
    rows = []
    for code in TIMELINE_CODES:
        cells = []
        previous = before_first.measure(code)["value"] if before_first else None
        for y in shown:
            figure = y.measure(code)
            value = figure["value"]
            change = value - previous if value is not None and previous is not None else None
            cells.append(
                {
                    "period": y.period.label,
                    "value": value,
                    "children": figure["denominator"],
                    "change": change,
                    "arrow": ""
                    if change is None
                    else ("↑" if change > 0 else "↓" if change else "→"),
                    "words": _change_in_words(change),
                    "improved": None if not change else change < 0,
                }
            )
            previous = value
        rows.append({"code": code, "label": TIMELINE_LABELS[code], "cells": cells})
    return {
        "columns": columns,
        "first": shown[0].period.label if shown else "",
        "last": shown[-1].period.label if shown else "",
        "rows": rows,
    }


def cohort_section(scope, pivot: date, today: date, n_months: int, m_months: int):
    """A.7's cohort comparison around ``pivot`` with the chosen thresholds: ``n_months`` (less
    than N months from entering care to placed) and ``m_months`` (less than M months from the
    placement order to placed). One query."""
    council_ids = (
        [scope.council_id]
        if scope.council
        else [c.pk for c in scope.councils if c.region_id == scope.region.pk]
    )
    before, after = compare_cohorts(
        council_ids=council_ids,
        pivot=pivot,
        today=today,
        within_months=n_months,
        order_months=m_months,
    )
    return {
        "pivot": pivot,
        "before": before,
        "after": after,
        "n_months": n_months,
        "m_months": m_months,
    }


def default_cohort_date(today: date) -> date:
    """The start of the previous financial year: a year and more either side."""
    return P.financial_year(P.fy_of(today) - 1).start
