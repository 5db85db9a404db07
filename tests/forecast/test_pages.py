"""Where people see the forecasts: the tracking list (column, filter, sort, exports), the
child's record, the dashboard's projection, the what-if page and the board report's projection."""

import csv
import io
from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from forecast.models import ForecastResult
from forecast.services import fit_and_store
from scorecard.reports import services
from tests.forecast.history import make_history


@pytest.fixture
def fitted(world):
    today = timezone.localdate()
    make_history(world, count=400, end=today)
    return fit_and_store(world.region, today)


def test_tracking_list_shows_filters_and_sorts_by_the_forecast(client_for, world, fitted):
    client = client_for(world.user("manager", "region"))
    page = client.get("/tracking/").content.decode()
    assert 'data-testid="forecast-cell"' in page
    assert "not a judgement about any child" in page
    likely = ForecastResult.objects.filter(model=fitted, likely_breach=True)
    unlikely = ForecastResult.objects.filter(model=fitted, likely_breach=False)
    assert likely.exists() and unlikely.exists(), "the history gives both kinds"
    filtered = client.get("/tracking/?likely=1&all=1").content.decode()
    for result in likely.select_related("child")[:5]:
        assert result.child.child_id in filtered
    for result in unlikely.select_related("child")[:5]:
        assert f">{result.child.child_id}<" not in filtered
    # most likely to breach A2 first
    rows = client.get("/tracking/?sort=breach&all=1").context["rows"]
    chances = [r.record.forecasts.all()[0].p_breach_a2 for r in rows if r.record.forecasts.all()]
    chances = [c for c in chances if c is not None]
    assert chances == sorted(chances, reverse=True)


def test_tracking_export_carries_the_forecast(client_for, world, fitted):
    client = client_for(world.user("manager", "region"))
    text = client.get("/tracking/export.csv?likely=1").content.decode()
    table = list(csv.reader(io.StringIO(text)))
    header = table[0]
    assert "Likely match date (estimate)" in header
    assert "Chance of breaching A2" in header
    column = header.index("Chance of breaching A1")
    assert all(
        float(row[column]) >= 0.5 or row[header.index("Chance of breaching A2")]
        for row in table[1:]
    )


def test_child_record_shows_the_forecast_with_its_wording(client_for, world, fitted):
    result = ForecastResult.objects.filter(model=fitted).select_related("child").first()
    council = "A" if result.child.council == world.councils["A"] else "B"
    client = client_for(world.user("social_worker", council))
    page = client.get(f"/children/{result.child.pk}/").content.decode()
    assert 'data-testid="child-forecast"' in page
    assert "not a judgement about" in page
    assert "80% range" in page


def test_dashboard_shows_the_projection_with_its_range(client_for, world, fitted):
    assert fitted.projection["region"]["A2"]["middle"] is not None
    call_command("recompute_scorecards")  # the dashboard shows stored figures only
    page = client_for(world.user("manager", "region")).get("/scorecard/").content.decode()
    assert 'data-testid="projection"' in page
    assert 'data-testid="projection-A2"' in page
    assert "range" in page


def test_what_if_page_answers_and_writes_nothing(client_for, world, fitted):
    from children.models import JourneyEvent

    before = JourneyEvent.all_objects.count()
    child = ForecastResult.objects.filter(model=fitted).first().child
    client = client_for(world.user("manager", "region"))
    page = client.get(f"/forecast/what-if/?child={child.pk}&match={date.today():%Y-%m-%d}")
    assert page.status_code == 200
    assert 'data-testid="what-if-A2"' in page.content.decode()
    assert JourneyEvent.all_objects.count() == before
    bad = client.get("/forecast/what-if/?match=31-02-2024").content.decode()
    assert "Match date" in bad and "is not a date" in bad
    assert (
        client_for(world.user("social_worker", "region")).get("/forecast/what-if/").status_code
        == 403
    )


def test_the_board_report_carries_the_fitted_projection(world, fitted):
    """The region's report draft shows the latest fit's projection, each measure's middle draw
    with its range: the same figures as the dashboard's (a real fit, not a stored example)."""
    manager = world.user("manager", "region")
    today = timezone.localdate()
    year = today.year if today.month > 3 else today.year - 1
    version = services.report_start(
        acting_user=manager, region=world.region, council=None, year=year, quarter=1
    )
    section = next(
        s for s in services.live_figures(version)["sections"] if s["key"] == "projection"
    )
    stored = fitted.projection["region"]
    assert (
        section["tables"][0]["title"] == f"Projected for the end of {fitted.projection['window']}"
    )
    a2 = next(row for row in section["tables"][0]["rows"] if row[0].startswith("A2"))
    assert stored["A2"]["children_projected"] >= stored["A2"]["children"] > 5
    assert a2[1:4] == [stored["A2"]["middle"], stored["A2"]["low"], stored["A2"]["high"]]
