"""Issue 20, item 2, in the browser: the household picker on a child's record offers only
approved households still free, narrows as the worker types, and refuses a match with another
household than the linked one until the worker ticks that they mean it; the record then keeps
the warning as a data-quality note."""

import re

from playwright.sync_api import expect

from adopters.models import Household
from raa.models import Role
from tests.test_browser import sign_in
from tests.test_browser_issue20 import browser, page_world  # noqa: F401 (the fixtures)
from tests.tracking.journeys import ago, make_child


def test_the_match_picker_offers_free_households_and_asks_before_matching_another(page_world):  # noqa: F811
    page, world, base = page_world
    # a region-wide worker sees every household's applicants; a council's worker sees only
    # the names of households linked with their council's children
    worker = world.user(Role.SOCIAL_WORKER, "region")
    linked = world.household_free  # W00002
    linked.approval_date = ago(700)
    linked.save(update_fields=["approval_date"])
    other = Household.objects.create(
        region=world.region,
        reference="W00003",
        first_applicant="Orla Otherfamily",
        registration_date=ago(900),
        approval_date=ago(690),
    )
    adopted = Household.objects.create(
        region=world.region,
        reference="W00004",
        first_applicant="Ada Adoptedalready",
        registration_date=ago(1200),
        approval_date=ago(1000),
    )
    make_child(
        world.councils["B"],
        worker,
        "DONE-1",
        entered=1300,
        adm=1200,
        order=1100,
        matched=950,
        placed=940,
        adopted=600,
        household=adopted,
    )
    child = make_child(
        world.councils["A"],
        worker,
        "PICK-1",
        entered=900,
        adm=800,
        order=700,
        linked=650,
        household=linked,
        worker=worker,
    )

    sign_in(page, base, worker.username)
    page.goto(f"{base}/children/{child.pk}/")
    # the next step, offered as the record's main button
    page.get_by_role("link", name="Matched (ADM match decision)", exact=True).first.click()
    picker = page.get_by_role("listbox", name="Household")
    offered = picker.locator("option:not([value=''])")
    # Only approved households still free: not the one that has adopted, not the unapproved.
    expect(offered).to_have_count(2)
    expect(offered.nth(0)).to_contain_text("W00002 · Ivo Unlinked · approved")
    expect(offered.nth(1)).to_contain_text("W00003 · Orla Otherfamily · approved")
    expect(picker).not_to_contain_text("W00004")
    expect(picker).not_to_contain_text("W00001")
    expect(page.get_by_test_id("family-finding-link").get_by_role("link")).to_have_text(
        "family finding"
    )

    # Typing narrows the list to the households whose line holds the words.
    page.get_by_label("Narrow the list by typing").fill("orla")
    expect(picker.locator("option:not([value='']):not([hidden])")).to_have_count(1)
    expect(picker.locator("option:not([value='']):not([hidden])")).to_contain_text("W00003")

    # A match with the other household than the linked one is refused until confirmed.
    picker.select_option(str(other.pk))
    page.get_by_label("Date of the ADM match decision").fill(ago(600).isoformat())
    page.get_by_label("Matching panel date").fill(ago(610).isoformat())
    page.get_by_role("button", name="Record").click()
    expect(
        page.get_by_text(
            f"The child is linked with household W00002 (since {ago(650):%d/%m/%Y}), not with "
            "household W00003."
        )
    ).to_be_visible()
    expect(page.get_by_text("Tick the box below to confirm, or choose another.")).to_be_visible()
    expect(page.get_by_test_id("stage")).to_have_count(0)  # still on the form
    page.get_by_label(re.compile("I have checked: match with this household all the same")).check()
    page.get_by_role("button", name="Record").click()

    # Matched, and the record keeps the warning where everyone looking at it will see it.
    expect(page.get_by_test_id("stage")).to_contain_text("Matched")
    flags = page.get_by_test_id("quality-flags")
    expect(flags).to_contain_text(
        f"Matched on {ago(600):%d/%m/%Y} after a warning, confirmed when recorded: The child is "
        "linked with household W00002"
    )
    expect(
        page.get_by_role("row", name=re.compile(r"Matched \(ADM match decision\)"))
    ).to_contain_text("W00003")
