"""The board report's projection (issue 21, "Board report"): A1, A2 and A3 projected for the end
of the current window, each with its 80% range, is one of the report's figures, so the published
version freezes it and its web page, PDF and workbook all carry it; no child-level data (a
figure over 1 to 5 children is "c"); and with no forecast to read, the report says so plainly.
The scorecard reaches the forecast only through the report's hook (``scorecard.reports.extras``,
registered in ``ForecastConfig.ready``)."""

import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from forecast.models import ForecastModel, Method
from raa.models import Role
from scorecard.reports import extras, services
from scorecard.reports.models import FileFormat
from tests.scorecard.report_world import publish_now
from tests.scorecard.test_reports import draft_for_c, pdf_text

A1_LABEL = "A1: entering care to moving in with the adoptive family (mean days)"


def figure(now, low, middle, high, threshold, children, projected, numerator=None) -> dict:
    """One measure of a stored projection, as ``forecast.projection.simulate`` writes it."""
    return {
        "now": now,
        "low": low,
        "middle": middle,
        "high": high,
        "threshold": threshold,
        "children": children,
        "numerator": numerator,
        "children_projected": projected,
    }


def stored_projection(world, *, a1_middle: float = 512.0, a1_children: int = 14) -> ForecastModel:
    """A fit for the region whose projection of 2024-27 gives council C: A1 512 days (range 470
    to 548; 560 to date), A2 150 (131 to 170; 160), A3 45.5% (38.0 to 52.5; 42.9%, 6 of 14)."""
    council = world.councils["C"]
    scope = {
        "A1": figure(560.0, 470.0, a1_middle, 548.0, 426, a1_children, 22),
        "A2": figure(160.0, 131.0, 150.0, 170.0, 121, 14, 22),
        "A3": figure(42.9, 38.0, 45.5, 52.5, 14, 14, 22, numerator=6),
    }
    return ForecastModel.objects.create(
        region=world.region,
        fitted_at=timezone.now(),
        as_at=date(2026, 12, 1),
        method=Method.COX,
        n_journeys=400,
        n_outcomes=300,
        projection={
            "window": "2024-27",
            "end": "2027-03-31",
            "draws": 40,
            "region": scope,
            str(council.pk): scope,
        },
    )


@pytest.fixture
def manager(world):
    return world.user(Role.MANAGER, "C")


def projection_rows(figures: dict) -> dict:
    section = next(s for s in figures["sections"] if s["key"] == "projection")
    return {row[0]: row[1:] for row in section["tables"][0]["rows"]}


def test_the_forecast_registers_its_projection_with_the_report():
    assert "projection" in [p.key for p in extras.providers()]


def test_the_published_version_its_pdf_and_workbook_carry_the_projection_with_its_range(
    world, manager, client_for
):
    stored_projection(world)
    version = publish_now(draft_for_c(world, manager), manager)
    # projected, range from, range to, to date, threshold
    rows = projection_rows(version.figures)
    assert rows[A1_LABEL] == [512, 470, 548, 560, 426]
    assert rows["A3: children placed in less than 14 months of entering care (%)"][:4] == [
        45.5,
        38.0,
        52.5,
        42.9,
    ]
    section = next(s for s in version.figures["sections"] if s["key"] == "projection")
    keys = [s["key"] for s in version.figures["sections"]]
    assert keys.index("projection") == keys.index("scorecard") + 1

    text = " ".join(pdf_text(bytes(version.files.get(format=FileFormat.PDF).content)).split())
    assert "Scorecard projection" in text and "Projected for the end of 2024-27" in text
    assert f"{A1_LABEL} 512 470 548 560 426" in text
    assert "the range holds 8 of every 10 draws" in text

    workbook = load_workbook(io.BytesIO(bytes(version.files.get(format=FileFormat.XLSX).content)))
    sheet = {
        row[0]: row[1:]
        for row in workbook["Scorecard projection"].iter_rows(values_only=True)
        if row[0]
    }
    assert sheet[A1_LABEL][:5] == (512, 470, 548, 560, 426)
    # A3's percentages keep their decimal place in a column of days
    a3 = [c for row in workbook["Scorecard projection"].iter_rows() for c in row if c.value == 45.5]
    assert a3 and a3[0].number_format == "0.0"
    assert section["intro"] in sheet

    board = client_for(world.user(Role.BOARD_MEMBER, "C"))
    page = board.get(reverse("scorecard:report_detail", args=[version.report_id])).content.decode()
    assert 'id="section-projection"' in page and "Projected for the end of 2024-27" in page
    assert '<td class="num">548</td>' in page


