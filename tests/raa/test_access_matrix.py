"""Every URL, as every role in every scope, against one declared policy table.

A URL that is added without an entry in POLICY fails ``test_every_url_has_a_policy``. Every page
is requested with GET and with POST (a page that takes no POST may answer it 405, or as GET),
about council A's records and, for record pages, about another council's records too.
"""

from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from raa import access
from raa.models import Role
from tests.conftest import SCOPES
from tests.scorecard.report_world import ensure_report

EVERYONE = frozenset(Role.values)


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
    "children:list": Rule(access.CASE_VIEW_ROLES),
    "children:create": Rule(access.CASE_EDIT_ROLES, post=True),
    "children:detail": Rule(access.CASE_VIEW_ROLES, obj="child_a"),
    "children:edit": Rule(
        access.CASE_EDIT_ROLES, obj="child_a", see=access.CASE_VIEW_ROLES, post=True
    ),
    "children:history": Rule(access.HISTORY_ROLES, obj="child_a", see=access.CASE_VIEW_ROLES),
    "children:data_quality": Rule(access.CASE_VIEW_ROLES),
    "children:close": Rule(
        access.CASE_EDIT_ROLES, obj="child_a", see=access.CASE_VIEW_ROLES, post=True
    ),
    # Reopening an open record answers with a redirect back to it and a message.
    "children:reopen": Rule(
        access.REOPEN_ROLES,
        obj="child_a",
        see=access.CASE_VIEW_ROLES,
        post=True,
        post_status=302,
    ),
    "children:period_add": Rule(
        access.CASE_EDIT_ROLES, obj="child_a", see=access.CASE_VIEW_ROLES, post=True
    ),
    "children:period_edit": Rule(
        access.CASE_EDIT_ROLES, obj="child_a", see=access.CASE_VIEW_ROLES, post=True, extra="period"
    ),
    "children:event_add": Rule(
        access.CASE_EDIT_ROLES, obj="child_a", see=access.CASE_VIEW_ROLES, post=True, extra="kind"
    ),
    "children:event_edit": Rule(
        access.CASE_EDIT_ROLES, obj="child_a", see=access.CASE_VIEW_ROLES, post=True, extra="event"
    ),
    "children:event_withdraw": Rule(
        access.CASE_EDIT_ROLES, obj="child_a", see=access.CASE_VIEW_ROLES, post=True, extra="event"
    ),
    "adopters:list": Rule(access.CASE_VIEW_ROLES),
    "adopters:create": Rule(
        access.CASE_EDIT_ROLES, see=access.CASE_VIEW_ROLES, region_only=True, post=True
    ),
    "adopters:detail": Rule(access.CASE_VIEW_ROLES, obj="household_a"),
    "adopters:edit": Rule(
        access.CASE_EDIT_ROLES,
        obj="household_a",
        see=access.CASE_VIEW_ROLES,
        region_only=True,
        post=True,
    ),
    "adopters:history": Rule(access.HISTORY_ROLES, obj="household_a", see=access.CASE_VIEW_ROLES),
    "adopters:step": Rule(
        access.CASE_EDIT_ROLES,
        obj="household_a",
        see=access.CASE_VIEW_ROLES,
        region_only=True,
        post=True,
        extra="step",
    ),
    "adopters:hold": Rule(
        access.CASE_EDIT_ROLES,
        obj="household_a",
        see=access.CASE_VIEW_ROLES,
        region_only=True,
        post=True,
    ),
    # Family finding is the region's adoption team's work: council staff get 403 on their
    # own child, 404 on another council's.
    "adopters:family_finding": Rule(access.CASE_VIEW_ROLES, obj="child_a", region_only=True),
    "adopters:child_needs": Rule(
        access.CASE_EDIT_ROLES,
        obj="child_a",
        see=access.CASE_VIEW_ROLES,
        region_only=True,
        post=True,
    ),
    "adopters:family_finding_record": Rule(
        access.CASE_EDIT_ROLES,
        obj="child_a",
        see=access.CASE_VIEW_ROLES,
        region_only=True,
        post=True,
        extra="kind",
    ),
    "scorecard:dashboard": Rule(access.DASHBOARD_ROLES),
    "scorecard:tracking": Rule(access.TRACKING_ROLES),
    "scorecard:reports": Rule(access.REPORT_ROLES),
    # Two-factor sign-in: anyone signed in. Without a set-up app, the code step sends to set-up.
    "two_factor_verify": Rule(EVERYONE, post=True, status=302),
    "two_factor_setup": Rule(EVERYONE, post=True),
    "two_factor_recovery_codes": Rule(EVERYONE, post=True, status=302),
    "scorecard:tracking_export_csv": Rule(access.TRACKING_EXPORT_ROLES),
    "scorecard:tracking_export_xlsx": Rule(access.TRACKING_EXPORT_ROLES),
    "scorecard:notifications": Rule(access.TRACKING_ROLES, post=True, post_status=302),
    # An empty upload answers 400 with the form's errors.
    "children:import": Rule(access.IMPORT_ROLES, post=True, post_status=400),
    "returns:index": Rule(access.EXPORT_ROLES),
    "returns:annex_a": Rule(access.EXPORT_ROLES),
    "returns:asglb": Rule(access.EXPORT_ROLES),
    "scorecard:figure": Rule(access.DASHBOARD_ROLES | access.REPORT_ROLES),
    "scorecard:cohort_figure": Rule(access.DASHBOARD_ROLES | access.REPORT_ROLES),
    # "Recompute now" queues the work and answers with a redirect to the dashboard.
    "scorecard:recompute": Rule(access.ADMIN_ROLES, post=True, post_status=302),
    # Board reports: council A's report, published as version 1 with a correction in draft.
    "scorecard:report_new": Rule(access.REPORT_EDIT_ROLES, post=True),
    "scorecard:report_detail": Rule(access.REPORT_ROLES, obj="report_a"),
    "scorecard:report_version": Rule(access.REPORT_ROLES, obj="report_a", extra="version"),
    "scorecard:report_download": Rule(access.REPORT_ROLES, obj="report_a", extra="download"),
    "scorecard:report_edit": Rule(
        access.REPORT_EDIT_ROLES, obj="report_a", see=access.REPORT_ROLES, post=True
    ),
    "scorecard:report_publish": Rule(
        access.REPORT_EDIT_ROLES,
        obj="report_a",
        see=access.REPORT_ROLES,
        post=True,
        post_status=302,
    ),
    "scorecard:report_correct": Rule(
        access.REPORT_EDIT_ROLES,
        obj="report_a",
        see=access.REPORT_ROLES,
        post=True,
        post_status=302,
    ),
    "scorecard:report_progress": Rule(
        access.REPORT_EDIT_ROLES, obj="report_a", see=access.REPORT_ROLES
    ),
}
# Pages with their own tests: sign-in and sign-out (test_auth.py), the admin (test_admin.py),
# an import run's report and progress (tests/children/test_import_pages.py).
NOT_IN_MATRIX = {"login", "logout", "children:import_run", "children:import_progress"}


