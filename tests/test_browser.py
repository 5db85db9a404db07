"""In a real browser (Playwright driving Debian's Chromium): sign in and see the home page."""

import os
import re
from datetime import date

import pytest
from playwright.sync_api import expect, sync_playwright

from raa.models import Role
from tests.conftest import PASSWORD, build_world

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def browser_page(live_server, transactional_db):
    world = build_world()  # the live server's database is flushed between browser tests
    # Playwright's sync API runs an event loop in this thread; the ORM work above is done.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        yield page, world, live_server.url
        browser.close()


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/")
    expect(page).to_have_url(f"{base}/accounts/login/?next=/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_social_worker_signs_in_sees_home_and_opens_their_child(browser_page, tmp_path):
    page, world, base = browser_page
    sign_in(page, base, "social_worker-a")
    expect(page).to_have_url(base + "/")
    expect(page.get_by_role("heading", name="Welcome, Social Worker")).to_be_visible()
    expect(page.get_by_test_id("who")).to_contain_text("Council A")
    # Bootstrap is served from our own static files: the navbar is styled, not a bare list.
    background = page.locator("nav.navbar").evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == "rgb(29, 78, 107)"
    page.get_by_role("link", name="Ada Testworld").click()
    expect(page.get_by_role("heading", name="Ada Testworld")).to_be_visible()
    expect(page.get_by_role("cell", name="Linked with a household")).to_be_visible()
    page.screenshot(path=str(tmp_path / "child.png"), full_page=True)


def test_a_board_member_sees_reports_and_is_refused_children(browser_page):
    page, world, base = browser_page
    sign_in(page, base, world.user(Role.BOARD_MEMBER, "region").username)
    expect(page.get_by_role("link", name="Board reports").first).to_be_visible()
    expect(page.get_by_role("link", name="Children")).to_have_count(0)
    response = page.goto(base + "/children/")
    assert response.status == 403
    expect(
        page.get_by_role("heading", name="This page is not available to your role")
    ).to_be_visible()


def record_step(page, button: str, fields: dict[str, str], selects: dict[str, str] | None = None):
    """On a child's record, open a step's form by its button, fill it in and record it."""
    link = page.get_by_role("link", name=button, exact=True)
    if not link.count():
        page.get_by_role("button", name="Record another step").click()
    link.first.click()
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    for label, value in (selects or {}).items():
        page.get_by_label(label).select_option(label=value)
    page.get_by_role("button", name="Record").click()


def test_a_social_worker_records_a_whole_journey_and_corrects_a_date(browser_page, tmp_path):
    """Add a child, record every step to the adoption order, see a rule refuse a step out of
    order, and correct a wrong date, as a social worker would in the browser."""
    from tests.factories import HouseholdFactory

    page, world, base = browser_page
    HouseholdFactory(region=world.region, reference="H09001", approval_date=date(2021, 5, 1))
    sign_in(page, base, "social_worker-a")
    page.get_by_role("link", name="Children").first.click()
    page.get_by_role("link", name="Add a child").click()
    page.get_by_label("Council's child ID").fill("BR0001")
    page.get_by_label("First name").fill("Robin")
    page.get_by_label("Last name").fill("Browsertest")
    page.get_by_label("Date of birth").fill("2020-02-14")
    page.get_by_label("Sex").select_option(label="Female")
    page.get_by_label("Ethnicity").select_option(index=1)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Robin Browsertest")).to_be_visible()
    expect(page.get_by_test_id("stage")).to_have_text("In care, no adoption decision yet")

    page.get_by_role("link", name="Record entering care").click()
    page.get_by_label("Date the child entered care").fill("2021-03-01")
    page.get_by_role("button", name="Save").click()
    # The ADM decision, typed with the wrong day: corrected below.
    record_step(
        page, "ADM decision: should be placed for adoption", {"Date of the ADM": "2021-08-20"}
    )
    expect(page.get_by_test_id("stage")).to_have_text("Waiting: ADM decision made")

    # A placement order dated before the ADM decision is refused, with the rule in words.
    record_step(
        page,
        "Placement order (or consent)",
        {"Date of the placement order": "2021-08-10"},
        {"Authority to place": "Placement order"},
    )
    expect(
        page.get_by_text(
            "The placement order date (10/08/2021) is before the ADM decision that the child "
            "should be placed for adoption (20/08/2021)."
        )
    ).to_be_visible()
    page.get_by_label("Date of the placement order").fill("2021-11-01")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_test_id("stage")).to_have_text("Waiting: placement order made")

    # Correct the ADM decision's date.
    page.get_by_role("row", name=re.compile("ADM decision: should be placed")).get_by_role(
        "link", name="Correct"
    ).click()
    page.get_by_label("Date of the ADM").fill("2021-08-02")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The correction was saved.")).to_be_visible()
    expect(
        page.get_by_role("row", name=re.compile("ADM decision: should be placed"))
    ).to_contain_text("02/08/2021")

    record_step(
        page,
        "Linked with a household",
        {"Date linked": "2021-12-01"},
        {"Household": "H09001 · approved 01/05/2021 · 1 child aged 0–4"},
    )
    record_step(
        page,
        "Matched (ADM match decision)",
        {"Date of the ADM match decision": "2022-01-20", "Matching panel date": "2022-01-12"},
    )
    record_step(
        page,
        "Placed for adoption",
        {"Date the child moved in": "2022-02-07"},
        {"Placement provider": "Own council (or RAA hosted by it)"},
    )
    expect(page.get_by_test_id("stage")).to_have_text("Placed for adoption")
    record_step(page, "Adoption application", {"Date of the adoption application": "2022-05-02"})
    record_step(page, "Adoption order", {"Date of the adoption order": "2022-09-05"})
    expect(page.get_by_test_id("stage")).to_have_text("Adopted")
    # The order ended the period of care; the placement was 343 days after entering care.
    expect(page.get_by_text("01/03/2021 to 05/09/2022")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Placed for adoption 343"))).to_contain_text(
        "343 days in care (426 days) Met"
    )
    page.screenshot(path=str(tmp_path / "journey.png"), full_page=True)
