"""WCAG 2.2 AA in a real browser: axe-core (npm, served as our own static file) over every page
of every role, with zero serious or critical violations.

One browser and one sign-in per role. Each role starts at its home page and follows the links
it is offered (navigation and page), visiting one page of each kind (a path with its numbers
taken out, and its query's names): a second child's record adds nothing the first did not
test. Exports and downloads (CSV, XLSX, PDF), sign-out and Django's admin are not pages."""

import os
import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.templatetags.static import static
from playwright.sync_api import sync_playwright

from raa.models import Role
from tests.conftest import PASSWORD, build_world
from tests.test_browser import CHROMIUM, CHROMIUM_FLAGS

#: What axe checks: WCAG 2.0, 2.1 and 2.2, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
NOT_PAGES = re.compile(
    r"(\.csv|\.xlsx|\.pdf|/download|/export|/admin/|/accounts/logout|/static/|/media/|/annex-a/"
    r"|/asglb/)"
)
#: Enough for every kind of page a role is offered, with room to spare; a guard, not a target.
MOST_PAGES_PER_ROLE = 60


def page_kind(url: str) -> str:
    parts = urlsplit(url)
    names = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    # A child's or household's steps share one form page: one step's form stands for all.
    path = re.sub(r"/steps/(new/)?[\w-]+/", "/steps/X/", re.sub(r"\d+", "N", parts.path))
    return path + "?" + "&".join(names)


def axe_findings(page, axe_url: str) -> list[str]:
    """The serious and critical violations axe finds on the page open in the browser."""
    page.add_script_tag(url=axe_url)
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return r.violations
              .filter(v => v.impact === "serious" || v.impact === "critical")
              .map(v => v.id + " (" + v.impact + "): " + v.help + " — "
                   + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(" | "));
        }""",
        AXE_TAGS,
    )
    return result


def crawl(page, base: str, axe_url: str) -> tuple[list[str], dict[str, list[str]]]:
    """Visit one page of each kind this signed-in person can reach; axe each."""
    queue, seen_kinds, visited, problems = [base + "/"], set(), [], {}
    while queue and len(visited) < MOST_PAGES_PER_ROLE:
        url = queue.pop(0)
        kind = page_kind(url)
        if kind in seen_kinds:
            continue
        seen_kinds.add(kind)
        response = page.goto(url)
        if response is None or response.status != 200:
            continue
        if "text/html" not in (response.headers.get("content-type") or ""):
            continue
        visited.append(url)
        findings = axe_findings(page, axe_url)
        # Every table says what it holds (WCAG 1.3.1): a caption, shown or for screen readers.
        uncaptioned = page.eval_on_selector_all(
            "table", "ts => ts.filter(t => !(t.caption && t.caption.textContent.trim())).length"
        )
        if uncaptioned:
            findings.append(f"table without a caption ({uncaptioned})")
        if findings:
            problems[
                urlsplit(url).path + ("?" + urlsplit(url).query if urlsplit(url).query else "")
            ] = findings
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            href = urljoin(url, href).split("#")[0]
            if (
                href.startswith(base)
                and not NOT_PAGES.search(href)
                and page_kind(href) not in seen_kinds
            ):
                queue.append(href)
    return visited, problems


def luminance(rgb: tuple[float, ...]) -> float:
    def channel(c: float) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast of a CSS colour (rgba allowed, blended onto the background) on another."""
    bg = [float(x) for x in re.findall(r"[\d.]+", background)][:3]
    fg = [float(x) for x in re.findall(r"[\d.]+", foreground)]
    alpha = fg[3] if len(fg) > 3 else 1.0
    blended = [alpha * f + (1 - alpha) * b for f, b in zip(fg[:3], bg, strict=True)]
    lighter, darker = sorted((luminance(blended), luminance(bg)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def assert_navigation_contrast(page) -> None:
    """Inactive navigation links at least 4.5:1 on the navbar; the keyboard focus ring 3:1."""
    navbar = page.locator("nav.navbar").evaluate("e => getComputedStyle(e).backgroundColor")
    link = page.locator("nav .nav-link:not(.active)").first
    assert contrast(link.evaluate("e => getComputedStyle(e).color"), navbar) >= 4.5
    page.locator("nav .nav-link.active").focus()
    page.keyboard.press("Tab")  # focus by keyboard: :focus-visible applies
    ring = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return [s.outlineStyle, s.outlineWidth, s.outlineColor]; }"""
    )
    assert ring[0] == "solid" and float(ring[1].rstrip("px")) >= 2, ring
    assert contrast(ring[2], navbar) >= 3, ring


@pytest.fixture
def accessibility_world(live_server, transactional_db):
    world = build_world()
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return world, live_server.url


def test_every_page_of_every_role_passes_axe(accessibility_world):
    world, base = accessibility_world
    axe_url = base + static("vendor/axe-core/axe.min.js")
    all_problems, pages_per_role = {}, {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        # The sign-in page, before anyone signs in.
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(base + "/accounts/login/")
        if findings := axe_findings(page, axe_url):
            all_problems["(signed out) /accounts/login/"] = findings
        page.close()
        for role in Role.values:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(base + "/accounts/login/")
            page.get_by_label("Username").fill(world.user(role, "A").username)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(base + "/")
            if role == Role.MANAGER:
                assert_navigation_contrast(page)
            visited, problems = crawl(page, base, axe_url)
            pages_per_role[role] = visited
            for where, findings in problems.items():
                all_problems[f"{role} {where}"] = findings
            context.close()
        browser.close()
    # Every role reached more than its home page: the crawl followed its navigation.
    assert all(len(pages) > 2 for pages in pages_per_role.values()), pages_per_role
    # The pages a manager works on are among those checked.
    manager_pages = " ".join(pages_per_role[Role.MANAGER])
    for path in ("/children/", "/adopters/", "/scorecard/", "/tracking/", "/reports/"):
        assert path in manager_pages, path
    pages_by_finding: dict[str, list[str]] = {}
    for where, findings in all_problems.items():
        for finding in findings:
            pages_by_finding.setdefault(finding, []).append(where)
    assert not pages_by_finding, "\n".join(
        f"{finding}\n    on {len(pages)} page(s): " + ", ".join(pages[:4])
        for finding, pages in pages_by_finding.items()
    )