def all_url_names(resolver=None, namespace="") -> list[str]:
    names = []
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            if ns == "admin":
                continue
            names += all_url_names(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(namespace + pattern.name)
    return names


def expected_status(rule: Rule, role: str, scope: str, obj: str | None = None) -> int:
    """What the policy says this person gets: 200, 403 (role may not) or 404 (not in scope).
    ``obj`` names the world record the page is about, if not the rule's own."""
    if role == Role.ADMINISTRATOR:
        return rule.status  # administrators may do everything, in every council
    if role not in (rule.see or rule.roles):
        return 403
    if rule.obj and scope not in VISIBLE_IN[obj or rule.obj]:
        return 404
    if role not in rule.roles or (rule.region_only and scope != "region"):
        return 403
    return rule.status


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


def test_every_url_has_a_policy():
    missing = set(all_url_names()) - set(POLICY) - NOT_IN_MATRIX
    assert not missing, f"URLs without an access policy: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(POLICY))
def test_anonymous_is_sent_to_sign_in(client, world, name):
    url = url_for(name, world)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def check_every_role_and_scope(client, world, name: str, obj: str | None = None) -> list[str]:
    """GET and POST the page as every role in every scope; what differs from the policy."""
    rule = POLICY[name]
    url = url_for(name, world, obj)
    wrong = []
    for role in Role.values:
        for scope in SCOPES:
            client.force_login(
                world.user(role, scope), backend="django.contrib.auth.backends.ModelBackend"
            )
            for method in ("get", "post"):
                want = expected_status(rule, role, scope, obj)
                got = getattr(client, method)(url).status_code
                allowed = {want}
                if method == "post" and want == rule.status:
                    if rule.post and rule.post_status:
                        allowed = {rule.post_status}
                    elif not rule.post:
                        allowed = {want, 405}  # takes no POST: refuse it, or answer as GET
                if got not in allowed:
                    wrong.append(f"{method.upper()} {url} as {role}/{scope}: {got}, want {want}")
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
    for name in ("children:detail", "adopters:detail", "scorecard:dashboard", "scorecard:tracking"):
        assert expected_status(POLICY[name], Role.BOARD_MEMBER, "region") == 403
    assert expected_status(POLICY["scorecard:reports"], Role.BOARD_MEMBER, "region") == 200
    # Another council's child answers 404, not 403.
    assert expected_status(POLICY["children:detail"], Role.SOCIAL_WORKER, "B") == 404
