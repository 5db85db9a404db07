"""In a real browser (issue 20, items 5 and 6): a council manager reads England's figure for
the same window beside their own, and changes the cohort comparison's thresholds."""

from datetime import timedelta

from playwright.sync_api import expect

from raa.models import Role
from scorecard import periods as P
from scorecard.models import NationalFigure
from tests.scorecard.test_browser_manager import council_c_journeys
from tests.test_browser import browser_page, sign_in  # noqa: F401 (fixture)
from tests.tracking.journeys import today


def test_a_manager_sees_england_for_the_same_window_and_changes_the_cohort_thresholds(
    browser_page,  # noqa: F811
):
    page, world, base = browser_page
    council_c_journeys(world)  # D-X and D-Y: placed 450 days ago after 400 and 500 days
    window = P.window(P.fy_of(today()) - 2)  # the latest window, running now
    NationalFigure.objects.create(
        measure="A1", period=window.label, value=480, unit="days", source="a test publication"
    )
    sign_in(page, base, world.user(Role.TEAM_MANAGER, "C").username)
    pivot = today() - timedelta(days=449)  # both children placed the day before
    page.goto(f"{base}/scorecard/?cohort_date={pivot.isoformat()}")

    # England beside the council's own figure, for the very window, with its source; A2 has
    # no England figure for the window, and the card says so.
    a1 = page.get_by_test_id("figure-A1")
    expect(a1).to_contain_text(f"England, {window.label}")
    expect(page.get_by_test_id("england-A1")).to_have_text("480")
    expect(a1).to_contain_text("a test publication")
    expect(page.get_by_test_id("england-note-A2")).to_contain_text(
        f"No England figure has been published for {window.label}"
    )
    # The trend chart's table: England's column for the same window, "none published" before.
    days = page.locator("section[aria-labelledby=trend-heading] table").first
    expect(days.get_by_role("columnheader", name="A1 England")).to_be_visible()
    expect(days.get_by_role("row", name=f"{window.label} to date")).to_contain_text("480")
    earlier = P.window(window.first_year - 1).label
    expect(days.get_by_role("row", name=earlier)).to_contain_text("none published")

    # The cohort comparison opens with DOMAIN A.7's thresholds: A3's N (14 months) and 12.
    # D-X (400 days, 13 whole months) is under 14 months in care, D-Y (500 days) is not.
    cohorts = page.get_by_test_id("cohorts")
    expect(page.get_by_label("Less than N months in care to placed")).to_have_value("14")
    expect(page.get_by_label("Less than N months from placement order to placed")).to_have_value(
        "12"
    )
    expect(cohorts.get_by_role("row", name="less than 14 months")).to_contain_text("50.0%")
    # The manager asks for the seed's 21 months: both count now.
    page.get_by_label("Less than N months in care to placed").fill("21")
    page.get_by_label("Less than N months from placement order to placed").fill("9")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_test_id("cohort-heading")).to_contain_text(
        "less than 21 months in care to placed; less than 9 months from placement order"
    )
    expect(cohorts.get_by_role("row", name="less than 21 months")).to_contain_text("100.0%")
    expect(cohorts.get_by_role("row", name="less than 9 months")).to_contain_text("50.0%")
    # The children behind it follow the chosen threshold.
    page.get_by_test_id("cohort-before-placed_n_months").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("less than 21 months")
    expect(page.get_by_test_id("counted")).to_contain_text("D-Y")

    # A threshold out of bounds: the message names the field, the default is shown.
    page.goto(f"{base}/scorecard/?in_care_months=0")
    expect(page.get_by_test_id("cohort-errors")).to_contain_text(
        "Less than N months in care to placed: enter a whole number of months from 1 to 60"
    )
    expect(page.get_by_label("Less than N months in care to placed")).to_have_value("14")
