"""Reads of the stored scorecard results: the API pages, commands and reports use.

Every figure a page shows comes from :class:`scorecard.models.ScorecardResult`, as the last
recompute stored it, so the dashboard, the board report, the ``scorecard`` command and the JSON
all say the same number. A scope is a council (``council_id``) or a whole region
(``council_id=None``). Custom date ranges, which are not stored, are computed on request by the
same measure code (:func:`compute_scorecard`).

Main entry points:

* :func:`result` -> :class:`Result` for one scope and period (None if not stored);
* :func:`latest_window` -> the most recent stored scorecard window of a scope;
* :func:`trend` -> one measure over every stored window (or year / quarter) of a scope;
* :func:`freshness` -> :class:`Freshness`: "updated 10:42" or "updating…";
* :func:`quarterly` -> the A.4 table of a financial year;
* :func:`scorecard_json` -> the ``scorecard --format json`` shape of INTERFACES.md;
* :func:`figure_members` -> the children (or households) a figure counts and leaves out;
* :func:`cohort_members` -> the children behind one side of the cohort comparison;
* :func:`cohort_comparison` -> A.7's before/after comparison around a date (computed).
"""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.db.models import Max
from django.utils import timezone

from raa import access
from raa.freshness import RecomputeMarker
from raa.models import Council, Region
from scorecard import periods as P
from scorecard.cohorts import DEFAULT_ORDER_MONTHS, cohort_dates
from scorecard.measures import (
    MEAN,
    MEASURES,
    PERCENT,
    QUARTERLY_KEYS,
    SCORECARD_CODES,
    expand,
    mean_days,
    meets_threshold,
    percentage,
    raw,
)
from scorecard.measures import members as member_lists
from scorecard.measures.compute import (
    add_all,
    compute_raw,
    empty_figures,
    finalise_all,
    threshold_for,
    threshold_rows,
)
from scorecard.measures.journeys import cohort_comparison as compute_cohorts
from scorecard.models import ScorecardResult
from scorecard.periods import Period


@dataclass
class Result:
    """Every stored figure of one scope for one period. ``measures[code]`` is a dict with
    ``value``, ``numerator``, ``denominator``, ``excluded`` (reason -> children), ``threshold``
    and ``sum``; ``value`` is None for an empty cohort."""

    region_id: int
    council_id: int | None
    period: Period
    computed_at: datetime | None
    measures: Mapping[str, dict] = field(default_factory=dict)
    stored: bool = True

    def measure(self, code: str) -> dict:
        return self.measures.get(code) or expand(code, None)

    def passes(self, code: str) -> bool | None:
        """Whether the figure meets its threshold (:func:`scorecard.measures.meets_threshold`:
        A1, A10, A2 at or below it; None for A3 and without a value or threshold)."""
        figure = self.measure(code)
        return meets_threshold(code, figure["value"], figure["threshold"])


class StoredFigures(Mapping):
    """A stored result's measures, ``code -> figure`` for every code of :data:`MEASURES` (in
    that order), each put in its full shape (:func:`expand`) the first time it is read and kept.

    Read-only, like the stored row. The dashboard reads ~140 stored results and a few measures
    of each; expanding every measure of every result up front was a third of its CPU.
    """

    __slots__ = ("_stored", "_expanded")

    def __init__(self, stored: dict | None):
        self._stored = stored or {}
        self._expanded: dict[str, dict] = {}

    def __getitem__(self, code: str) -> dict:
        figure = self._expanded.get(code)
        if figure is None:
            if code not in MEASURES:
                raise KeyError(code)
            figure = self._expanded[code] = expand(code, self._stored.get(code))
        return figure

    def __iter__(self) -> Iterator[str]:
        return iter(MEASURES)

    def __len__(self) -> int:
        return len(MEASURES)

    def __contains__(self, code: object) -> bool:
        return code in MEASURES

    def __repr__(self) -> str:
        return repr(dict(self))


def _result(row: ScorecardResult) -> Result:
    return Result(
        region_id=row.region_id,
        council_id=row.council_id,
        period=Period(row.start, row.end, row.kind, row.label),
        computed_at=row.computed_at,
        measures=StoredFigures(row.measures),
    )


def _scope(region_id: int, council_id: int | None):
    rows = ScorecardResult.objects.filter(region_id=region_id)
    return rows.filter(council_id=council_id) if council_id else rows.filter(council=None)


def result(*, region_id: int, council_id: int | None, period: Period) -> Result | None:
    """The stored figures of a scope for a period (matched by its dates). One query."""
    row = (
        _scope(region_id, council_id)
        .filter(start=period.start, end=period.end)
        .exclude(kind=P.CUSTOM)
        .first()
    )
    return _result(row) if row else None


