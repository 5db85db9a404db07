"""Every figure opens to the children (or households) behind it, and they add up to it.

On the demo region (seeded once for the module, rolled back at the end), for every measure
family: the members each family lists from its own SQL give back the stored figure: as many
counted as its denominator (or count), as many in the numerator, the same days summed, the same
exclusions by reason. Then the pages: a manager follows the dashboard's links family by family
and finds as many members listed as the figure says; a board member sees none; the page's
queries do not grow with the figure.
"""

import re
from collections import Counter
from datetime import date
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from home import demo_data
from raa.models import Council, Region, User
from scorecard import periods as P
from scorecard.cohorts import compare_cohorts
from scorecard.measures import COUNT, MEAN, MEASURES, PERCENT
from scorecard.measures.compute import threshold_for, threshold_rows
from scorecard.measures.members import cohort_members, figure_members
from scorecard.models import ScorecardResult
from scorecard.selectors import result as stored_result

TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo region, seeded (and its figures stored) once for the module, then rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--seed", "7", "--today", TODAY.isoformat(), stdout=StringIO())
        yield Region.objects.get(name=demo_data.DEMO_REGION_NAME)
        transaction.set_rollback(True)


@pytest.fixture
def region(seeded, db):
    return seeded


def _scopes(region) -> list[tuple[int | None, list[int]]]:
    """The region and its first council: (council_id or None, the councils counted)."""
    councils = list(Council.objects.filter(region=region).order_by("la_code"))
    ids = [c.pk for c in councils]
    return [(None, ids), (councils[0].pk, [councils[0].pk])]


#: A window, a year and a quarter with plenty in each, and a custom range (computed, not stored).
PERIODS = (P.window(2021), P.financial_year(2024), P.quarter(2025, 2))


def _adds_up(code: str, figure: dict, members: list[dict]) -> None:
    """The members give back the figure: counted, numerator, days, exclusions by reason."""
    kind = MEASURES[code].kind
    counted = [m for m in members if m["counted"]]
    if kind == COUNT:
        assert len(counted) == (figure["value"] or 0), code
        return
    assert len(counted) == figure["denominator"], code
    if kind == MEAN:
        assert sum(m["days"] for m in counted) == figure["sum"], code
    if kind == PERCENT:
        assert sum(1 for m in counted if m["in_numerator"]) == figure["numerator"], code
    left_out = Counter(m["reason"] for m in members if not m["counted"])
    if MEASURES[code].group != "timeline":  # the timeline stores no exclusions
        assert dict(left_out) == figure["excluded"], code


def _check_family(region, group: str, periods=PERIODS) -> int:
    rows = threshold_rows()
    checked = 0
    for council_id, council_ids in _scopes(region):
        for period in periods:
            stored = stored_result(region_id=region.pk, council_id=council_id, period=period)
            assert stored is not None, period
            for code, measure in MEASURES.items():
                if measure.group != group:
                    continue
                scope = council_ids if council_id or group != "adopters" else None
                members = figure_members(
                    code,
                    period,
                    threshold_for(period, rows),
                    council_ids=scope,
                    region_id=region.pk,
                )
                _adds_up(code, stored.measure(code), members)
                checked += bool(members)
    return checked


def test_the_scorecard_children_add_up_to_a1_a10_a2_a3(region):
    assert _check_family(region, "scorecard") >= 20


def test_each_quarterly_count_lists_the_events_that_counted(region):
    assert _check_family(region, "activity") >= 30
    # Each listed event is dated inside the period it counts in.
    quarter = PERIODS[2]
    rows = figure_members(
        "placed", quarter, None, council_ids=_scopes(region)[0][1], region_id=region.pk
    )
    assert rows and all(quarter.start <= r["date"] <= quarter.end for r in rows)


def test_children_waiting_and_each_harder_to_place_group_add_up(region):
    assert _check_family(region, "waiting") >= 10


def test_each_milestone_of_the_timeline_adds_up(region):
    assert _check_family(region, "timeline") >= 20


def test_the_adopter_measures_list_the_households_behind_them(region):
    assert _check_family(region, "adopters") >= 20


def test_a_custom_range_lists_what_is_computed_for_it(region):
    """Custom ranges are computed on request (waiting and A11/A13 at a day that ends no
    quarter take the direct count): the members still add up."""
    from scorecard.selectors import compute_scorecard

    period = P.custom(date(2024, 5, 10), date(2025, 2, 14))
    threshold = threshold_for(period, threshold_rows())
    for council_id, council_ids in _scopes(region):
        computed = compute_scorecard(period=period, region_id=region.pk, council_id=council_id)
        for code, measure in MEASURES.items():
            scope = council_ids if council_id or measure.group != "adopters" else None
            members = figure_members(
                code, period, threshold, council_ids=scope, region_id=region.pk
            )
            _adds_up(code, computed.measure(code), members)


