"""Fitting the forecast models and writing them with their forecasts (the nightly job, and
after a bulk import), and the same forecasts computed on demand for the ``forecast`` command.

A region is fitted on its own journeys as at a date (``forecast.journeys``): the backtest (fit
on what was known two years before, score the two years since) decides between the Cox model
and the baseline, and the chosen one is refitted on everything known at the date.
"""

import time
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd
from django.db import transaction
from django.utils import timezone

from forecast import backtest, model
from forecast.journeys import Journeys, Records, at, read
from forecast.models import ForecastModel, ForecastResult, Method
from forecast.projection import current_window, simulate
from raa.models import Region
from scorecard.measures.compute import threshold_for, threshold_rows
from scorecard.periods import fy_of, window_ending

#: The backtest's cut: this many days before the forecast's date.
BACKTEST_DAYS = 730
#: A forecast counts as "likely to breach" at this chance or more (A1 or A2).
LIKELY = 0.5


@dataclass
class RegionForecast:
    region: Region
    as_at: date
    method: str
    journeys: Journeys | None = None
    params: dict = field(default_factory=dict)
    scores: dict = field(default_factory=dict)
    message: str = ""
    placed_lag: int | None = None
    ao_lag: int | None = None
    rows: list[dict] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def c_index(self) -> float | None:
        chosen = "model" if self.method == Method.COX else "baseline"
        return (self.scores.get(chosen) or {}).get("c_index")

    @property
    def name(self) -> str:
        return {
            Method.COX: "cause-specific Cox (lifelines), match vs change of plan",
            Method.BASELINE: "Aalen-Johansen without covariates (lifelines)",
            Method.NONE: "none: not enough history",
        }[self.method]


def current_thresholds(as_at: date):
    """The A1/A2 thresholds of the scorecard window that holds ``as_at``."""
    window = window_ending(fy_of(as_at))
    return window, threshold_for(window, threshold_rows())


def _median(values: pd.Series) -> int | None:
    values = values.dropna()
    return int(values.median()) if len(values) else None


def forecast_region(region: Region, as_at: date, records: Records | None = None) -> RegionForecast:
    """Fit, backtest and forecast one region as at ``as_at`` (nothing written). ``records``:
    what :func:`forecast.journeys.read` already read to ``as_at`` for these councils or more
    (else read here): the fit and its backtest both come from that one read."""
    started = time.perf_counter()
    result = fit_region(region, as_at, records)
    if result.method != Method.NONE:
        result.rows = forecast_rows(result, result.journeys)
    result.seconds = time.perf_counter() - started
    return result


def fit_region(region: Region, as_at: date, records: Records | None = None) -> RegionForecast:
    """:func:`forecast_region` without the forecasts: the backtest, the choice of model and
    its fit on everything known at ``as_at``."""
    started = time.perf_counter()
    council_ids = list(region.councils.values_list("pk", flat=True))
    if records is None:
        records = read(as_at=as_at, council_ids=council_ids)
    full = at(records, as_at, council_ids)
    result = RegionForecast(region=region, as_at=as_at, method=Method.NONE, journeys=full)
    if full.with_outcome < model.MIN_OUTCOMES:
        result.message = (
            f"Too little history to forecast: {full.with_outcome} journeys ended in a match or a "
            f"change of plan by {as_at:%d/%m/%Y}; at least {model.MIN_OUTCOMES} are needed."
        )
        result.seconds = time.perf_counter() - started
        return result
    past = at(records, as_at - timedelta(days=BACKTEST_DAYS), council_ids)
    result.scores = backtest.run(past, full)
    use_cox = result.scores.get("model_beats_baseline", False)
    result.method = Method.COX if use_cox else Method.BASELINE
    if "not_enough" in result.scores:
        result.message = "No backtest (" + result.scores["not_enough"] + "): baseline used."
    elif not use_cox:
        result.message = "The model did not beat the baseline in the backtest: baseline used."
    result.params = model.fit(full.frame, covariates=use_cox)
    result.placed_lag = _median(full.frame.placed_lag)
    result.ao_lag = _median(full.frame.ao_lag)
    result.seconds = time.perf_counter() - started
    return result


