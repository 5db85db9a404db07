"""The scorecard at the end of the current window, projected from the forecasts, and the
managers' what-if: both count hypothetical journey steps through the scorecard's own measure
code (``scorecard.measures.journeys.scorecard`` with ``steps``), so a projected A1, A2 or A3 is
computed exactly as the stored figures are; the steps are written nowhere.

Projection: each draw gives every child in the process an outcome: a waiting child is matched
on a day drawn from their forecast (or not at all: the plan ceases or the wait runs past the
window), then placed and adopted after lags drawn from the region's own past journeys; a child
already matched or placed only gets the later steps. A draw's steps go through the measure code
for the window; the projection is the middle draw with the 10th and 90th percentiles as its
range (an 80% range). With each figure go the children it counts (today's, and the median over
the draws), so that a board report can suppress a figure over 1 to 5 children.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from forecast import model
from forecast.journeys import CENSORED, Journeys
from scorecard.measures import add, finalise
from scorecard.measures.compute import threshold_for, threshold_rows
from scorecard.measures.journeys import scorecard, scorecard_draws
from scorecard.periods import Period, fy_of, window_ending

CODES = ("A1", "A2", "A3")
DRAWS = 40


@dataclass(frozen=True)
class Step:
    child_id: int
    kind: str
    date: date

    def as_dict(self) -> dict:
        return {"child_id": self.child_id, "kind": self.kind, "date": self.date}


def current_window(today: date) -> Period:
    return window_ending(fy_of(today))


def window_figures(period: Period, council_ids: list[int], steps: list[Step] | None = None) -> dict:
    """A1, A2, A3 of the councils together for ``period``, the stored journeys plus ``steps``,
    through the scorecard's measure code (the values and their cohorts as the stored figures
    give them)."""
    return window_figures_by_council(period, council_ids, steps)["region"]


def window_figures_by_council(
    period: Period, council_ids: list[int], steps: list[Step] | None = None
) -> dict:
    """:func:`window_figures` for the councils together (key ``"region"``) and for each
    council (key: its pk), from one query (two with steps)."""
    threshold = threshold_for(period, threshold_rows())
    raw = scorecard([period], [threshold], council_ids, steps=[s.as_dict() for s in steps or []])
    return _figures(raw, council_ids, threshold)


def window_figures_by_draw(
    period: Period, council_ids: list[int], draws: list[list[Step]]
) -> list[dict]:
    """:func:`window_figures_by_council` for each list of steps in ``draws``: the children no
    draw is about are counted once for them all (``scorecard_draws``)."""
    threshold = threshold_for(period, threshold_rows())
    raws = scorecard_draws(
        [period], [threshold], council_ids, [[s.as_dict() for s in steps] for steps in draws]
    )
    return [_figures(raw, council_ids, threshold) for raw in raws]


def _figures(raw: dict, council_ids: list[int], threshold) -> dict:
    totals: dict = {"region": {}, **{pk: {} for pk in council_ids}}
    for (council_pk, _index), figures in raw.items():
        for code in CODES:
            totals["region"][code] = _add(totals["region"].get(code), figures[code])
            totals[council_pk][code] = figures[code]
    out: dict = {}
    for key, total in totals.items():
        out[key] = {}
        for code in CODES:
            stored = finalise(code, total.get(code), threshold.for_measure(code))
            out[key][code] = {
                "value": stored.get("value"),
                "numerator": stored.get("numerator"),
                "denominator": stored.get("denominator", 0),
                "threshold": threshold.for_measure(code),
            }
    return out


def _add(a, b):
    return add(a, b) if a is not None else b


def in_process(journeys: Journeys) -> pd.DataFrame:
    """Children not yet adopted whose journey is still going: waiting for a match, or matched
    and not yet adopted (placed or not), with what they still need."""
    f = journeys.frame
    waiting = (f.event == CENSORED) & ~f.adopted
    matched_going = (f.event != CENSORED) & f.match.notna() & f.adoption_order.isna()
    matched_going &= f.ceased.isna() | (f.ceased < f.match)
    return f[waiting | matched_going]


def simulate(
    params: dict,
    journeys: Journeys,
    *,
    period: Period,
    council_ids: list[int],
    draws: int = DRAWS,
    seed: int = 21,
) -> dict:
    """The window's A1, A2, A3 projected (see the module's docstring), for the councils
    together (key ``"region"``) and each council (key: its pk as text): for each measure,
    ``low``, ``middle``, ``high`` (10th, 50th, 90th percentile over the draws), ``threshold``
    and the figure as it stands today (``now``)."""
    rng = np.random.default_rng(seed)
    as_at = journeys.as_at
    going = in_process(journeys)
    history = journeys.frame
    placed_lags = history.placed_lag.dropna().to_numpy()
    ao_lags = history.ao_lag.dropna().to_numpy()
    if not len(placed_lags) or not len(ao_lags):
        return {}
    waiting = going[going.match.isna()]
    cif1 = None
    if len(waiting):
        cif1, cif2 = model._cifs(params, waiting)
        w = np.clip(waiting.time.to_numpy(), 0, params["horizon"]).astype(int)
        rows = np.arange(len(waiting))
        still = np.clip(1.0 - cif1[rows, w] - cif2[rows, w], 1e-9, None)
        conditional = (cif1 - cif1[rows, w][:, None]) / still[:, None]
        days = np.arange(params["horizon"] + 1)
        conditional = np.where(days[None, :] >= w[:, None], conditional, 0.0)
    scopes = ["region", *council_ids]
    results: dict = {key: {code: [] for code in CODES} for key in scopes}
    cohorts: dict = {key: {code: [] for code in CODES} for key in scopes}
    as_at_ts = pd.Timestamp(as_at)
    drawn: list[list[Step]] = []
    for _ in range(draws):
        steps: list[Step] = []
        if cif1 is not None:
            u = rng.random(len(waiting))
            reached = conditional >= u[:, None]
            hit = reached.any(axis=1)
            first = reached.argmax(axis=1)
            for i, child in enumerate(waiting.itertuples()):
                if not hit[i]:
                    continue
                match = child.start + pd.Timedelta(days=int(first[i]))
                match = max(match, as_at_ts + pd.Timedelta(days=1))
                steps += _after_match(child.child, match, rng, placed_lags, ao_lags, period)
        for child in going[going.match.notna()].itertuples():
            placed = child.placed if pd.notna(child.placed) else None
            if placed is None:
                steps += _after_match(
                    child.child, max(child.match, as_at_ts), rng, placed_lags, ao_lags, period
                )
            else:
                ao = max(placed + pd.Timedelta(days=int(rng.choice(ao_lags))), as_at_ts)
                if ao.date() <= period.end:
                    steps.append(Step(int(child.child), "adoption_order", ao.date()))
        drawn.append(steps)
    for figures in window_figures_by_draw(period, council_ids, drawn):
        for key in scopes:
            for code in CODES:
                results[key][code].append(figures[key][code]["value"])
                cohorts[key][code].append(figures[key][code]["denominator"] or 0)
    now = window_figures_by_council(period, council_ids)
    out: dict = {"window": period.label, "end": period.end.isoformat(), "draws": draws}
    for key in scopes:
        out[str(key)] = {}
        for code in CODES:
            values = [v for v in results[key][code] if v is not None]
            out[str(key)][code] = {
                "now": now[key][code]["value"],
                "threshold": now[key][code]["threshold"],
                "low": _pct(values, 10),
                "middle": _pct(values, 50),
                "high": _pct(values, 90),
                # how many children the figure counts, today and in the middle draw: a board
                # report suppresses a figure over 1 to 5 children (DOMAIN A.10)
                "children": now[key][code]["denominator"],
                "numerator": now[key][code]["numerator"],
                "children_projected": int(np.median(cohorts[key][code])),
            }
    return out


def _pct(values: list, q: int):
    if not values:
        return None
    # a figure one of the draws actually gave (whole days for A1 and A2, as the measures give)
    return float(np.percentile(values, q, method="nearest"))


def _after_match(child_pk, match, rng, placed_lags, ao_lags, period: Period) -> list[Step]:
    """Match, placement and adoption order steps for one child, if the order falls in the
    window (a later one would not count in it)."""
    placed = match + pd.Timedelta(days=int(rng.choice(placed_lags)))
    ao = placed + pd.Timedelta(days=int(rng.choice(ao_lags)))
    if ao.date() > period.end:
        return []
    pk = int(child_pk)
    return [
        Step(pk, "matched", match.date()),
        Step(pk, "placed", placed.date()),
        Step(pk, "adoption_order", ao.date()),
    ]


def what_if(
    *,
    period: Period,
    council_ids: list[int],
    children: list[tuple[int, date, date | None, date | None]],
    placed_lag: int,
    ao_lag: int,
) -> dict:
    """The window's A1, A2, A3 before and after hypothetical steps: each of ``children`` (pk,
    match date, placed date or None, adoption order date or None) is matched, placed and
    adopted on those dates (missing ones: the region's typical lags after the step before).
    ``{"before": figures, "after": figures, "steps": [...]}``."""
    steps: list[Step] = []
    for pk, match, placed, ao in children:
        placed = placed or match + timedelta(days=placed_lag)
        ao = ao or placed + timedelta(days=ao_lag)
        steps += [
            Step(pk, "matched", match),
            Step(pk, "placed", placed),
            Step(pk, "adoption_order", ao),
        ]
    return {
        "before": window_figures(period, council_ids),
        "after": window_figures(period, council_ids, steps),
        "steps": steps,
    }