def test_both_sides_of_the_cohort_comparison_list_their_children(region):
    council_ids = _scopes(region)[0][1]
    pivot = date(2024, 4, 1)
    before, after = compare_cohorts(
        council_ids=council_ids, pivot=pivot, today=TODAY, within_months=14
    )
    start, end = before.start, after.end
    for side, cohort in (("before", before), ("after", after)):

        def listed(measure, side=side):
            return cohort_members(
                split=pivot,
                n_months=14,
                m_months=12,
                council_ids=council_ids,
                side=side,
                measure=measure,
                start=start,
                end=end,
            )

        placed = [m for m in listed("placed") if m["counted"]]
        assert len(placed) == cohort.children > 10
        mean = (2 * sum(m["days"] for m in placed) + len(placed)) // (2 * len(placed))
        assert mean == cohort.mean_days_to_placed
        within = [m for m in listed("placed_n_months") if m["in_numerator"]]
        assert len(within) == cohort.placed_within_n
        with_order = [m for m in listed("po_m_months") if m["counted"]]
        assert len(with_order) == cohort.with_order
        adm = [m for m in listed("adm") if m["counted"]]
        if adm:
            mean_adm = (2 * sum(m["days"] for m in adm) + len(adm)) // (2 * len(adm))
            assert mean_adm == cohort.mean_days_to_adm


# -- the pages ------------------------------------------------------------------------------------


def _client(client, username: str):
    client.force_login(
        User.objects.get(username=username), backend="django.contrib.auth.backends.ModelBackend"
    )
    return client


def _listed(response) -> tuple[int, int]:
    """(counted, left out) as the page says them."""
    members = response.context["members"]
    return members["n_counted"], members["n_left_out"]


LINKS = (
    "figure-link-A1",
    "figure-link-waiting",
    "figure-link-waiting_aged_5",
    "figure-link-A11",
    "activity-placed-q1",
    "cohort-before-placed_n_months",
)


def test_every_dashboard_figure_opens_to_as_many_members_as_it_counts(region, client):
    client = _client(client, "regional")
    html = client.get("/scorecard/").content.decode()
    hrefs = {
        testid: unescape(href)
        for href, testid in re.findall(r'<a href="([^"]+)"[^>]*data-testid="([^"]+)"', html)
    }
    for testid in LINKS:
        assert testid in hrefs, testid
    for testid in LINKS:
        response = client.get(hrefs[testid])
        assert response.status_code == 200, testid
        counted, left_out = _listed(response)
        if testid.startswith("cohort"):
            continue  # checked against the dashboard's numbers below
        figure = response.context["figure"]
        code = response.context["code"]
        expected = figure["value"] if MEASURES[code].kind == COUNT else figure["denominator"]
        assert counted == expected and counted > 0, testid
        assert left_out == sum(figure["excluded"].values()), testid
    # The table's links to the timeline and the adopters' flow measures, by their figures.
    for code in ("T_placed", "approvals", "approved_6m"):
        match = re.search(rf'href="(/scorecard/figure/\?code={code}&amp;[^"]+)"', html)
        response = client.get(unescape(match.group(1)))
        figure = response.context["figure"]
        expected = figure["value"] if MEASURES[code].kind == COUNT else figure["denominator"]
        assert _listed(response)[0] == expected, code
    # The cohort comparison: the dashboard's "children placed" on each side.
    cohorts = client.get("/scorecard/").context["cohorts"]
    for side in ("before", "after"):
        response = client.get(hrefs[f"cohort-{side}-placed_n_months"].replace("before", side))
        members = response.context["members"]
        assert members["n_counted"] == cohorts[side].children
        assert members["n_numerator"] == cohorts[side].placed_within_n


def test_a_council_manager_sees_their_councils_members_and_a_board_member_none(region, client):
    manager = User.objects.get(username="manager")  # a team manager of the first council
    council = Council.objects.filter(region=region).order_by("pk").first()
    stored = ScorecardResult.objects.get(council=council, kind=P.WINDOW, label="2021-24")
    response = _client(client, "manager").get(
        "/scorecard/figure/", {"code": "A1", "period": "2021-24"}
    )
    members = response.context["members"]
    assert members["n_counted"] == stored.measures["A1"]["denominator"]
    assert {r["council_id"] for r in members["counted"]} == {manager.memberships.get().council_id}
    board = _client(client, "board").get("/scorecard/figure/", {"code": "A1", "period": "2021-24"})
    assert board.status_code == 200 and board.context["members"] is None
    assert "Children counted" not in board.content.decode()
    cohort = client.get("/scorecard/cohort/", {"side": "before", "measure": "placed"})
    assert cohort.status_code == 200 and cohort.context["members"] is None


def test_the_figure_page_pages_a_large_figure_in_a_fixed_number_of_queries(
    region, client, django_assert_max_num_queries
):
    client = _client(client, "regional")
    # Enquiries over three years: hundreds of households, a page of 100 at a time. (21: the
    # navigation's unread notifications and tracking-meeting context add two on every page.)
    with django_assert_max_num_queries(21):
        first = client.get("/scorecard/figure/", {"code": "enquiries", "period": "2021-24"})
    members = first.context["members"]
    assert members["n_counted"] > 100 and len(members["counted"]) == 100
    assert members["counted_nav"]["next"]
    with django_assert_max_num_queries(21):
        second = client.get(members["counted_nav"]["next"].replace("?", "/scorecard/figure/?"))
    assert len(second.context["members"]["counted"]) == min(100, members["n_counted"] - 100)
    with django_assert_max_num_queries(21):
        client.get("/scorecard/figure/", {"code": "A1", "period": "2021-24"})