def forecast_rows(result: RegionForecast, journeys: Journeys) -> list[dict]:
    """The forecast of every child waiting in ``journeys`` (at their date) from the fitted
    ``result`` (its parameters and typical lag): one vectorised pass over the children."""
    full = journeys
    waiting = full.waiting
    if waiting.empty:
        return []
    _, threshold = current_thresholds(full.as_at)
    as_at_ts = pd.Timestamp(full.as_at)
    waited = waiting.time.to_numpy()
    a2_deadline = (waiting.po_date + pd.Timedelta(days=threshold.a2_days) - waiting.start).dt.days
    lag = pd.Timedelta(days=result.placed_lag or 0)
    a1_deadline = (
        waiting.entered + pd.Timedelta(days=threshold.a1_days) - lag - waiting.start
    ).dt.days
    forecasts = model.predict(
        result.params,
        waiting,
        waited,
        {"a2": a2_deadline.to_numpy(dtype=float), "a1": a1_deadline.to_numpy(dtype=float)},
    )

    as_at_day = np.datetime64(as_at_ts.date(), "D")

    def days(offsets: np.ndarray) -> list:
        """Dates ``offsets`` days after the date (None where NaN), whole columns at once."""
        known = ~np.isnan(offsets)
        shifted = as_at_day + np.where(known, offsets, 0).astype("timedelta64[D]")
        return [d if k else None for d, k in zip(shifted.tolist(), known.tolist(), strict=True)]

    def chances(values: np.ndarray) -> list:
        return [None if v != v else round(v, 3) for v in values.tolist()]

    a2 = chances(forecasts.not_matched_by["a2"])
    a1 = chances(forecasts.not_matched_by["a1"])
    columns = zip(
        waiting.child.tolist(),
        waiting.child_id.tolist(),
        waiting.council.tolist(),
        waited.tolist(),
        chances(forecasts.p_91),
        chances(forecasts.p_182),
        chances(forecasts.p_365),
        days(forecasts.q50),
        days(forecasts.q10),
        days(forecasts.q90),
        a2,
        a1,
        strict=True,
    )
    return [
        {
            "child_pk": int(pk),
            "child": child_id,
            "council": council,
            "waiting_days": int(waited_days),
            "p_91": p91,
            "p_182": p182,
            "p_365": p365,
            "median_date": median,
            "low_date": low,
            "high_date": high,
            "p_breach_a2": breach_a2,
            "p_breach_a1": breach_a1,
            "likely_breach": max(breach_a2 or 0, breach_a1 or 0) >= LIKELY,
        }
        for (
            pk,
            child_id,
            council,
            waited_days,
            p91,
            p182,
            p365,
            median,
            low,
            high,
            breach_a2,
            breach_a1,
        ) in columns
    ]


def forecast_json(forecasts: list[RegionForecast], *, as_at: date, scope: str) -> dict:
    """The ``forecast --format json`` answer (INTERFACES.md "Forecasts")."""
    fitted = [f for f in forecasts if f.method != Method.NONE]
    if len(forecasts) == 1:
        only = forecasts[0]
        name, c_index = only.name, only.c_index
    else:
        name = f"per region ({len(fitted)} of {len(forecasts)} regions forecast)"
        weights = [(f.c_index, len(f.journeys.frame)) for f in fitted if f.c_index is not None]
        total = sum(w for _, w in weights)
        c_index = round(sum(c * w for c, w in weights) / total, 4) if total else None
    children = []
    for f in forecasts:
        for row in f.rows:
            if scope != "region" and row["council"] != scope:
                continue
            children.append(
                {
                    "child": row["child"],
                    "council": row["council"],
                    "waiting_days": row["waiting_days"],
                    "match": {
                        "p_91": row["p_91"],
                        "p_182": row["p_182"],
                        "p_365": row["p_365"],
                        "median_date": row["median_date"].isoformat()
                        if row["median_date"]
                        else None,
                    },
                    "p_breach_a2": row["p_breach_a2"],
                    "p_breach_a1": row["p_breach_a1"],
                }
            )
    children.sort(key=lambda c: (c["council"], c["child"]))
    return {
        "as_at": as_at.isoformat(),
        "scope": scope,
        "model": {
            "name": name,
            "fitted_on": sum(len(f.journeys.frame) for f in fitted if f.journeys is not None),
            "c_index_backtest": c_index,
        },
        "children": children,
    }


def store(result: RegionForecast, *, projection: dict | None = None) -> ForecastModel:
    """Write a region's fit and its forecasts in one transaction; the region's earlier
    forecasts (derived rows, not case data) give way to the new ones."""
    frame = result.journeys.frame if result.journeys is not None else pd.DataFrame()
    with transaction.atomic():
        stored = ForecastModel.objects.create(
            region=result.region,
            fitted_at=timezone.now(),
            as_at=result.as_at,
            method=result.method,
            n_journeys=len(frame),
            n_outcomes=result.journeys.with_outcome if result.journeys is not None else 0,
            message=result.message,
            scores=result.scores,
            params=result.params,
            placed_lag_days=result.placed_lag,
            adoption_lag_days=result.ao_lag,
            projection=projection or {},
            seconds=round(result.seconds, 3),
        )
        ForecastResult.objects.filter(model__region=result.region).exclude(model=stored).delete()
        ForecastResult.objects.bulk_create(
            [
                ForecastResult(
                    model=stored,
                    child_id=row["child_pk"],
                    **{k: row[k] for k in _RESULT_FIELDS},
                )
                for row in result.rows
            ],
            batch_size=2000,
        )
    return stored


_RESULT_FIELDS = (
    "waiting_days",
    "p_91",
    "p_182",
    "p_365",
    "median_date",
    "low_date",
    "high_date",
    "p_breach_a2",
    "p_breach_a1",
    "likely_breach",
)


def fit_and_store(region: Region, as_at: date | None = None) -> ForecastModel:
    """The nightly job's work for one region: fit as at today, project the current window,
    store both."""
    as_at = as_at or timezone.localdate()
    result = forecast_region(region, as_at)
    projection: dict = {}
    if result.method != Method.NONE:
        council_ids = list(region.councils.values_list("pk", flat=True))
        period = current_window(as_at)
        projection = simulate(
            result.params, result.journeys, period=period, council_ids=council_ids
        )
    return store(result, projection=projection)
