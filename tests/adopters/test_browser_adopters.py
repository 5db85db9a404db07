"""In a real browser: the region's adoption social worker takes a household from enquiry to
approval, finds it among the ranked families for a waiting child from the child's record, and
records the link, the match and the placement, which the child's journey then shows."""

import re
from datetime import date

from playwright.sync_api import expect

from raa.models import Role
from tests.adopters.helpers import waiting_child
from tests.test_browser import browser_page, sign_in  # noqa: F401 (the fixture)


def record(page, button: str, fields: dict[str, str]) -> None:
    page.get_by_role("link", name=button).click()
    for label, value in fields.items():
        page.get_by_label(label).fill(value)
    page.get_by_role("button", name="Record").click()


def journey_row(page, when: str, what: str):
    return page.get_by_role("row").filter(has_text=when).filter(has_text=what)


def test_adoption_worker_recruits_a_household_and_places_a_child_with_it(
    browser_page,  # noqa: F811
    tmp_path,
):
    page, world, base = browser_page
    team = world.user(Role.SOCIAL_WORKER, "region")
    child = waiting_child(world, team, "BRW01")  # ADM decision 01/12/2023, order 01/03/2024
    sign_in(page, base, team.username)

    # Enquiry: a couple, with what they can offer.
    page.get_by_role("link", name="Adopters").first.click()
    page.get_by_role("link", name="Add a household").click()
    page.get_by_label("First applicant's name").fill("Morgan Browserfamily")
    page.get_by_label("First applicant's sex").select_option(label="Female")
    page.get_by_label("Second applicant's name").fill("Sasha Browserfamily")
    page.get_by_label("Second applicant's sex").select_option(label="Male")
    page.get_by_label("Relationship / legal status (AD1)").select_option(
        label="L11: different-gender married couple"
    )
    page.get_by_label("Youngest age (years)").fill("0")
    page.get_by_label("Oldest age (years)").fill("5")
    page.get_by_label("Enquiry date").fill("2024-01-08")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("stage")).to_have_text("Enquiry")
    reference = re.search(r"H\d{5}", page.get_by_role("heading", level=1).inner_text()).group(0)

    # A form for every step, the stage following the dates.
    record(
        page,
        "Record the information event",
        {"Date they attended the information event": "2024-01-22"},
    )
    expect(page.get_by_test_id("stage")).to_have_text("Information event")
    # A date out of order is refused, saying which dates.
    record(
        page,
        "Record the registration of interest (Stage 1 starts)",
        {"Date of the registration of interest": "2024-01-10"},
    )
    expect(
        page.get_by_text(
            "The registration of interest (Stage 1 start) (10/01/2024) is before the information "
            "event (22/01/2024)."
        )
    ).to_be_visible()
    page.get_by_label("Date of the registration of interest").fill("2024-02-05")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_test_id("stage")).to_have_text("Stage 1")
    record(page, "Record the end of Stage 1", {"Date Stage 1 ended": "2024-04-02"})
    expect(page.get_by_test_id("stage")).to_have_text("Between stages")
    record(page, "Record the start of Stage 2", {"Date Stage 2 started": "2024-04-15"})
    expect(page.get_by_test_id("stage")).to_have_text("Stage 2")
    record(
        page,
        "Record the panel and the ADM's approval",
        {"Date of the approval panel": "2024-08-01", "Date the ADM approved": "2024-08-08"},
    )
    expect(page.get_by_test_id("stage")).to_have_text("Approved, waiting")
    expect(page.get_by_test_id("timeline")).to_contain_text("Stage 1 ends 57 days (2 months) Met")
    page.screenshot(path=str(tmp_path / "household.png"), full_page=True)

    # From the waiting child's record, the ranked families, each saying why it ranks there.
    page.goto(f"{base}/children/{child.pk}/")
    page.get_by_role("link", name="Find a family").click()
    card = page.get_by_test_id("ranked-household").filter(has_text=reference)
    expect(card).to_contain_text("Age: the child is")
    expect(card.get_by_text("Why it ranks here")).to_be_visible()
    page.screenshot(path=str(tmp_path / "family-finding.png"), full_page=True)
    card.get_by_role("link", name="Link with this household").click()
    page.get_by_label("Date linked").fill("2024-09-02")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_test_id("stage")).to_have_text("Linked with a family")

    # The match, with the panel and ADM dates, then the placement.
    page.get_by_role("link", name="Record the match with the linked family").click()
    page.get_by_label("Date of the ADM match decision").fill("2024-10-10")
    page.get_by_label("Matching panel date").fill("2024-10-03")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_test_id("stage")).to_have_text("Matched")
    page.get_by_role("link", name="Record the placement with the matched family").click()
    page.get_by_label("Date the child moved in").fill("2024-11-04")
    page.get_by_role("button", name="Record").click()
    expect(page.get_by_test_id("stage")).to_have_text("Placed for adoption")

    # The child's journey shows each step with the household.
    for when, what in (
        ("02/09/2024", "Linked with a household"),
        ("10/10/2024", "Matched (ADM match decision)"),
        ("04/11/2024", "Placed for adoption"),
    ):
        expect(journey_row(page, when, what)).to_contain_text(reference)
    expect(journey_row(page, "10/10/2024", "Matched")).to_contain_text("Panel 03/10/2024")
    expect(journey_row(page, "04/11/2024", "Placed")).to_contain_text("Own council")
    page.screenshot(path=str(tmp_path / "journey.png"), full_page=True)
    # And the household's page follows: the child is placed with them.
    page.get_by_role("link", name=reference).first.click()
    expect(page.get_by_test_id("stage")).to_have_text("Child placed")
    assert date.today() >= date(2024, 11, 4)
