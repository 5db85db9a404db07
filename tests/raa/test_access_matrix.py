"""Every URL, as every role in every scope, against one declared policy table.

A URL that is added without an entry in POLICY fails ``test_every_url_has_a_policy``. Every page
is requested with GET and with POST (a page that takes no POST may answer it 405, or as GET),
about council A's records and, for record pages, about another council's records too.

The policy is written out here, role by role: nothing in this file comes from ``raa.access``, so
a wrong edit there (a role added to or dropped from one of its sets) fails this test instead of
moving its expectations along with it.
"""

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from raa.models import Role
from tests.conftest import SCOPES
from tests.scorecard.report_world import ensure_report

# -- who may do what, spelled out ------------------------------------------------------------

SOCIAL_WORKER = Role.SOCIAL_WORKER
TEAM_MANAGER = Role.TEAM_MANAGER
MANAGER = Role.MANAGER  # a head of service
BOARD_MEMBER = Role.BOARD_MEMBER
DATA_OFFICER = Role.DATA_OFFICER
ADMINISTRATOR = Role.ADMINISTRATOR

#: Every role there is (``test_the_policy_names_every_role`` checks that none is missing).
EVERYONE = frozenset(
    {SOCIAL_WORKER, TEAM_MANAGER, MANAGER, BOARD_MEMBER, DATA_OFFICER, ADMINISTRATOR}
)
#: Children's and households' records, read: everyone but board members.
CASE_VIEWERS = frozenset({SOCIAL_WORKER, TEAM_MANAGER, MANAGER, DATA_OFFICER, ADMINISTRATOR})
#: Children's and households' records, changed.
CASE_EDITORS = frozenset({SOCIAL_WORKER, TEAM_MANAGER, ADMINISTRATOR})
#: A record's change history.
HISTORY_READERS = frozenset({TEAM_MANAGER, MANAGER, ADMINISTRATOR})
#: Reopening a closed record is a team manager's decision.
REOPENERS = frozenset({TEAM_MANAGER, ADMINISTRATOR})
DASHBOARD_READERS = frozenset({TEAM_MANAGER, MANAGER, DATA_OFFICER, ADMINISTRATOR})
TRACKING_READERS = frozenset({SOCIAL_WORKER, TEAM_MANAGER, MANAGER, ADMINISTRATOR})
#: Exporting the tracking list: those who see it and may export (not social workers).
TRACKING_EXPORTERS = frozenset({TEAM_MANAGER, MANAGER, ADMINISTRATOR})
#: Published board reports.
REPORT_READERS = frozenset({BOARD_MEMBER, TEAM_MANAGER, MANAGER, ADMINISTRATOR})
#: Drafting, previewing, publishing and correcting board reports.
REPORT_EDITORS = frozenset({TEAM_MANAGER, MANAGER, ADMINISTRATOR})
#: A figure's page: whoever reads the dashboard or board reports.
FIGURE_READERS = frozenset({BOARD_MEMBER, TEAM_MANAGER, MANAGER, DATA_OFFICER, ADMINISTRATOR})
IMPORTERS = frozenset({DATA_OFFICER, ADMINISTRATOR})
#: Statutory returns (Annex A, ASGLB).
EXPORTERS = frozenset({DATA_OFFICER, TEAM_MANAGER, MANAGER, ADMINISTRATOR})
ADMINISTRATORS_ONLY = frozenset({ADMINISTRATOR})
#: The forecast's what-if page: team managers, heads of service, administrators.
WHAT_IF_ASKERS = frozenset({TEAM_MANAGER, MANAGER, ADMINISTRATOR})


@dataclass(frozen=True)
class Rule:
    roles: frozenset  # who may use the page
    obj: str | None = None  # world attribute the page is about (scoped: 404 outside)
    see: frozenset | None = None  # who may open the record at all (defaults to ``roles``)
    region_only: bool = False  # only region-scope holders of ``roles``
    post: bool = False  # the page takes POST too
    extra: str | None = None  # more of the address: "period", "event" or "kind"
    post_status: int | None = None  # what an empty POST answers when allowed (default as GET)
    status: int = 200  # what a GET answers when allowed (e.g. 302 for a step that moves on)


# Scopes in which each world object is visible to case staff.
VISIBLE_IN = {
    "child_a": {"A", "region"},
    "household_a": {"A", "region"},
    "child_b": {"B", "region"},
    "household_free": {"region"},  # linked with no child: region-scope staff only
    "report_a": {"A", "region"},
    "report_b": {"B", "region"},
}
# For each record a page can be about, another record that other people may see.
OTHER_RECORD = {"child_a": "child_b", "household_a": "household_free", "report_a": "report_b"}

