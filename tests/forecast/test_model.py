"""The forecast model and its command: conditional forecasts, the as-at cut, too little
history, the backtest against the baseline, the JSON of INTERFACES.md."""

import json
from datetime import date, timedelta
from io import StringIO

import numpy as np
import pandas as pd
import pytest
from django.core.management import call_command

from children.models import JourneyEvent
from forecast import model
from forecast.journeys import CEASED, MATCH, at, read
from forecast.models import ForecastModel, ForecastResult, Method
from forecast.services import fit_and_store, forecast_json, forecast_region
from tests.forecast.history import make_history

END = date(2025, 3, 31)


def _features(n: int) -> dict:
    return {
        "age_years": [1.0] * n,
        "male": [1.0] * n,
        "minority": [0.0] * n,
        "disabled": [0.0] * n,
        "siblings": [0.0] * n,
        "year": [2020.0] * n,
        "council": ["901"] * n,
    }


def test_baseline_forecast_is_conditional_on_the_wait_so_far():
    # 100 journeys: 50 matched on day 10, 50 whose plan changed on day 20 (no censoring).
    # Aalen-Johansen: CIF(match) = 0.5 from day 10 on, CIF(change) = 0.5 from day 20.
    # A child who has waited 0 days: P(match within 91) = 0.5.
    # A child who has waited 15 days without a match: everyone like them had their plan
    # changed on day 20, so P(match within 91 | waited 15) = (0.5 - 0.5) / (1 - 0.5 - 0) = 0.
    frame = pd.DataFrame(
        {"time": [10] * 50 + [20] * 50, "event": [MATCH] * 50 + [CEASED] * 50, **_features(100)}
    )
    params = model.fit(frame, covariates=False)
    children = pd.DataFrame(_features(2))
    out = model.predict(params, children, np.array([0, 15]))
    assert out.p_91[0] == pytest.approx(0.5)
    assert out.p_91[1] == pytest.approx(0.0)
    # The median wait of a new child: the chance of a match reaches one half on day 10.
    assert out.q50[0] == 10
    # ... and never does for the child who has waited 15 days.
    assert np.isnan(out.q50[1])


def test_a_journey_cut_at_the_date_gives_the_same_forecast_as_the_full_journey(world):
    make_history(world, count=240, end=END)
    as_at = date(2023, 3, 31)
    full = forecast_json([forecast_region(world.region, as_at)], as_at=as_at, scope="region")
    assert full["children"], "some children were waiting at the date"
    # Cut every journey at the date: the steps dated later never happened.
    later = JourneyEvent.all_objects.filter(date__gt=as_at)
    assert later.exists()
    later.delete()
    cut = forecast_json([forecast_region(world.region, as_at)], as_at=as_at, scope="region")
    assert cut == full


def test_too_little_history_says_so_instead_of_forecasting(world):
    make_history(world, count=30, end=END)
    stored = fit_and_store(world.region, END)
    assert stored.method == Method.NONE
    assert "Too little history" in stored.message
    assert not ForecastResult.objects.filter(model=stored).exists()
    out = StringIO()
    call_command("forecast", "--as-at", END.isoformat(), stdout=out)
    assert "Too little history to forecast" in out.getvalue()


def test_the_model_beats_the_baseline_and_the_forecasts_are_stored(world):
    make_history(world, count=600, end=END)
    stored = fit_and_store(world.region, END)
    scores = stored.scores
    assert scores["model_beats_baseline"] is True
    assert scores["model"]["c_index"] > scores["baseline"]["c_index"]
    assert len(scores["model"]["calibration"]) == 5
    assert stored.method == Method.COX
    results = ForecastResult.objects.filter(model=stored)
    assert results.count() > 0
    for result in results:
        assert 0 <= result.p_91 <= result.p_182 <= result.p_365 <= 1
    # a refit replaces the region's forecasts rather than adding to them
    again = fit_and_store(world.region, END)
    assert ForecastResult.objects.filter(model__region=world.region).count() == results.count()
    assert ForecastModel.objects.filter(region=world.region).count() == 2
    assert again.results.count() == results.count()


def test_forecast_command_json_shape(world):
    make_history(world, count=300, end=END)
    out = StringIO()
    call_command(
        "forecast",
        "--as-at",
        "2024-03-31",
        "--council",
        "801",
        "--format",
        "json",
        stdout=out,
        stderr=StringIO(),
    )
    data = json.loads(out.getvalue())
    assert data["as_at"] == "2024-03-31"
    assert data["scope"] == "801"
    assert set(data["model"]) == {"name", "fitted_on", "c_index_backtest"}
    assert data["model"]["fitted_on"] > 50
    child = data["children"][0]
    assert set(child) == {"child", "council", "waiting_days", "match", "p_breach_a2", "p_breach_a1"}
    assert set(child["match"]) == {"p_91", "p_182", "p_365", "median_date"}
    assert {c["council"] for c in data["children"]} == {"801"}
    # the children are the council's own CHILD ids (the world's A0001 waits too)
    assert all(c["child"].startswith("F") or c["child"] == "A0001" for c in data["children"])
    # waiting days are counted to the as-at date
    assert all(c["waiting_days"] >= 0 for c in data["children"])
    waited = {c["child"]: c["waiting_days"] for c in data["children"]}
    some = next(child for child in waited if child.startswith("F"))
    adm = (
        JourneyEvent.objects.filter(child__child_id=some, kind="adm_decision")
        .values_list("date", flat=True)
        .get()
    )
    assert waited[some] == (date(2024, 3, 31) - adm).days
    assert date(2024, 3, 31) - timedelta(days=waited[some]) == adm


def test_one_read_cut_at_an_earlier_date_is_the_same_as_reading_at_that_date(world):
    # The fit and its backtest (two dates) share one read, and the forecasts for every waiting
    # child read only the children who can be waiting: neither may change a journey.
    make_history(world, count=240, end=END)
    ids = [council.pk for council in world.councils.values()]
    cut = date(2023, 3, 31)
    records = read(as_at=END, council_ids=ids)
    for day in (cut, END):
        pd.testing.assert_frame_equal(
            at(records, day).frame, at(read(as_at=day, council_ids=ids), day).frame
        )
        everyone = at(records, day).waiting.set_index("child").sort_index()
        few = at(read(as_at=day, council_ids=ids, waiting_only=True), day).waiting
        assert len(everyone) > 10
        pd.testing.assert_frame_equal(few.set_index("child").sort_index(), everyone)
