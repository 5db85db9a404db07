"""Issue 20 in a real browser (Playwright, Debian's Chromium), one browser for the module: a
manager's home, the household picker, messages naming the field typed, empty defaults, lists
opening on what is live and early links."""

import os
import re

import pytest
from playwright.sync_api import expect, sync_playwright

from raa.models import Role
from tests.conftest import build_world
from tests.test_browser import CHROMIUM, CHROMIUM_FLAGS, sign_in
from tests.tracking.journeys import make_child


@pytest.fixture(scope="module")
def browser():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page_world(browser, live_server, transactional_db):
    world = build_world()  # the live server's database is flushed between browser tests
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page, world, live_server.url
    context.close()


def test_a_managers_home_shows_the_councils_breaches_and_opens_them(page_world):
    page, world, base = page_world
    c = world.councils["C"]
    worker = world.user(Role.SOCIAL_WORKER, "C")
    make_child(c, worker, "OVER-1", entered=500, adm=200, order=150, worker=worker)
    make_child(c, worker, "DUE-1", entered=410, adm=20, worker=worker)
    make_child(c, worker, "GONE-1", entered=900, adm=800, matched=600, placed=590, adopted=300)
    sign_in(page, base, world.user(Role.TEAM_MANAGER, "C").username)
    panel = page.get_by_test_id("council-counts")
    expect(panel.get_by_test_id("children-over")).to_have_text("1")
    expect(panel.get_by_test_id("children-due")).to_have_text("1")
    # the children "you can see" are those in the process: not the adopted one
    expect(page.get_by_test_id("children-in-scope")).to_have_text("2")
    row = panel.get_by_role("row", name=re.compile("Entering care to placed"))
    row.get_by_role("link", name="1").first.click()
    expect(page).to_have_url(re.compile(r"/tracking/\?threshold=child_care_to_placed&status=over"))
    expect(page.get_by_test_id("tracking-row")).to_have_count(1)
    expect(page.get_by_test_id("tracking-row")).to_contain_text("OVER-1")