def test_a_published_projection_stays_as_frozen_and_a_correction_takes_the_new_one(
    world, manager, client_for
):
    stored_projection(world)
    version = publish_now(draft_for_c(world, manager), manager)
    pdf = bytes(version.files.get(format=FileFormat.PDF).content)
    # The next night's fit projects A1 at 530 days.
    stored_projection(world, a1_middle=530.0)
    version.refresh_from_db()
    assert projection_rows(version.figures)[A1_LABEL][0] == 512
    assert bytes(version.files.get(format=FileFormat.PDF).content) == pdf
    board = client_for(world.user(Role.BOARD_MEMBER, "C"))
    page = board.get(reverse("scorecard:report_detail", args=[version.report_id])).content
    assert b">512<" in page and b">530<" not in page

    correction = services.version_start_correction(report=version.report, acting_user=manager)
    assert projection_rows(services.live_figures(correction))[A1_LABEL][0] == 530
    services.version_save_narrative(
        version=correction, acting_user=manager, fields={"correction_note": "New projection."}
    )
    corrected = publish_now(correction, manager)
    assert projection_rows(corrected.figures)[A1_LABEL][0] == 530
    version.refresh_from_db()
    assert projection_rows(version.figures)[A1_LABEL][0] == 512


def test_a_projection_over_one_to_five_children_is_suppressed(world, manager):
    """A1 counts 4 children to date (and 5 in the middle draw): its figure to date and its
    projection are "c"; A2 and A3 (14 children, 22 projected) are shown."""
    model = stored_projection(world, a1_children=4)
    key = str(world.councils["C"].pk)
    model.projection[key]["A1"]["children_projected"] = 5
    model.save()
    rows = projection_rows(services.live_figures(draft_for_c(world, manager)))
    assert rows[A1_LABEL] == ["c", "c", "c", "c", 426]
    assert rows["A2: placement order to match with a family (mean days)"][:4] == [
        150,
        131,
        170,
        160,
    ]


def test_with_no_forecast_the_report_says_so_instead_of_a_projection(world, manager):
    version = publish_now(draft_for_c(world, manager), manager)
    section = next(s for s in version.figures["sections"] if s["key"] == "projection")
    assert section["tables"] == []
    assert "no forecast has been fitted for the region yet" in section["intro"]


def test_with_too_little_history_the_report_says_not_enough_history(world, manager):
    ForecastModel.objects.create(
        region=world.region,
        fitted_at=timezone.now(),
        as_at=date(2026, 12, 1),
        method=Method.NONE,
        n_journeys=12,
        n_outcomes=8,
        message="Too little history to forecast: 8 journeys ended in a match or a change of "
        "plan by 01/12/2026; at least 40 are needed.",
    )
    version = publish_now(draft_for_c(world, manager), manager)
    expected = "No projection of the scorecard: not enough history to forecast from"
    text = " ".join(pdf_text(bytes(version.files.get(format=FileFormat.PDF).content)).split())
    assert expected in text and "8 journeys ended in a match" in text
    workbook = load_workbook(io.BytesIO(bytes(version.files.get(format=FileFormat.XLSX).content)))
    cells = [c for row in workbook["Scorecard projection"].iter_rows(values_only=True) for c in row]
    assert any(isinstance(c, str) and c.startswith(expected) for c in cells)
