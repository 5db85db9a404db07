"""In a real browser: the API's documentation page draws every operation from the live schema
under the site's strict Content Security Policy (Swagger UI from our own static files)."""

from playwright.sync_api import expect

from tests.test_browser import browser_page  # noqa: F401 (the fixture)


def test_the_docs_show_every_operation_with_no_csp_violation(browser_page):  # noqa: F811
    page, _, base = browser_page
    problems = []
    page.on(
        "console",
        lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(base + "/api/v1/docs/")
    expect(page.locator(".opblock")).to_have_count(7)
    expect(page.get_by_text("Regional Adoption Agency: case-system API")).to_be_visible()
    assert problems == []