def latest_window(*, region_id: int, council_id: int | None = None) -> Result | None:
    """The most recent stored scorecard window. One query."""
    row = _scope(region_id, council_id).filter(kind=P.WINDOW).order_by("-end").first()
    return _result(row) if row else None


def results(*, region_id: int, council_id: int | None = None, kind: str = P.WINDOW) -> list:
    """Every stored period of a kind for a scope, oldest first. One query."""
    return [_result(r) for r in _scope(region_id, council_id).filter(kind=kind).order_by("end")]


def trend(
    *, region_id: int, council_id: int | None = None, code: str, kind: str = P.WINDOW
) -> list[tuple[Period, dict]]:
    """One measure over every stored period of a kind, oldest first: ``[(period, figure)]``."""
    return [
        (r.period, r.measure(code))
        for r in results(region_id=region_id, council_id=council_id, kind=kind)
    ]


@dataclass(frozen=True)
class Freshness:
    updating: bool  # a change is waiting to be counted
    updated_at: datetime | None  # when the stored figures were computed

    @property
    def label(self) -> str:
        if self.updating:
            return "updating…"
        if self.updated_at is None:
            return "not computed yet"
        return f"updated {timezone.localtime(self.updated_at):%H:%M}"


def updating(*, region_id: int, council_id: int | None = None) -> bool:
    """Whether a change to a scope's data waits to be counted: a council's recompute marker;
    a region is updating while any of its councils is. One query."""
    markers = RecomputeMarker.objects.all()
    if council_id:
        return markers.filter(council_id=council_id).exists()
    return markers.filter(council__region_id=region_id).exists()


def freshness(*, region_id: int, council_id: int | None = None) -> Freshness:
    """Whether a scope's figures are up to date (:func:`updating`) and when they were computed:
    two small queries."""
    updated = _scope(region_id, council_id).aggregate(at=Max("computed_at"))["at"]
    return Freshness(
        updating=updating(region_id=region_id, council_id=council_id), updated_at=updated
    )


def scope_council_ids(*, region_id: int, council_id: int | None) -> list[int]:
    """The councils a scope's figures count: the council, or every council of the region."""
    if council_id:
        return [council_id]
    return list(Council.objects.filter(region_id=region_id).values_list("pk", flat=True))


def default_region() -> Region | None:
    """The region a command reports on when none is named: the first with councils."""
    return Region.objects.filter(councils__isnull=False).order_by("pk").first()


def compute_scorecard(*, period: Period, region_id: int, council_id: int | None = None) -> Result:
    """The figures for any period, computed now by the measure code (nothing stored): for a
    custom range, or a period outside the stored ones."""
    rows = threshold_rows()
    threshold = threshold_for(period, rows)
    council_ids = scope_council_ids(region_id=region_id, council_id=council_id)
    raws = compute_raw([period], [threshold], council_ids=council_ids, region_ids=[region_id])
    total = empty_figures()
    for (key, _), figures in raws.items():
        if council_id and key != council_id:
            continue
        total = add_all(total, figures)
    return Result(
        region_id=region_id,
        council_id=council_id,
        period=period,
        computed_at=timezone.now(),
        measures={code: {**figure} for code, figure in finalise_all(total, threshold).items()},
        stored=False,
    )


def scorecard_result(*, period: Period, region_id: int, council_id: int | None = None) -> Result:
    """Stored figures when the period is stored, else computed on request."""
    stored = (
        None
        if period.kind == P.CUSTOM
        else result(region_id=region_id, council_id=council_id, period=period)
    )
    return stored or compute_scorecard(period=period, region_id=region_id, council_id=council_id)


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def scorecard_json(res: Result, scope: str) -> dict:
    """The ``scorecard --format json`` shape of INTERFACES.md."""
    keys = ("value", "numerator", "denominator", "excluded", "threshold")
    return {
        "scope": scope,
        "period": res.period.as_json(),
        "computed_at": _iso(res.computed_at),
        "measures": {code: {k: res.measure(code)[k] for k in keys} for code in SCORECARD_CODES},
    }


