"""A strict Content Security Policy on every page, and nothing on our pages that it would block.

Driven by POLICY in tests/raa/test_access_matrix.py, so pages added later are checked too.
"""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import expect

from raa.models import Role
from tests.hardening.test_two_factor import app_code
from tests.raa.test_access_matrix import POLICY, url_for
from tests.test_browser import sign_in

ROOT = Path(__file__).resolve().parents[2]


class InlineFinder(HTMLParser):
    """Collects what a strict CSP blocks: inline scripts, style blocks and attributes, on*=."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = {name for name, _ in attrs}
        if tag == "script" and "src" not in names:
            kind = dict(attrs).get("type", "")
            if kind not in {"application/json"}:  # data, not code (json_script)
                self.found.append("<script> without src")
        if tag == "style":
            self.found.append("<style> block")
        if "style" in names:
            self.found.append(f"style= on <{tag}>")
        self.found += [f"{n}= on <{tag}>" for n in names if n.startswith("on")]
        for name, value in attrs:
            if name in {"href", "src", "action"} and (value or "").startswith("javascript:"):
                self.found.append(f"javascript: URL on <{tag}>")


def inline_content(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


def test_the_finder_finds_what_the_policy_blocks():
    bad = '<p style="x"><script>alert(1)</script><a href="javascript:x()" onclick="y()">a</a>'
    assert len(inline_content(bad)) == 4
    assert inline_content('<script src="/static/js/a.js"></script><p class="x">') == []


def test_every_template_file_is_free_of_inline_scripts_and_styles():
    offenders = {}
    for path in ROOT.glob("templates/**/*.html"):
        found = inline_content(path.read_text())
        if found:
            offenders[str(path.relative_to(ROOT))] = found
    for path in ROOT.glob("*/templates/**/*.html"):
        found = inline_content(path.read_text())
        if found:
            offenders[str(path.relative_to(ROOT))] = found
    assert not offenders, offenders


@pytest.mark.parametrize("name", sorted(POLICY))
def test_every_page_sends_the_strict_policy_and_has_nothing_it_would_block(client_for, world, name):
    client = client_for(world.user(Role.ADMINISTRATOR, "region"))
    response = client.get(url_for(name, world))
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in policy
    if response.status_code == 200 and "html" in response["Content-Type"]:
        assert inline_content(response.content.decode()) == [], name


def test_sign_in_and_error_pages_send_it_too(client, world):
    for url in ("/accounts/login/", "/no-such-page/"):
        assert "script-src 'self'" in client.get(url)["Content-Security-Policy"]


def test_in_a_browser_the_pages_break_no_rule_of_the_policy(browser_page, settings):
    """Chromium reports every blocked script, style or image on the console: there are none,
    and Bootstrap's menus still work under the policy."""
    page, world, base = browser_page
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    sign_in(page, base, world.user(Role.ADMINISTRATOR, "region").username)
    for name in sorted(POLICY):
        url = base + url_for(name, world)
        # Downloads (PDF, CSV, workbooks) are not pages: Chromium saves them, runs nothing.
        if page.context.request.head(url).headers["content-type"].startswith("text/html"):
            page.goto(url)
    page.goto(base + "/children/")
    page.set_viewport_size({"width": 600, "height": 900})
    page.get_by_role("button", name="Show navigation").click()
    expect(page.get_by_role("link", name="Adopters")).to_be_visible()  # Bootstrap's JS ran
    assert violations == []


def test_in_a_browser_a_manager_sets_up_two_factor_sign_in(browser_page, settings, tmp_path):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    settings.TWO_FACTOR_REQUIRED = True
    page, world, base = browser_page
    violations = []
    page.on(
        "console",
        lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    manager = world.user(Role.MANAGER, "A")
    sign_in(page, base, manager.username)
    expect(page).to_have_url(base + "/accounts/two-factor/setup/")
    expect(page.get_by_test_id("qr-code").locator("svg")).to_be_visible()
    page.screenshot(path=str(tmp_path / "two-factor-setup.png"), full_page=True)
    device = TOTPDevice.objects.get(user=manager, confirmed=False)
    page.get_by_label("Code").fill(app_code(device))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page.get_by_role("heading", name="Welcome, Manager")).to_be_visible()
    assert violations == []
