"""In a real browser (Playwright driving Debian's Chromium): sign in and see the home page."""

import os

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
    expect(page.get_by_text("Linked with a household")).to_be_visible()
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
