"""Issue 20 in a real browser (Playwright, Debian's Chromium), one browser for the module: a
manager's home, the household picker, messages naming the field typed, empty defaults, lists
opening on what is live and early links."""

import os
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect, sync_playwright

from raa.models import Role
from tests.conftest import build_world
from tests.test_browser import CHROMIUM, CHROMIUM_FLAGS, record_step, sign_in
from tests.tracking.journeys import ago, make_child, today


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


def test_messages_name_the_field_typed_and_the_facts_on_the_record(page_world):
    page, world, base = page_world
    household = world.household_free
    household.approval_date = ago(650)
    household.save(update_fields=["approval_date"])
    worker = world.user(Role.SOCIAL_WORKER, "A")
    child = make_child(
        world.councils["A"],
        worker,
        "MSG-1",
        entered=900,
        adm=800,
        order=700,
        matched=600,
        placed=590,
        household=household,
        worker=worker,
    )
    sign_in(page, base, worker.username)
    page.goto(f"{base}/children/{child.pk}/")
    future = today() + timedelta(days=10)
    record_step(page, "Adoption order", {"Date of the adoption order": future.isoformat()})
    expect(
        page.get_by_text(f"The adoption order date ({future:%d/%m/%Y}) is in the future")
    ).to_be_visible()
    expect(page.get_by_text("The date the child left care")).to_have_count(0)
    page.goto(f"{base}/children/{child.pk}/")
    typed = ago(595)
    record_step(
        page,
        "Placed for adoption",
        {"Date the child moved in": typed.isoformat()},
        {"Placement provider": "Own council (or RAA hosted by it)"},
    )
    expect(
        page.get_by_text(
            f"The date placed for adoption ({typed:%d/%m/%Y}) cannot be recorded: the child is "
            f"already placed for adoption on {ago(590):%d/%m/%Y}."
        )
    ).to_be_visible()


def test_lists_open_on_what_is_live_and_the_match_form_offers_free_households(page_world):
    page, world, base = page_world
    worker = world.user(Role.SOCIAL_WORKER, "region")
    c = world.councils["C"]
    make_child(c, worker, "LIVE-1", entered=500, adm=200, order=150)
    make_child(c, worker, "GONE-1", entered=900, adm=800, matched=600, placed=590, adopted=300)
    sign_in(page, base, worker.username)
    page.get_by_role("link", name="Children").first.click()
    expect(page.get_by_test_id("count")).to_contain_text("in the process")
    expect(page.get_by_role("cell", name="LIVE-1", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="GONE-1", exact=True)).to_have_count(0)
    page.get_by_label("Show", exact=True).select_option(label="Adopted")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("cell", name="GONE-1", exact=True)).to_be_visible()


def test_a_new_childs_sex_and_ethnicity_start_empty_and_must_be_chosen(page_world):
    page, world, base = page_world
    sign_in(page, base, world.user(Role.SOCIAL_WORKER, "A").username)
    page.goto(base + "/children/new/")
    expect(page.get_by_label("Sex")).to_have_value("")
    expect(page.get_by_label("Ethnicity")).to_have_value("")
