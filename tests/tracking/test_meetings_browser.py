"""In the browser: a team manager records the tracking meeting going down the list, and the
action shows on the child's record, where it is marked done."""

import re

from playwright.sync_api import expect

from tests.test_browser import browser_page, sign_in  # noqa: F401 (the fixture)


def test_a_team_manager_records_a_meeting_and_its_action_reaches_the_record(browser_page):  # noqa: F811
    page, world, base = browser_page
    sign_in(page, base, "team_manager-a")
    page.goto(base + "/tracking/")
    page.get_by_role("link", name="Tracking meetings").click()
    page.get_by_label("Who attended").fill("Team Manager ScopeA\nSocial Worker ScopeA")
    page.get_by_role("button", name="Start the meeting").click()
    expect(page.get_by_test_id("attendees")).to_have_text(
        "Team Manager ScopeA, Social Worker ScopeA"
    )
    ada = page.get_by_test_id("meeting-child").filter(has_text="Ada Testworld")
    ada.get_by_role("textbox", name="Action for Ada Testworld").fill("Refer to Link Maker")
    # The child's social worker is offered first as who does it.
    expect(ada.get_by_label("Who")).to_have_value(str(world.user("social_worker", "A").pk))
    ada.get_by_label("By when").fill("2030-01-31")
    ada.get_by_role("button", name="Add the action for Ada Testworld").click()
    ada = page.get_by_test_id("meeting-child").filter(has_text="Ada Testworld")
    expect(ada.get_by_test_id("action")).to_contain_text(
        re.compile(r"Refer to Link Maker – Social Worker ScopeA, by 31/01/2030")
    )
    ada.get_by_role("link", name="Ada Testworld").click()
    actions = page.get_by_test_id("record-actions")
    expect(actions.get_by_test_id("action")).to_contain_text("Open")
    actions.get_by_role("button", name=re.compile("Mark done")).click()
    expect(page.get_by_text("Action marked done.")).to_be_visible()
    expect(page.get_by_test_id("record-actions")).to_contain_text("Done")