def quarterly(*, first_year: int, region_id: int, council_id: int | None = None) -> dict:
    """The A.4 table of a financial year: ``{"quarters": {"Q1": {...}}, "total": {...},
    "computed_at"}``, every quarter with every count (zeros outside the stored span); the total
    is the year's stored figures (the sum of its quarters). One query."""
    year = P.financial_year(first_year)
    rows = {
        (r.start, r.end): r
        for r in _scope(region_id, council_id).filter(start__gte=year.start, end__lte=year.end)
    }
    codes = (*QUARTERLY_KEYS, "plan_changes", "disruptions")

    def counts(row) -> dict:
        # a quarter outside the stored span had no recorded activity: zeros
        measures = row.measures if row else {}
        return {code: expand(code, measures.get(code))["value"] or 0 for code in codes}

    quarters = {}
    for name, q in zip(P.QUARTER_NAMES, P.quarters(first_year), strict=True):
        quarters[name] = counts(rows.get((q.start, q.end)))
    total_row = rows.get((year.start, year.end))
    if total_row:
        total = counts(total_row)
    else:
        total = {code: sum(q.get(code) or 0 for q in quarters.values()) for code in codes}
    computed = [r.computed_at for r in rows.values()]
    return {
        "quarters": quarters,
        "total": total,
        "computed_at": max(computed) if computed else None,
    }


def _member_councils(user, *, region_id: int, council_id: int | None) -> list[int]:
    """The councils of a scope whose children the person may see (raa.access)."""
    visible = access.council_ids_for(user, access.CASE_VIEW_ROLES)
    if council_id:
        return [council_id] if council_id in visible else []
    return list(
        Council.objects.filter(region_id=region_id, pk__in=visible).values_list("pk", flat=True)
    )


def figure_members(
    *, user, code: str, period: Period, region_id: int, council_id: int | None
) -> list[dict]:
    """The members of one figure of a scope and period (:mod:`scorecard.measures.members`: the
    children, or for the adopter measures the households, it counts and leaves out), limited to
    the councils whose children the person may see. Households of a region scope: every
    household of the region (as its figure counts them) for region-wide case staff, else those
    recruited by the person's councils. Two queries; none for a person who may see no
    children."""
    council_ids = _member_councils(user, region_id=region_id, council_id=council_id)
    if not council_ids:
        return []
    region_wide = region_id in access.region_ids_for(user, access.CASE_VIEW_ROLES)
    if member_lists.unit(code) == "households" and not council_id and region_wide:
        council_ids = None
    threshold = threshold_for(period, threshold_rows())
    return member_lists.figure_members(
        code, period, threshold, council_ids=council_ids, region_id=region_id
    )


def cohort_members(
    *,
    user,
    region_id: int,
    council_id: int | None,
    pivot: date,
    today: date,
    n_months: int,
    m_months: int = DEFAULT_ORDER_MONTHS,
    side: str,
    measure: str,
) -> list[dict]:
    """The children behind one side of one figure of the dashboard's cohort comparison (the
    same dates as :func:`scorecard.cohorts.compare_cohorts`), limited as
    :func:`figure_members`. One or two queries."""
    council_ids = _member_councils(user, region_id=region_id, council_id=council_id)
    if not council_ids:
        return []
    start, end = cohort_dates(pivot, today)
    return member_lists.cohort_members(
        split=pivot,
        n_months=n_months,
        m_months=m_months,
        council_ids=council_ids,
        side=side,
        measure=measure,
        start=start,
        end=end,
    )


def today() -> date:
    return timezone.localdate()


def cohort_comparison(
    *,
    region_id: int,
    council_id: int | None = None,
    split: date,
    n_months: int | None = None,
    m_months: int = DEFAULT_ORDER_MONTHS,
    start: date | None = None,
    end: date | None = None,
) -> dict:
    """DOMAIN.md A.7: children placed before ``split`` against those placed on or after it,
    computed on request (one query). ``n_months`` defaults to A3's N for the window ending with
    ``split``'s financial year. Returns ``{"before": {...}, "after": {...}, "n_months",
    "m_months"}``; each side maps ``placed``, ``placed_n_months``, ``adm``, ``po_m_months`` to a
    figure (value, numerator, denominator)."""
    if n_months is None:
        n_months = threshold_for(P.custom(split, split), threshold_rows()).a3_months
    council_ids = scope_council_ids(region_id=region_id, council_id=council_id)
    figures = compute_cohorts(
        split=split,
        n_months=n_months,
        m_months=m_months,
        council_ids=council_ids,
        start=start,
        end=end,
    )
    kinds = {"placed": MEAN, "placed_n_months": PERCENT, "adm": MEAN, "po_m_months": PERCENT}
    out: dict = {"n_months": n_months, "m_months": m_months}
    for side in ("before", "after"):
        out[side] = {}
        for key, kind in kinds.items():
            f = figures[side].get(key) or raw()
            d = f["denominator"]
            if kind == MEAN:
                value, numerator = mean_days(f["sum"], d), None
            else:
                value, numerator = percentage(f["numerator"], d), f["numerator"]
            out[side][key] = {"value": value, "numerator": numerator, "denominator": d}
    return out
