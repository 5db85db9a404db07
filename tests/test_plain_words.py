"""Plain words (issue 20 item 9): every code explained on hover and on the glossary page, and
the A3 measure named with its window's months rather than "N"."""

from playwright.sync_api import expect

from scorecard.measures import MEASURES
from tests.test_browser import browser_page, sign_in  # noqa: F401 (the fixture)


def test_a3_is_named_with_its_months():
    assert MEASURES["A3"].label_for(14) == "A3: placed in less than 14 months of entering care (%)"
    assert MEASURES["A1"].label_for(426) == MEASURES["A1"].label  # no "N" to fill in


def test_codes_are_explained_on_hover_and_in_the_glossary(browser_page):  # noqa: F811
    page, world, base = browser_page
    sign_in(page, base, "social_worker-a")
    page.get_by_role("link", name="Ada Testworld").click()
    upn = page.locator("abbr", has_text="UPN")
    expect(upn).to_have_attribute(
        "title",
        "unique pupil number: "
        + (
            "A child's number in the school system; in the 903 return it tells which child is "
            "which across councils."
        ),
    )
    page.goto(base + "/tracking/")
    expect(page.locator("th abbr", has_text="ADM").first).to_have_attribute(
        "title",
        "agency decision maker: "
        + (
            "The senior officer who decides that a child should be placed for adoption, and "
            "later decides the match with a family."
        ),
    )
    page.get_by_role("link", name="Glossary of codes").click()
    glossary = page.get_by_test_id("glossary")
    for term in ("ADM", "FfA", "UPN", "SHOBPA", "A3"):
        expect(glossary.locator("dt", has_text=term).first).to_be_visible()
    expect(glossary).to_contain_text("Fostering for Adoption.")
