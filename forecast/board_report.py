"""The forecast's part of a board report: A1, A2 and A3 projected for the end of the current
window, each as a line with its 80% range, for the report's scope (the region or one council).
No child-level data: the figures are the stored projection's aggregates, and one over 1 to 5
children is suppressed like the report's own figures.

Registered with the report through its hook (:mod:`scorecard.reports.extras`) in
:meth:`forecast.apps.ForecastConfig.ready`: the scorecard never imports the forecast. The
projection is read from the region's latest fit (nothing is fitted here); the report freezes
what it read when it is published.
"""

from datetime import date

from forecast import selectors
from forecast.models import Method
from raa.models import Council, Region
from scorecard.measures import MEASURES
from scorecard.reports.extras import ExtraFigures
from scorecard.reports.presentation import DAYS, TEXT, col, table
from scorecard.reports.suppression import SUPPRESSED, is_small, suppress_share

KEY = "projection"
CODES = ("A1", "A2", "A3")


def build(*, region: Region, council: Council | None, year: int, quarter: int) -> dict:
    """The stored projection for the report's scope (JSON-ready), or why there is none (one
    query). It is the latest fit's projection of the window running then, whatever the
    report's quarter: the section names that window and the fit's date."""
    stored = selectors.latest_model(region.pk)
    if stored is None:
        return {
            "state": "none",
            "message": "No projection of the scorecard: no forecast has been fitted for the "
            "region yet (it is fitted every night, once there is enough history).",
        }
    found = selectors.projection_of(stored, council.pk if council else None)
    if found is None:
        reason = stored.message if stored.method == Method.NONE and stored.message else ""
        return {
            "state": "none",
            "as_at": stored.as_at.isoformat(),
            "message": "No projection of the scorecard: not enough history to forecast from"
            + f" (as at {stored.as_at:%d/%m/%Y})."
            + (f" {reason.rstrip('.')}." if reason else ""),
        }
    return {
        "state": "projected",
        "window": found["window"],
        "end": found["end"],
        "draws": found["draws"],
        "as_at": stored.as_at.isoformat(),
        "fitted_at": stored.fitted_at.isoformat(timespec="seconds"),
        "figures": {code: dict(figures) for code, figures in found["figures"]},
    }


def _uk(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def _label(code: str, threshold) -> str:
    """The measure as the report's scorecard table names it."""
    measure = MEASURES[code]
    if measure.report_label and threshold is not None:
        return measure.report_label.format(months=threshold)
    return measure.label_for(threshold)


def _row(code: str, f: dict, suppress: bool) -> list:
    """Measure, projected, range from, range to, to date, threshold."""
    now, low, middle, high = f.get("now"), f.get("low"), f.get("middle"), f.get("high")
    if code != "A3":
        now, low, middle, high = (_whole(v) for v in (now, low, middle, high))
    if suppress:
        children = f.get("children")
        projected = f.get("children_projected")
        if projected is None:
            # a projection stored before it counted its children: the window only gains
            # children as the draws adopt them, so today's count is the least it counts
            projected = children
        if projected is None or is_small(projected):
            low = middle = high = SUPPRESSED
        if children is None or is_small(children):
            now = SUPPRESSED
        elif code == "A3":
            now = suppress_share(now, f.get("numerator"), children)[0]
    threshold = f.get("threshold")
    shown_threshold = f"less than {threshold} months" if code == "A3" else threshold
    return [_label(code, threshold), middle, low, high, now, shown_threshold]


def _whole(value):
    """Means are whole days (as the measures give them); the stored draws are floats."""
    return int(value) if isinstance(value, float) and value == int(value) else value


def present(raw: dict, suppress: bool) -> dict:
    """The report's section: the projection's table, or the plain reason there is none."""
    section = {"key": KEY, "title": "Scorecard projection", "tables": [], "charts": []}
    if raw.get("state") != "projected":
        section["intro"] = raw["message"]
        return section
    window, end = raw["window"], _uk(raw["end"])
    section["intro"] = (
        f"A1, A2 and A3 projected for the end of the {window} window ({end}), from the "
        f"region's past journeys as at {_uk(raw['as_at'])}: the children in the process today "
        f"given outcomes drawn {raw['draws']} times, each draw computed by the scorecard's own "
        "measures. An estimate, not a target; the range holds 8 of every 10 draws."
    )
    rows = [_row(code, raw["figures"][code], suppress) for code in CODES if code in raw["figures"]]
    section["tables"].append(
        table(
            f"Projected for the end of {window}",
            [
                col("Measure", TEXT),
                col("Projected", DAYS),
                col("Range from", DAYS),
                col("Range to", DAYS),
                col("To date", DAYS),
                col("Threshold", DAYS),
            ],
            rows,
            note=f"A1 and A2 in days, A3 a percentage. Range: 80% (the 10th to the 90th "
            f"percentile of the draws). To date: the {window} window's figure on the forecast's "
            "date.",
        )
    )
    return section


PROVIDER = ExtraFigures(key=KEY, build=build, present=present, after="scorecard")
