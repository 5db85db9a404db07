"""In a real browser: no silent defaults (issue 20, item 4). A new household's offer starts as
"Not yet discussed" and is saved that way, and Add child has no sex or ethnicity chosen."""

from playwright.sync_api import expect

from raa.models import Role
from tests.test_browser import browser_page, sign_in  # noqa: F401 (the fixture)

#: The offer's lists on the household form, and the value "not yet discussed" has.
OFFER_LISTS = {
    "Can take a sibling group": "unknown",
    "Boy or girl": "",
    "Health needs they can meet": "",
    "Disability they can meet": "",
    "Developmental uncertainty they can accept": "",
    "Contact they can support": "",
}


def test_new_records_start_with_nothing_chosen_for_the_person(browser_page, tmp_path):  # noqa: F811
    page, world, base = browser_page
    sign_in(page, base, world.user(Role.SOCIAL_WORKER, "region").username)

    page.goto(base + "/adopters/new/")
    for label, empty in OFFER_LISTS.items():
        box = page.get_by_label(label, exact=True)
        expect(box).to_have_value(empty)
        assert box.evaluate("s => s.options[s.selectedIndex].text") == "Not yet discussed", label
    for label in ("Up to how many children", "Youngest age (years)", "Oldest age (years)"):
        expect(page.get_by_label(label)).to_have_value("")
        expect(page.get_by_label(label)).to_have_attribute("placeholder", "Not yet discussed")
    page.get_by_label("First applicant's name").fill("Nell Enquirer")
    page.get_by_label("Enquiry date").fill("2025-01-06")
    page.get_by_role("button", name="Save").click()
    offer = page.get_by_test_id("offer")
    for term in ("Health needs", "Developmental uncertainty", "Contact", "Sibling group"):
        expect(offer.locator(f"dt:text-is('{term}') + dd")).to_have_text("Not yet discussed")
    expect(offer).not_to_contain_text("Mild")
    expect(offer).not_to_contain_text("Letterbox")
    page.screenshot(path=str(tmp_path / "household.png"), full_page=True)

    page.goto(base + "/children/new/")
    expect(page.get_by_label("Sex")).to_have_value("")
    expect(page.get_by_label("Ethnicity")).to_have_value("")
