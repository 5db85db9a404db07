"""The survival model behind the forecasts: time from the start of a journey (ADM decision, or
placement order) to a match, with a change of plan as the competing outcome.

Two models, each fitted on the same journeys and each giving, for a child, the cumulative
incidence of a match ``CIF1(t)`` and of a change of plan ``CIF2(t)`` on a daily grid:

- **baseline**: the Aalen–Johansen estimate without covariates (lifelines
  ``AalenJohansenFitter``, one fit per outcome): every child gets the region's curve;
- **cox**: a cause-specific Cox model per outcome (lifelines ``CoxPHFitter``) on the features
  the app holds (age at the decision, sex, ethnic minority, disability, sibling group, council,
  year of the decision); each child's cause-specific cumulative hazards ``H_k(t) = H0_k(t) *
  exp((x - mean) . beta_k)`` combine day by day into ``CIF1(t) = sum_s S(s-1) (1 -
  exp(-dH_1(s) - dH_2(s))) dH_1(s) / (dH_1(s) + dH_2(s))`` with ``S = exp(-H_1 - H_2)``.

A fitted model is a plain dict of numbers (:func:`fit` -> ``params``), stored as JSON, so a page
reads it back without lifelines or pickles. A forecast for a child who has already waited ``w``
days is conditional on it: ``P(match by w + t | still waiting at w) = (CIF1(w + t) - CIF1(w)) /
(1 - CIF1(w) - CIF2(w))``.
"""

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from lifelines import AalenJohansenFitter, CoxPHFitter

from forecast.journeys import CEASED, MATCH

FEATURES = ("age_years", "male", "minority", "disabled", "siblings", "year")
#: The grid runs to the longest wait seen, at most ten years.
MAX_HORIZON = 3650
#: Too little history: fewer journeys with an outcome than this and the region is not forecast.
MIN_OUTCOMES = 50
PENALIZER = 0.01
#: Children forecast at a time (their curves, day by day, stay in the CPU cache).
CHUNK = 500


@dataclass
class Forecasts:
    """Per child (arrays in the order asked): chance of a match within 91, 182, 365 days, the
    10th, 50th and 90th percentiles of the days still to wait (NaN where the chance stays below
    that level within the horizon), and the chance of no match by each deadline."""

    p_91: np.ndarray
    p_182: np.ndarray
    p_365: np.ndarray
    q10: np.ndarray
    q50: np.ndarray
    q90: np.ndarray
    not_matched_by: dict


def _design(frame: pd.DataFrame, councils: list[str]) -> pd.DataFrame:
    x = frame.loc[:, list(FEATURES)].astype(float).copy()
    # one column per council but the first (the reference council)
    for code in councils[1:]:
        x[f"council_{code}"] = (frame["council"] == code).astype(float)
    return x


def _on_grid(times: np.ndarray, values: np.ndarray, horizon: int) -> list[float]:
    """A step function known at ``times`` read on days 0..horizon."""
    days = np.arange(horizon + 1)
    index = np.searchsorted(times, days, side="right") - 1
    out = np.where(index >= 0, values[np.clip(index, 0, None)], 0.0)
    return [round(float(v), 8) for v in out]


def fit(frame: pd.DataFrame, *, covariates: bool) -> dict:
    """Fit the baseline (``covariates=False``) or the Cox model on journeys (``time``,
    ``event`` and the features); returns its parameters (JSON-ready)."""
    horizon = int(min(MAX_HORIZON, max(int(frame.time.max()), 400)))
    durations = frame.time.astype(float).clip(lower=0.5)
    if not covariates:
        curves = {}
        for name, outcome in (("cif_match", MATCH), ("cif_ceased", CEASED)):
            ajf = AalenJohansenFitter(
                calculate_variance=False, seed=0
            )  # ties jittered, same every fit
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # lifelines warns that it jitters ties
                ajf.fit(durations, frame.event, event_of_interest=outcome)
            cif = ajf.cumulative_density_.iloc[:, 0]
            curves[name] = _on_grid(cif.index.values, cif.values, horizon)
        return {"kind": "baseline", "horizon": horizon, **curves}

    councils = sorted(frame.council.unique())
    x = _design(frame, councils)
    x = x.loc[:, x.std() > 0]  # a constant column (one council, one year) says nothing
    columns = list(x.columns)
    causes = {}
    for name, outcome in (("match", MATCH), ("ceased", CEASED)):
        data = x.assign(_t=durations.values, _e=(frame.event == outcome).astype(int).values)
        cph = CoxPHFitter(penalizer=PENALIZER)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # batch mode: the Efron sums over every tie at once in numpy (lifelines' default
            # guess picks a row-by-row Python loop for most regions, twice as slow; the same fit)
            cph.fit(data, duration_col="_t", event_col="_e", batch_mode=True)
        base = cph.baseline_cumulative_hazard_.iloc[:, 0]
        causes[name] = {
            "coef": [float(cph.params_[c]) for c in columns],
            "mean": [float(cph._norm_mean[c]) for c in columns],
            "baseline": _on_grid(base.index.values, base.values, horizon),
        }
    return {
        "kind": "cox",
        "horizon": horizon,
        "columns": columns,
        "councils": councils,
        **causes,
    }