POLICY = {
    "home": Rule(EVERYONE),
    "children:list": Rule(CASE_VIEWERS),
    "children:create": Rule(CASE_EDITORS, post=True),
    "children:detail": Rule(CASE_VIEWERS, obj="child_a"),
    "children:edit": Rule(CASE_EDITORS, obj="child_a", see=CASE_VIEWERS, post=True),
    "children:history": Rule(HISTORY_READERS, obj="child_a", see=CASE_VIEWERS),
    "children:data_quality": Rule(CASE_VIEWERS),
    "children:close": Rule(CASE_EDITORS, obj="child_a", see=CASE_VIEWERS, post=True),
    # Reopening an open record answers with a redirect back to it and a message.
    "children:reopen": Rule(
        REOPENERS,
        obj="child_a",
        see=CASE_VIEWERS,
        post=True,
        post_status=302,
    ),
    "children:period_add": Rule(CASE_EDITORS, obj="child_a", see=CASE_VIEWERS, post=True),
    "children:period_edit": Rule(
        CASE_EDITORS, obj="child_a", see=CASE_VIEWERS, post=True, extra="period"
    ),
    "children:event_add": Rule(
        CASE_EDITORS, obj="child_a", see=CASE_VIEWERS, post=True, extra="kind"
    ),
    "children:event_edit": Rule(
        CASE_EDITORS, obj="child_a", see=CASE_VIEWERS, post=True, extra="event"
    ),
    "children:event_withdraw": Rule(
        CASE_EDITORS, obj="child_a", see=CASE_VIEWERS, post=True, extra="event"
    ),
    "adopters:list": Rule(CASE_VIEWERS),
    "adopters:create": Rule(CASE_EDITORS, see=CASE_VIEWERS, region_only=True, post=True),
    "adopters:detail": Rule(CASE_VIEWERS, obj="household_a"),
    "adopters:edit": Rule(
        CASE_EDITORS,
        obj="household_a",
        see=CASE_VIEWERS,
        region_only=True,
        post=True,
    ),
    "adopters:history": Rule(HISTORY_READERS, obj="household_a", see=CASE_VIEWERS),
    "adopters:step": Rule(
        CASE_EDITORS,
        obj="household_a",
        see=CASE_VIEWERS,
        region_only=True,
        post=True,
        extra="step",
    ),
    "adopters:hold": Rule(
        CASE_EDITORS,
        obj="household_a",
        see=CASE_VIEWERS,
        region_only=True,
        post=True,
    ),
    # Family finding is the region's adoption team's work: council staff get 403 on their
    # own child, 404 on another council's.
    "adopters:family_finding": Rule(CASE_VIEWERS, obj="child_a", region_only=True),
    "adopters:child_needs": Rule(
        CASE_EDITORS,
        obj="child_a",
        see=CASE_VIEWERS,
        region_only=True,
        post=True,
    ),
    "adopters:family_finding_record": Rule(
        CASE_EDITORS,
        obj="child_a",
        see=CASE_VIEWERS,
        region_only=True,
        post=True,
        extra="kind",
    ),
    "scorecard:dashboard": Rule(DASHBOARD_READERS),
    "tracking:list": Rule(TRACKING_READERS),
    "scorecard:reports": Rule(REPORT_READERS),
    # Two-factor sign-in: anyone signed in. Without a set-up app, the code step sends to set-up.
    "two_factor_verify": Rule(EVERYONE, post=True, status=302),
    "two_factor_setup": Rule(EVERYONE, post=True),
    "two_factor_recovery_codes": Rule(EVERYONE, post=True, status=302),
    "tracking:export_csv": Rule(TRACKING_EXPORTERS),
    # The forecast's what-if (issue 21): managers; nothing is written (a GET form).
    "forecast:what_if": Rule(WHAT_IF_ASKERS),
    "tracking:export_xlsx": Rule(TRACKING_EXPORTERS),
    "tracking:notifications": Rule(TRACKING_READERS, post=True, post_status=302),
    # An empty upload answers 400 with the form's errors.
    "children:import": Rule(IMPORTERS, post=True, post_status=400),
    "returns:index": Rule(EXPORTERS),
    "returns:annex_a": Rule(EXPORTERS),
    "returns:asglb": Rule(EXPORTERS),
    "scorecard:figure": Rule(FIGURE_READERS),
    "scorecard:cohort_figure": Rule(FIGURE_READERS),
    # The audit trail (administrators) and each person's own access history (everyone).
    "audit_trail": Rule(ADMINISTRATORS_ONLY),
    "audit_export_csv": Rule(ADMINISTRATORS_ONLY),
    "my_access_history": Rule(EVERYONE),
    "password_change": Rule(EVERYONE),
    "glossary": Rule(EVERYONE),
    # "Recompute now" queues the work and answers with a redirect to the dashboard.
    "scorecard:recompute": Rule(ADMINISTRATORS_ONLY, post=True, post_status=302),
    # Board reports: council A's report, published as version 1 with a correction in draft.
    "scorecard:report_new": Rule(REPORT_EDITORS, post=True),
    "scorecard:report_detail": Rule(REPORT_READERS, obj="report_a"),
    "scorecard:report_version": Rule(REPORT_READERS, obj="report_a", extra="version"),
    "scorecard:report_download": Rule(REPORT_READERS, obj="report_a", extra="download"),
    "scorecard:report_edit": Rule(REPORT_EDITORS, obj="report_a", see=REPORT_READERS, post=True),
    "scorecard:report_publish": Rule(
        REPORT_EDITORS,
        obj="report_a",
        see=REPORT_READERS,
        post=True,
        post_status=302,
    ),
    "scorecard:report_correct": Rule(
        REPORT_EDITORS,
        obj="report_a",
        see=REPORT_READERS,
        post=True,
        post_status=302,
    ),
    "scorecard:report_progress": Rule(REPORT_EDITORS, obj="report_a", see=REPORT_READERS),
}
# Pages with their own tests: sign-in and sign-out (test_auth.py), the admin (test_admin.py),
# an import run's report and progress (tests/children/test_import_pages.py) and its findings
# CSV (tests/children/test_import_report.py); the pages of a forgotten password, open to anyone
# (test_passwords.py), and single sign-on's two addresses, 404 unless configured (test_sso.py,
# tests/test_sso_browser.py).
NOT_IN_MATRIX = {
    "login",
    "logout",
    "children:import_run",
    "children:import_progress",
    "children:import_findings_csv",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "oidc_authentication_init",
    "oidc_authentication_callback",
}
#: Tracking meetings: read by tracking readers, written only by those who run meetings (a
#: social worker's POST answers 403 where the GET answers 200, which a Rule cannot say); their
#: pages are about a meeting the world does not hold. tests/tracking/test_meetings.py checks
#: every role on them.
NOT_IN_MATRIX |= {
    "tracking:meetings",
    "tracking:meeting",
    "tracking:meeting_edit",
    "tracking:action_add",
    "tracking:action_done",
}


