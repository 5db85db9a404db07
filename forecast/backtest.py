"""The honest backtest: fit on what was known at a cut date, score the year after it.

Test journeys: every child waiting at the cut (forecast conditional on the wait so far) and every
journey that started in the year after it (forecast from day 0), with their outcomes as known at
the end date. The cut is at least 365 days before the end date and a journey that started after
the cut is kept only if it started at least 365 days before the end, so every test journey is
followed for a full year: whether it was matched within 91, 182 and 365 days is known for
all of them and the Brier scores need no censoring weights.

Scores, for the model and for the baseline without covariates, side by side:

- Harrell's C-index (lifelines ``concordance_index``) of the chance of a match within a year
  against the days to a match (a change of plan, or still waiting at the end, counts as
  censored there: the cause-specific concordance);
- the Brier score at 91, 182 and 365 days: the mean of (matched by then - predicted chance)^2;
- calibration by fifth: the test journeys in five groups by the predicted chance of a match
  within a year, each group's mean prediction beside the share actually matched within a year.
"""

from datetime import date, timedelta

import numpy as np
import pandas as pd
from lifelines.utils import concordance_index

from forecast import model
from forecast.journeys import MATCH, Journeys

HORIZONS = (91, 182, 365)


def test_set(full: Journeys, cut: date) -> pd.DataFrame:
    """The journeys scored after ``cut`` (see the module's docstring), with ``waited`` (days
    waited at the cut, 0 for a later start), ``remaining`` (days from then to the outcome or the
    end) and ``matched`` (the outcome was a match)."""
    f = full.frame
    if f.empty:
        return f.assign(waited=[], remaining=[], matched=[])
    cut_ts = pd.Timestamp(cut)
    outcome_day = f.start + pd.to_timedelta(f.time, unit="D")
    waiting_at_cut = (f.start <= cut_ts) & (outcome_day > cut_ts)
    waiting_at_cut &= ~(f.adoption_order.notna() & (f.adoption_order <= cut_ts))
    last_start = pd.Timestamp(full.as_at - timedelta(days=365))
    started_after = (f.start > cut_ts) & (f.start <= last_start)
    chosen = f[waiting_at_cut | started_after].copy()
    origin = chosen.start.where(chosen.start > cut_ts, cut_ts)
    chosen["waited"] = (origin - chosen.start).dt.days
    chosen["remaining"] = chosen.time - chosen.waited
    chosen["matched"] = chosen.event == MATCH
    return chosen


def score(params: dict, tests: pd.DataFrame) -> dict:
    """C-index, Brier scores and the calibration table of one fitted model on ``tests``."""
    forecasts = model.predict(params, tests, tests.waited.to_numpy(), quantiles=False)
    keep = ~np.isnan(forecasts.p_365)
    remaining = tests.remaining.to_numpy()[keep]
    matched = tests.matched.to_numpy()[keep]
    out: dict = {"n": int(keep.sum())}
    p365 = forecasts.p_365[keep]
    # higher chance of a match = shorter wait: concordance_index wants "longer" scores higher
    out["c_index"] = round(float(concordance_index(remaining, -p365, matched)), 4)
    for t in HORIZONS:
        predicted = getattr(forecasts, f"p_{t}")[keep]
        observed = (matched & (remaining <= t)).astype(float)
        out[f"brier_{t}"] = round(float(np.mean((observed - predicted) ** 2)), 4)
    observed_365 = (matched & (remaining <= 365)).astype(float)
    ranks = pd.Series(p365).rank(method="first")
    fifth = pd.qcut(ranks, 5, labels=False) if len(ranks) >= 5 else pd.Series(np.zeros(len(ranks)))
    table = []
    for group in range(5):
        members = (fifth == group).to_numpy()
        if members.any():
            table.append(
                {
                    "fifth": group + 1,
                    "n": int(members.sum()),
                    "predicted": round(float(p365[members].mean()), 3),
                    "observed": round(float(observed_365[members].mean()), 3),
                }
            )
    out["calibration"] = table
    return out


def beats(model_scores: dict, baseline_scores: dict) -> bool:
    """The model is used only if it beats the baseline: a higher C-index and a lower mean
    Brier score over 91, 182 and 365 days."""

    def mean_brier(s: dict) -> float:
        return sum(s[f"brier_{t}"] for t in HORIZONS) / len(HORIZONS)

    return model_scores["c_index"] > baseline_scores["c_index"] and mean_brier(
        model_scores
    ) < mean_brier(baseline_scores)


def run(past: Journeys, full: Journeys) -> dict:
    """Fit both models on ``past`` (the journeys as known at the cut) and score them on the
    year after the cut as known in ``full``. ``{"cut", "end", "model", "baseline",
    "model_beats_baseline"}``, or ``{"cut", "end", "not_enough": reason}``."""
    out: dict = {"cut": past.as_at.isoformat(), "end": full.as_at.isoformat()}
    if past.with_outcome < model.MIN_OUTCOMES:
        out["not_enough"] = (
            f"{past.with_outcome} journeys with an outcome by {past.as_at:%d/%m/%Y} "
            f"(at least {model.MIN_OUTCOMES} needed)"
        )
        return out
    tests = test_set(full, past.as_at)
    if len(tests) < 20 or int(tests.matched.sum()) < 5:
        out["not_enough"] = f"{len(tests)} journeys to score after {past.as_at:%d/%m/%Y}"
        return out
    out["model"] = score(model.fit(past.frame, covariates=True), tests)
    out["baseline"] = score(model.fit(past.frame, covariates=False), tests)
    out["model_beats_baseline"] = beats(out["model"], out["baseline"])
    return out
