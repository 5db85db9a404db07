"""In a real browser: a team manager reads the dashboard, follows a figure to its children,
filters the tracking list to their council's overdue children and downloads it as Excel; a
board member reaches neither page."""

import io

from openpyxl import load_workbook
from playwright.sync_api import expect

from raa.models import Role
from scorecard.services import recompute_all
from tests.test_browser import browser_page, sign_in  # noqa: F401 (fixture)
from tests.tracking.journeys import make_child


def council_c_journeys(world):
    c = world.councils["C"]
    by = world.user(Role.SOCIAL_WORKER, "C")
    # Adopted in the latest window: A1 = (400 + 500) / 2 = 450 days.
    make_child(c, by, "D-X", entered=850, adm=750, order=650, matched=550, placed=450, adopted=400)
    make_child(c, by, "D-Y", entered=950, adm=850, order=750, matched=500, placed=450, adopted=400)
    # In the process: one over, one due, one on track.
    make_child(c, by, "T-OVER", entered=500, adm=200, worker=by)
    make_child(c, by, "T-DUE", entered=410, adm=20)
    make_child(c, by, "T-OK", entered=100, adm=10)
    # Another council's overdue child, never shown to council C's manager.
    make_child(world.councils["B"], by, "B-OVER", entered=500, adm=200)
    recompute_all()


def test_a_manager_reads_a_figure_follows_it_to_children_and_downloads_the_overdue_list(
    browser_page,  # noqa: F811
    tmp_path,
):
    page, world, base = browser_page
    council_c_journeys(world)
    sign_in(page, base, world.user(Role.TEAM_MANAGER, "C").username)
    page.get_by_role("link", name="Scorecard", exact=True).click()
    expect(page.get_by_role("heading", name="Council C", exact=True)).to_be_visible()
    a1 = page.get_by_test_id("figure-A1")
    expect(a1).to_contain_text("450")
    expect(a1).to_contain_text("Threshold not met")
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)

    page.get_by_test_id("figure-link-A1").click()
    expect(page.get_by_test_id("definition")).to_contain_text("mean calendar days")
    children = page.get_by_test_id("counted")
    expect(children).to_contain_text("D-X")
    expect(children).to_contain_text("D-Y")
    expect(children.get_by_role("row")).to_have_count(3)

    page.get_by_role("link", name="Tracking", exact=True).click()
    expect(page.get_by_role("heading", name="Tracking list")).to_be_visible()
    page.get_by_label("Status").select_option(label="Over")
    page.get_by_role("button", name="Show").click()
    rows = page.get_by_test_id("tracking-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("T-OVER")
    expect(page.get_by_text("B-OVER")).to_have_count(0)
    page.screenshot(path=str(tmp_path / "tracking.png"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download Excel").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as f:  # saved without an extension: read the bytes
        book = load_workbook(io.BytesIO(f.read()))
    ids = [row[0].value for row in book["Children"].iter_rows(min_row=2)]
    assert ids == ["T-OVER"]


def test_a_board_member_cannot_reach_the_dashboard_or_the_tracking_list(
    browser_page,  # noqa: F811
):
    page, world, base = browser_page
    sign_in(page, base, world.user(Role.BOARD_MEMBER, "region").username)
    expect(page.get_by_role("link", name="Scorecard", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Tracking", exact=True)).to_have_count(0)
    for url in ("/scorecard/", "/tracking/", "/tracking/export.xlsx"):
        response = page.goto(base + url)
        assert response.status == 403, url
        expect(
            page.get_by_role("heading", name="This page is not available to your role")
        ).to_be_visible()
