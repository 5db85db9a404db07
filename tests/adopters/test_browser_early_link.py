"""In a real browser (issue 20 item 11): the region's family finder includes households still in
assessment for a child who is harder to place, links one early, and sees the early link on the
child's record."""

from playwright.sync_api import expect

from raa.models import Role
from tests.adopters.helpers import in_stage_2, waiting_child
from tests.test_browser import browser_page, sign_in  # noqa: F401 (the fixture)


def test_the_family_finder_links_early_and_sees_it_on_the_childs_record(
    browser_page,  # noqa: F811
):
    page, world, base = browser_page
    team = world.user(Role.SOCIAL_WORKER, "region")
    household = in_stage_2(world, team)  # Stage 2 since 15/04/2024
    child = waiting_child(world, team, "BEL01", disabled=True)
    sign_in(page, base, team.username)
    page.goto(f"{base}/children/{child.pk}/")
    page.get_by_role("link", name="Find a family").click()

    # Only approved households until the option is ticked.
    ranked = page.get_by_test_id("ranked-household")
    expect(ranked.filter(has_text=household.reference)).to_have_count(0)
    page.get_by_label("Include households still in assessment (Stage 1 and Stage 2)").check()
    page.get_by_role("button", name="Show", exact=True).click()
    card = ranked.filter(has_text=household.reference)
    expect(card.get_by_test_id("in-assessment")).to_have_text("In assessment: Stage 2")
    expect(card.get_by_test_id("expected-approval")).to_contain_text(
        "approval was expected ~ 15/08/2024 (Stage 2 started 15/04/2024)"
    )

    card.get_by_role("link", name="Early link with this household").click()
    expect(page.get_by_test_id("early-link-explained")).to_be_visible()
    page.get_by_label("Date linked").fill("2024-06-03")
    page.get_by_role("button", name="Record").click()

    # Back on the child's record: the link, marked early, with the household's stage.
    expect(page.get_by_text(f"Early link with household {household.reference}")).to_be_visible()
    link = page.get_by_role("row").filter(has_text="03/06/2024")
    expect(link.get_by_test_id("early-link")).to_have_text("Early link: household in Stage 2")
    expect(link).to_contain_text("approval was expected ~ 15/08/2024")
    expect(page.get_by_test_id("match-waits")).to_have_text(
        f"Early link: the match waits for household {household.reference}'s approval"
    )