def _cifs(
    params: dict, frame: pd.DataFrame, upto: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """CIF of a match and of a change of plan, shape (children, horizon + 1), or only days
    0..``upto`` (the same values: each day's CIF depends only on the days before it)."""
    n = len(frame)
    days = params["horizon"] + 1 if upto is None else min(upto, params["horizon"]) + 1
    if params["kind"] == "baseline":
        one = np.asarray(params["cif_match"][:days])[None, :]
        two = np.asarray(params["cif_ceased"][:days])[None, :]
        return np.repeat(one, n, axis=0), np.repeat(two, n, axis=0)
    x = _design(frame, params["councils"])
    for column in params["columns"]:
        if column not in x:
            x[column] = 0.0
    x = x[params["columns"]].to_numpy(dtype=float)
    hazards = []
    for name in ("match", "ceased"):
        cause = params[name]
        risk = np.exp((x - np.asarray(cause["mean"])) @ np.asarray(cause["coef"]))
        hazards.append(np.asarray(cause["baseline"][:days])[None, :] * risk[:, None])
    h1, h2 = hazards
    survival = np.exp(-(h1 + h2))
    before = np.concatenate([np.ones((n, 1)), survival[:, :-1]], axis=1)
    d1 = np.diff(h1, axis=1, prepend=0.0)
    d2 = np.diff(h2, axis=1, prepend=0.0)
    # Each day, the chance of an outcome (1 - exp(-dH1 - dH2)) shared between the two outcomes
    # in proportion to their hazards: CIF1 + CIF2 = 1 - S exactly, so no chance passes 1.
    both = d1 + d2
    event = before * (1.0 - np.exp(-both))
    share = np.divide(d1, both, out=np.zeros_like(d1), where=both > 0)
    return np.cumsum(event * share, axis=1), np.cumsum(event * (1.0 - share), axis=1)


def predict(
    params: dict,
    frame: pd.DataFrame,
    waited: np.ndarray,
    deadlines: dict | None = None,
    *,
    quantiles: bool = True,
) -> Forecasts:
    """Forecasts for children (``frame``: their features) who have waited ``waited`` days.
    ``deadlines``: name -> days from the start (NaN where it does not apply); the chance of no
    match by then, given the wait so far (1 where the deadline has passed). ``quantiles=False``
    (the backtest): only the chances within 91, 182 and 365 days, which need each child's
    curve only to a year past their wait (the percentiles are left NaN)."""
    deadlines = deadlines or {}
    n = len(frame)
    out = {k: np.full(n, np.nan) for k in ("p_91", "p_182", "p_365", "q10", "q50", "q90")}
    not_matched = {name: np.full(n, np.nan) for name in deadlines}
    horizon = params["horizon"]
    chunk = CHUNK
    for lo in range(0, n, chunk):
        part = frame.iloc[lo : lo + chunk]
        m = len(part)
        rows = np.arange(m)
        w = np.clip(np.asarray(waited[lo : lo + chunk], dtype=float), 0, horizon).astype(int)
        last = horizon
        if not quantiles and not deadlines and m:
            last = min(horizon, int(w.max()) + 365)
        cif1, cif2 = _cifs(params, part, last)
        still = 1.0 - cif1[rows, w] - cif2[rows, w]
        ok = still > 1e-6
        # conditional CIF of a match, t days after the wait so far (t >= 0)
        days = np.arange(last + 1)
        conditional = (cif1 - cif1[rows, w][:, None]) / np.where(ok, still, 1.0)[:, None]
        conditional = np.where(days[None, :] >= w[:, None], conditional, 0.0)

        def at(extra: np.ndarray, conditional=conditional, w=w, rows=rows, last=last):
            index = np.clip(w + extra, 0, last).astype(int)
            return conditional[rows, index]

        for key, t in (("p_91", 91), ("p_182", 182), ("p_365", 365)):
            out[key][lo : lo + m] = np.where(ok, at(np.full(m, t)), np.nan)
        for key, level in (("q10", 0.1), ("q50", 0.5), ("q90", 0.9)) if quantiles else ():
            reached = conditional >= level
            first = np.where(reached.any(axis=1), reached.argmax(axis=1) - w, np.nan)
            out[key][lo : lo + m] = np.where(ok, first, np.nan)
        for name, values in deadlines.items():
            d = np.asarray(values[lo : lo + chunk], dtype=float)
            known = ~np.isnan(d)
            remaining = np.where(known, d, 0) - w
            chance = np.where(remaining <= 0, 1.0, 1.0 - at(np.clip(remaining, 0, None)))
            not_matched[name][lo : lo + m] = np.where(known & ok, chance, np.nan)
    return Forecasts(**out, not_matched_by=not_matched)
