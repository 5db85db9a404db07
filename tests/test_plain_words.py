"""Plain words (issue 20 item 9): every code explained on hover and on the glossary page, and
the A3 measure named with its window's months rather than "N"."""

from html.parser import HTMLParser

import pytest
from playwright.sync_api import expect

from children.models import EventKind, JourneyEvent
from raa import glossary
from raa.models import Role
from scorecard.measures import MEASURES
from tests.test_browser import browser_page, sign_in  # noqa: F401 (the fixture)
from tests.tracking.journeys import ago, make_child


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


class _Unexplained(HTMLParser):
    """Collects the glossary's words and codes that a page shows outside an ``<abbr>``: text
    in ``<abbr>`` is explained on hover; text a person cannot hover (the page title, a select's
    options, scripts) is not looked at, nor an SVG chart's labels (SVG has no ``<abbr>``: each
    chart has its figures in a table beside it, where the codes are explained)."""

    SKIP = {"abbr", "title", "script", "style", "select", "option", "textarea", "svg"}

    def __init__(self):
        super().__init__()
        self.inside: list[str] = []
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in {"br", "img", "input", "meta", "link", "hr", "wbr", "source"}:
            self.inside.append(tag)

    def handle_endtag(self, tag):
        if tag in self.inside:
            while self.inside and self.inside.pop() != tag:
                pass

    def handle_data(self, data):
        if not self.SKIP.intersection(self.inside):
            self.found += [
                f"{m.group(1)} in “{' '.join(data.split())[:80]}”"
                for m in glossary.prose_pattern().finditer(data)
            ]


def unexplained(html: str) -> list[str]:
    parser = _Unexplained()
    parser.feed(html)
    return parser.found


def test_the_scan_finds_a_code_shown_without_its_meaning():
    assert unexplained("<p>Legal status C2, by PR1 <abbr title='x'>ADM</abbr></p>") == [
        "C2 in “Legal status C2, by PR1”",
        "PR1 in “Legal status C2, by PR1”",
    ]
    assert unexplained("<select><option>C2: full care order</option></select>") == []


@pytest.fixture
def coded_world(world):
    """A child whose record shows 903 codes (legal status, reason care ended, a ceased
    decision, a placement provider, ethnicity) and data-quality findings; a household with
    its legal status."""
    from children.models import DataQualityFlag

    worker = world.user(Role.SOCIAL_WORKER, "A")
    household = world.household_free
    household.approval_date = ago(800)
    household.legal_status = "L11"
    household.save(update_fields=["approval_date", "legal_status"])
    child = make_child(
        world.councils["A"],
        worker,
        "CODES-1",
        entered=900,
        adm=800,
        order=700,
        matched=600,
        placed=590,
        household=household,
        worker=worker,
        ethnicity="WBRI",
    )
    period = child.periods_of_care.get()
    period.legal_status = "E1"
    period.save(update_fields=["legal_status"])
    child.events.filter(kind=EventKind.PLACED).update(placement_provider="PR1")
    JourneyEvent.objects.create(
        child=make_child(world.councils["A"], worker, "CODES-2", entered=500, adm=400),
        kind=EventKind.PLAN_CEASED,
        date=ago(100),
        ceased_reason="RD1",
        recorded_by=worker,
    )
    DataQualityFlag.objects.create(
        child=child,
        rule="1003-in-care",
        message="The ADM decision (01/02/2024) is before the child entered care.",
    )
    return child


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        (Role.SOCIAL_WORKER, "A"),
        (Role.TEAM_MANAGER, "A"),
        (Role.MANAGER, "region"),
        (Role.DATA_OFFICER, "A"),
    ],
)
def test_no_page_shows_a_code_without_its_meaning(client_for, world, coded_world, role, scope):
    """Every word or code the glossary knows is explained on hover wherever a page shows it."""
    user = world.user(role, scope)
    client = client_for(user)
    ceased = coded_world.council.children.get(child_id="CODES-2")
    pages = [
        "/",
        "/children/",
        "/children/?show=all",
        f"/children/{coded_world.pk}/",
        f"/children/{ceased.pk}/",
        "/children/data-quality/",
        "/children/import/",
        "/tracking/",
        "/tracking/?list=households",
        "/tracking/meetings/",
        "/adopters/",
        f"/adopters/{world.household_free.pk}/",
        "/notifications/",
        "/returns/",
        "/scorecard/",
        "/scorecard/figure/?measure=A1",
        "/scorecard/cohort/?measure=placed&side=before",
        "/forecast/what-if/",
        f"/adopters/family-finding/{coded_world.pk}/",
        "/reports/",
        f"/reports/{world.report_a.pk}/",
    ]
    shown = {}
    for path in pages:
        response = client.get(path)
        if response.status_code != 200:
            continue  # a page this role may not open
        found = unexplained(response.content.decode())
        if found:
            shown[path] = found
    assert shown == {}
    # and the codes are there, each with its meaning on hover
    record = client.get(f"/children/{coded_world.pk}/").content.decode()
    assert '<abbr title="903 legal status E1: placement order granted">E1</abbr>' in record
    assert '<abbr title="DfE ethnicity code WBRI: White British">WBRI</abbr>' in record
    record = client.get(f"/children/{ceased.pk}/").content.decode()
    assert (
        '<abbr title="Reason the adoption decision ceased RD1: the child&#x27;s needs changed '
        'after the decision">RD1</abbr>'
    ) in record


def test_the_glossary_lists_every_code_list(client_for, world):
    page = client_for(world.user(Role.SOCIAL_WORKER, "A")).get("/glossary/").content.decode()
    for title in (
        "903 legal status (LS)",
        "903 reason a period of care ended (REC)",
        "903 ethnicity codes",
        "Adopters&#x27; legal status (903 AD1, LS_ADOPTR)",
        "Data-quality rules",
        "Adoption Scorecard and ASGLB measures",
    ):
        assert f">{title}</h2>" in page
    assert '<dt class="col-sm-3 col-lg-2"><code>E11</code></dt>' in page
    assert "Adopted, application unopposed" in page