def all_url_names(resolver=None, namespace="") -> list[str]:
    names = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            if ns in ("admin", "api"):  # the API's clients: "API clients" at the end
                continue
            names += all_url_names(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(namespace + pattern.name)
    return names


def expected_status(rule: Rule, person, obj: str | None = None) -> int:
    """What the policy says this person gets: 200, 403 (role may not) or 404 (not in scope).
    ``person`` is what they hold: ``((role, scope), ...)``, one membership or several. A role
    counts for a record only where it is held over the record's council (or region): a team
    manager in B who is a social worker in A is a social worker for A's records. ``obj`` names
    the world record the page is about, if not the rule's own."""
    record = obj or rule.obj
    if any(role == Role.ADMINISTRATOR for role, _ in person):
        return rule.status  # administrators may do everything, in every council
    see = rule.see or rule.roles
    if not any(role in see for role, _ in person):
        return 403
    if record and not any(role in see and scope in VISIBLE_IN[record] for role, scope in person):
        return 404
    for role, scope in person:
        if role not in rule.roles or (rule.region_only and scope != "region"):
            continue
        if record and scope not in VISIBLE_IN[record]:
            continue  # the role is held over another council: it does not reach this record
        return rule.status
    return 403


def url_for(name: str, world, obj: str | None = None) -> str:
    rule = POLICY[name]
    if not rule.obj:
        return reverse(name)
    record = getattr(world, obj or rule.obj)
    kwargs = {"pk": record.pk}
    if rule.extra == "period":
        kwargs["period_pk"] = record.periods_of_care.first().pk
    elif rule.extra == "event":
        kwargs["event_pk"] = record.events.first().pk
    elif rule.extra == "kind":
        kwargs["kind"] = "matched"
    elif rule.extra == "step":
        kwargs["step"] = "registration"
    elif rule.extra == "version":
        kwargs["number"] = 1
    elif rule.extra == "download":
        kwargs.update(number=1, file_format="pdf")
    return reverse(name, kwargs=kwargs)


def test_the_policy_names_every_role():
    """A new role fails here until the table above says what it may do."""
    assert frozenset(Role.values) == EVERYONE


def test_every_url_has_a_policy():
    missing = set(all_url_names()) - set(POLICY) - NOT_IN_MATRIX
    assert not missing, f"URLs without an access policy: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(POLICY))
def test_anonymous_is_sent_to_sign_in(client, world, name):
    url = url_for(name, world)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def people(world, mixed=None) -> list[tuple[tuple, object]]:
    """Every role in every scope, one membership each; with ``mixed``, the mixed-role people."""
    if mixed is not None:
        return list(mixed.items())
    return [(((role, scope),), world.user(role, scope)) for role in Role.values for scope in SCOPES]


def check_every_role_and_scope(
    client, world, name: str, obj: str | None = None, mixed=None
) -> list[str]:
    """GET and POST the page as every role in every scope (or, with ``mixed``, as each of the
    mixed-role people); what differs from the policy."""
    rule = POLICY[name]
    url = url_for(name, world, obj)
    wrong = []
    for person, user in people(world, mixed):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        for method in ("get", "post"):
            want = expected_status(rule, person, obj)
            got = getattr(client, method)(url).status_code
            allowed = {want}
            if method == "post" and want == rule.status:
                if rule.post and rule.post_status:
                    allowed = {rule.post_status}
                elif not rule.post:
                    allowed = {want, 405}  # takes no POST: refuse it, or answer as GET
            if got not in allowed:
                who = " + ".join(f"{role}/{scope}" for role, scope in person)
                wrong.append(f"{method.upper()} {url} as {who}: {got}, want {want}")
    return wrong


@pytest.mark.parametrize("name", sorted(POLICY))
def test_every_role_in_every_scope_gets_what_the_policy_says(client, world, name):
    wrong = check_every_role_and_scope(client, world, name)
    assert not wrong, "\n".join(wrong)


@pytest.fixture
def other_records(world):
    """Council B's child with a period of care and a step, so its step pages have addresses."""
    from datetime import date

    from children.models import EventKind, JourneyEvent

    child = world.child_b
    if not child.periods_of_care.exists():
        child.periods_of_care.create(entered_care=date(2021, 1, 4))
        JourneyEvent.objects.create(
            child=child,
            kind=EventKind.ADM_DECISION,
            date=date(2021, 8, 2),
            recorded_by=world.user(Role.SOCIAL_WORKER, "B"),
        )
    world.report_b = ensure_report(world, "B")
    return world


@pytest.mark.parametrize("name", sorted(n for n, r in POLICY.items() if r.obj))
def test_another_councils_records_answer_as_the_policy_says(client, other_records, name):
    """The same pages about council B's child (or a household linked with no child): council A
    and C staff get 404, never the record."""
    other = OTHER_RECORD[POLICY[name].obj]
    wrong = check_every_role_and_scope(client, other_records, name, other)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", sorted(POLICY))
def test_anonymous_posts_are_sent_to_sign_in_too(client, world, name):
    response = client.post(url_for(name, world))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_policy_table_says_what_the_brief_says():
    # Board members never reach a child's or household's record, the dashboard or tracking.
    board = ((Role.BOARD_MEMBER, "region"),)
    for name in ("children:detail", "adopters:detail", "scorecard:dashboard", "tracking:list"):
        assert expected_status(POLICY[name], board) == 403
    assert expected_status(POLICY["scorecard:reports"], board) == 200
    # Another council's child answers 404, not 403.
    assert expected_status(POLICY["children:detail"], ((Role.SOCIAL_WORKER, "B"),)) == 404
    # A role held over another council does not reach this record: a team manager in B who is
    # a social worker in A opens A's child but not its history, and may not reopen it.
    mixed = ((Role.TEAM_MANAGER, "B"), (Role.SOCIAL_WORKER, "A"))
    assert expected_status(POLICY["children:detail"], mixed) == 200
    assert expected_status(POLICY["children:history"], mixed) == 403
    assert expected_status(POLICY["children:reopen"], mixed) == 403
    assert expected_status(POLICY["adopters:history"], mixed) == 403
    assert expected_status(POLICY["children:history"], mixed, "child_b") == 200


# -- people with a different role in each of two scopes ------------------------------------------

#: Each holds two roles: a role that gives more in one council (or the region) than the other.
#: For every page, each must get what the role held over the page's record gives, never what a
#: role held elsewhere gives ("has the role somewhere" is the bug this catches).
MIXED = [
    ((Role.TEAM_MANAGER, "B"), (Role.SOCIAL_WORKER, "A")),
    ((Role.TEAM_MANAGER, "A"), (Role.SOCIAL_WORKER, "B")),
    ((Role.MANAGER, "B"), (Role.SOCIAL_WORKER, "A")),
    ((Role.DATA_OFFICER, "B"), (Role.TEAM_MANAGER, "A")),
    ((Role.BOARD_MEMBER, "A"), (Role.TEAM_MANAGER, "B")),
    ((Role.BOARD_MEMBER, "region"), (Role.SOCIAL_WORKER, "A")),
    ((Role.SOCIAL_WORKER, "region"), (Role.TEAM_MANAGER, "B")),
    ((Role.MANAGER, "region"), (Role.SOCIAL_WORKER, "B")),
]


@pytest.fixture
def mixed_people(world) -> dict:
    """{((role, scope), (role, scope)): user} for every pair in MIXED (made once, kept)."""
    from raa.services import user_add_or_update

    made = {}
    for person in MIXED:
        username = "mixed-" + "+".join(f"{role}-{scope}".lower() for role, scope in person)
        for role, scope in person:
            user, _ = user_add_or_update(
                username=username,
                role=role,
                councils=[world.councils[scope]] if scope != "region" else None,
                region=world.region if scope == "region" else None,
            )
        made[person] = user
    return made


@pytest.mark.parametrize("name", sorted(POLICY))
def test_mixed_role_people_get_what_the_role_over_the_record_gives(
    client, world, mixed_people, name
):
    wrong = check_every_role_and_scope(client, world, name, mixed=mixed_people)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("name", sorted(n for n, r in POLICY.items() if r.obj))
def test_mixed_role_people_on_another_councils_records(client, other_records, mixed_people, name):
    other = OTHER_RECORD[POLICY[name].obj]
    wrong = check_every_role_and_scope(client, other_records, name, other, mixed=mixed_people)
    assert not wrong, "\n".join(wrong)


# -- API clients ----------------------------------------------------------------------------------

#: The case-system API (/api/v1/) is for API clients, never people: a token over some councils
#: or the whole region. Each client gets what its scope says on each of council A's addresses:
#: 200 in scope, 404 for a council it may not use (as for people), 401 without a valid token
#: (none, unknown or revoked), and a person's session does not count.
API_READS = [
    "councils/801/children/A0001",
    "councils/801/scorecard?period=2022-25",
]
API_CLIENT_SCOPES = {
    "A": 200,
    "B": 404,
    "region": 200,
    "revoked A": 401,
}


@pytest.fixture
def api_callers(world):
    from api.models import ApiClient
    from api.services import api_client_add, api_client_revoke

    tokens = {}
    for scope in API_CLIENT_SCOPES:
        councils = [world.councils[scope[-1]]] if scope != "region" else None
        client, tokens[scope] = api_client_add(
            name=f"Matrix {scope}",
            councils=councils,
            region=world.region if scope == "region" else None,
        )
        if scope.startswith("revoked"):
            api_client_revoke(client=client, acting_user=world.user(Role.ADMINISTRATOR, "A"))
    assert ApiClient.objects.filter(name__startswith="Matrix").count() == len(API_CLIENT_SCOPES)
    return tokens


@pytest.mark.parametrize("path", API_READS)
def test_every_api_client_gets_what_its_scope_says(client, api_callers, path):
    wrong = []
    for scope, want in API_CLIENT_SCOPES.items():
        got = client.get(f"/api/v1/{path}", HTTP_AUTHORIZATION=f"Bearer {api_callers[scope]}")
        if got.status_code != want or got["Content-Type"] != (
            "application/json" if want == 200 else "application/problem+json"
        ):
            wrong.append(f"{path} as the {scope} client: {got.status_code}, want {want}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("path", API_READS)
def test_people_and_anonymous_get_401_from_the_api_never_a_page(client, world, path):
    assert client.get(f"/api/v1/{path}").status_code == 401
    for scope in SCOPES:
        client.force_login(
            world.user(Role.ADMINISTRATOR, scope),
            backend="django.contrib.auth.backends.ModelBackend",
        )
        assert client.get(f"/api/v1/{path}").status_code == 401
