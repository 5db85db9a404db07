"""The managers' dashboard at /scorecard/ and the figure page: what a manager reads.

Council C of the fixed world gets two adopted children with known journeys (days before
today), so its latest complete scorecard window holds exactly them. The engine recomputes and
stores; the dashboard only reads what it stored.
"""

import re
from datetime import timedelta

import pytest

from raa.models import Role
from scorecard import periods as P
from scorecard.models import NationalFigure, ScorecardResult
from scorecard.services import recompute_all
from tests.tracking.journeys import make_child, today

URL = "/scorecard/"


@pytest.fixture
def council_c(world):
    c = world.councils["C"]
    by = world.user(Role.SOCIAL_WORKER, "C")
    # X: entered care 850 days ago, placed 450 days ago: 400 days (A1). Order 650, match
    # 550: 100 days (A2). Adopted 400 days ago: always inside the latest window, which began
    # at least two years ago.
    make_child(c, by, "D-X", entered=850, adm=750, order=650, matched=550, placed=450, adopted=400)
    # Y: 950 to 450: 500 days; order 750 to match 500: 250 days.
    make_child(c, by, "D-Y", entered=950, adm=850, order=750, matched=500, placed=450, adopted=400)
    # Mean A1 = (400 + 500) / 2 = 450 days: over the 426-day threshold, not met.
    # Mean A2 = (100 + 250) / 2 = 175 days: over 121, not met.
    # A3: 400 days from 1400 days ago is under 14 months (~426 days); 500 is not: 1 of 2, 50.0%.
    recompute_all()
    return c


def latest_window() -> P.Period:
    """The latest stored window: the one running now (its figures to date)."""
    return P.window(P.fy_of(today()) - 2)


def test_a_council_manager_reads_their_councils_figures(client_for, world, council_c):
    response = client_for(world.user(Role.TEAM_MANAGER, "C")).get(URL)
    assert response.status_code == 200
    figures = {h.code: h for h in response.context["headlines"]}
    assert figures["A1"].window == latest_window().label
    assert (figures["A1"].value, figures["A1"].denominator) == (450, 2)
    assert figures["A1"].verdict == "not met" and figures["A1"].threshold == 426
    assert figures["A2"].value == 175
    assert (figures["A3"].value, figures["A3"].numerator) == (50.0, 1)
    html = response.content.decode()
    assert "Council C" in html and "Threshold not met" in html
    assert "Council A" not in html  # no other council, not even in the picker
    # Charts are SVG drawn on the server, each with its figures in a table beside it.
    assert html.count('role="img"') >= 4
    assert "A1, A10 and A2 over the scorecard windows" in html


def test_the_dashboard_shows_the_stored_figure_not_a_fresh_computation(
    client_for, world, council_c
):
    window = latest_window()
    row = ScorecardResult.objects.get(council=council_c, kind=P.WINDOW, start=window.start)
    row.measures["A1"]["value"] = 4242
    row.save()
    response = client_for(world.user(Role.TEAM_MANAGER, "C")).get(URL)
    assert 'data-testid="value-A1">4242<' in response.content.decode()


def test_another_councils_dashboard_answers_404(client_for, world, council_c):
    client = client_for(world.user(Role.TEAM_MANAGER, "C"))
    assert client.get(URL, {"council": world.councils["B"].la_code}).status_code == 404
    assert client.get(URL, {"council": "x"}).status_code == 404


def test_a_region_manager_switches_council_and_compares_them_side_by_side(
    client_for, world, council_c
):
    client = client_for(world.user(Role.MANAGER, "region"))
    region = client.get(URL)
    names = [row.name for row in region.context["compare_rows"]]
    assert names == ["Council A", "Council B", "Council C", "Whole region"]
    c_row = region.context["compare_rows"][2]
    assert c_row.figures["A1"]["value"] == 450 and c_row.verdicts["A1"] == "not met"
    one = client.get(URL, {"council": council_c.la_code})
    assert one.context["scope"].council == council_c
    assert "compare_rows" not in one.context


def test_each_figure_opens_its_definition_and_the_children_behind_it(client_for, world, council_c):
    client = client_for(world.user(Role.TEAM_MANAGER, "C"))
    html = client.get(URL).content.decode()
    window = latest_window().label
    link = f"/scorecard/figure/?code=A1&amp;period={window}&amp;council={council_c.la_code}"
    assert link in html
    # The engine's figure page: the definition and the children counted, with their days.
    response = client.get(link.replace("&amp;", "&"))
    page = response.content.decode()
    assert "mean calendar days from entering care" in page
    counted = response.context["members"]["counted"]
    assert sorted((r["record"].child_id, r["days"]) for r in counted) == [
        ("D-X", 400),
        ("D-Y", 500),
    ]


def test_a_data_officer_reads_figures_and_a_board_member_gets_403(client_for, world, council_c):
    client = client_for(world.user(Role.DATA_OFFICER, "C"))
    assert client.get(URL).status_code == 200
    client = client_for(world.user(Role.BOARD_MEMBER, "region"))
    assert client.get(URL).status_code == 403
    assert client.get("/scorecard/figure/?code=A1").status_code == 200  # figures, no children


def test_the_quarterly_activity_table_counts_events_in_each_quarter(client_for, world, council_c):
    # Ask for the financial year of D-X's adoption order (400 days ago): two orders that year.
    adopted = today() - timedelta(days=400)
    year = P.fy_of(adopted)
    response = client_for(world.user(Role.TEAM_MANAGER, "C")).get(URL, {"year": year})
    activity = response.context["activity"]
    assert activity.year == P.fy_label(year)
    totals = {code: total for code, _, _, total in activity.rows}
    assert totals["adoption_orders"] == 2
    quarter = (adopted.month - 4) % 12 // 3
    orders = next(quarters for code, _, quarters, _ in activity.rows if code == "adoption_orders")
    assert orders[quarter] == 2


def test_the_cohort_comparison_puts_children_either_side_of_the_date(client_for, world, council_c):
    placed = today() - timedelta(days=450)
    client = client_for(world.user(Role.TEAM_MANAGER, "C"))
    before = client.get(URL, {"cohort_date": (placed + timedelta(days=1)).isoformat()})
    cohorts = before.context["cohorts"]
    # Both were placed the day before: the "before" cohort has them, 450 days on average.
    assert (cohorts["before"].children, cohorts["after"].children) == (2, 0)
    assert cohorts["before"].mean_days_to_placed == 450
    # DOMAIN.md A.7's defaults: A3's N (14 months for windows from 2013-16) and 12. 400 days
    # (about 13 months) is less than 14 months in care, 500 days (about 16) is not: 1 of 2, 50%;
    # both were placed less than 12 months after the order.
    assert (cohorts["n_months"], cohorts["m_months"]) == (14, 12)
    assert cohorts["before"].placed_within_n_pct == 50.0
    # The seed's table's 21 months, chosen: both are less than 21 months in care.
    chosen = client.get(
        URL, {"cohort_date": (placed + timedelta(days=1)).isoformat(), "in_care_months": 21}
    ).context["cohorts"]
    assert (chosen["n_months"], chosen["before"].placed_within_n_pct) == (21, 100.0)
    # ADM decisions 100 days after entering care for both.
    assert cohorts["before"].mean_days_to_adm == 100
    after = client.get(URL, {"cohort_date": placed.isoformat()}).context["cohorts"]
    assert (after["before"].children, after["after"].children) == (0, 2)


def test_a_bad_cohort_date_says_what_is_wrong(client_for, world, council_c):
    response = client_for(world.user(Role.TEAM_MANAGER, "C")).get(URL, {"cohort_date": "31/02/x"})
    assert response.status_code == 200
    assert "The cohort date must be a date" in response.content.decode()


def test_the_dashboard_runs_a_bounded_number_of_queries(
    client_for, world, council_c, django_assert_max_num_queries
):
    # 16: the forecast projection (one) and the same-window comparisons with the region and
    # England and the approvals series (issue 20) each read stored rows once, whatever the size.
    client = client_for(world.user(Role.MANAGER, "region"))
    with django_assert_max_num_queries(16):
        client.get(URL)
    with django_assert_max_num_queries(16):
        client.get(URL, {"council": council_c.la_code, "year": "2020", "cohort_date": "2024-04-01"})


def test_before_any_recompute_the_page_says_so(client_for, world):
    ScorecardResult.objects.all().delete()
    response = client_for(world.user(Role.TEAM_MANAGER, "C")).get(URL)
    assert response.status_code == 200
    assert "No figures have been computed" in response.content.decode()


def test_the_running_window_is_marked_to_date(client_for, world, council_c):
    response = client_for(world.user(Role.TEAM_MANAGER, "C")).get(URL)
    labels = response.context["trend_charts"][0].labels
    assert labels[-1].endswith("to date")
    assert not any(label.endswith("to date") for label in labels[:-1])
    assert "(to date: the window ends" in response.content.decode()


def test_every_table_figure_links_to_its_definition(client_for, world, council_c):
    client = client_for(world.user(Role.TEAM_MANAGER, "C"))
    response = client.get(URL)
    html = response.content.decode()
    year = response.context["activity"].year
    link = (
        f"/scorecard/figure/?code=adoption_orders&amp;period={year}&amp;council={council_c.la_code}"
    )
    assert link in html
    page = client.get(link.replace("&amp;", "&")).content.decode()
    assert "Adoption orders dated in the period." in page
    assert "/scorecard/figure/?code=T_placed&amp;period=" in html
    assert "/scorecard/figure/?code=approvals&amp;period=" in html
    assert "What these count" in html  # children waiting: the definitions beside the table


def test_a_manager_of_two_councils_opens_on_a_council_not_the_region(client_for, world, council_c):
    from raa.services import user_add_or_update

    user = user_add_or_update(
        username="tm-b-and-c",
        role=Role.TEAM_MANAGER,
        councils=[world.councils["B"], world.councils["C"]],
    )[0]
    response = client_for(user).get(URL)
    assert response.context["scope"].council == world.councils["B"]
    assert "compare_rows" not in response.context
    assert b"Whole region" not in response.content


def without_abbr(response) -> str:
    """The page's HTML with the glossary's hover tags taken out (a code explained on hover
    reads as part of its sentence)."""
    return re.sub(r"</?abbr[^>]*>", "", response.content.decode())


def test_the_council_sits_beside_the_region_and_england_for_the_same_window(
    client_for, world, council_c
):
    """Only council C has adopted children, so the region's A1 for the window is C's: 450. England
    has no figure for the window running now, and the card says so (with the latest published
    figure named as such); where England has one for the window, it shows with its source."""
    window = latest_window().label
    client = client_for(world.user(Role.TEAM_MANAGER, "C"))
    html = without_abbr(client.get(URL))
    assert f"Region, {window}" in html and f"England, {window}" in html
    figures = {h.code: h for h in client.get(URL).context["headlines"]}
    assert figures["A1"].region == 450 and figures["A1"].national is None
    assert f"No England figure has been published for {window} (latest published: " in html
    NationalFigure.objects.create(
        measure="A2", period=window, value=180, unit="days", source="DfE scorecard (test)"
    )
    response = client.get(URL)
    a2 = {h.code: h for h in response.context["headlines"]}["A2"]
    assert (a2.national, a2.national_source) == (180, "DfE scorecard (test)")
    assert "England: DfE scorecard (test)." in without_abbr(response)


def test_adopters_approved_per_year_is_a_series_with_the_running_year_to_date(
    client_for, world, council_c
):
    response = client_for(world.user(Role.TEAM_MANAGER, "C")).get(URL)
    series = response.context["adopters"]["approvals_by_year"]
    assert len(series) > 2  # more than this year and last
    assert series[-1]["year"] == P.fy_label(P.fy_of(today())) + " to date"
    assert not any(y["year"].endswith("to date") for y in series[:-1])
    assert 'data-testid="approvals-by-year"' in without_abbr(response)


# Issue 20 (items 5 and 6): comparisons for the same window, the milestone timeline over three
# years, the cohort comparison's thresholds, "to date" on what is still running.


def test_england_shows_for_the_same_window_only_and_the_others_say_none(
    client_for, world, council_c
):
    window = latest_window()
    earlier = P.window(window.first_year - 1)
    NationalFigure.objects.create(
        measure="A1", period=window.label, value=500, unit="days", source="a test publication"
    )
    client = client_for(world.user(Role.TEAM_MANAGER, "C"))
    response = client.get(URL)
    days = response.context["trend_charts"][0]
    header, rows = days.table
    by_window = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    # the figure of the very window, and nothing carried into the window before it
    assert by_window[f"{window.label} to date"]["A1 England"] == "500"
    assert by_window[earlier.label]["A1 England"] == "none published"
    html = without_abbr(response)
    assert f"England A1: 500 days in {window.label} (source: a test publication)." in html
    assert "No England A1 figure has been published for " in html
    assert earlier.label in days.notes[0]
    # No A2 figure for any window shown: no empty England line, a sentence instead.
    assert "A2 England" not in header
    assert "No England A2 figure has been published for any window shown" in html
    # The headline card and the councils side by side say the same for the same window.
    assert 'data-testid="england-A1"' in html
    response = client_for(world.user(Role.MANAGER, "region")).get(URL)
    region = without_abbr(response)
    assert f"England, {window.label}</th>" in region
    assert "No England figure has been published for" in region  # A10, A2, A3
    # ... and the councils' A1 chart carries England's A1 for the same window.
    header, rows = response.context["compare_chart"].table
    assert header[-1] == "A1 England"
    assert rows[-1][0] == f"{window.label} to date" and rows[-1][-1] == "500"
    assert rows[-2][-1] == "none published"


def test_the_quarter_and_year_still_running_are_marked_to_date(client_for, world, council_c):
    response = client_for(world.user(Role.TEAM_MANAGER, "C")).get(URL)
    activity = response.context["activity"]
    assert activity.running
    running = [label for label in activity.quarter_labels if label.endswith(" to date")]
    year, quarter = P.quarter_of(today())
    assert running == [f"Q{quarter} to date"]
    html = response.content.decode()
    assert f"Quarterly activity, {P.fy_label(year)} <span" in html and "(to date)" in html
    assert "Total to date" in html
    # A past year has nothing to date.
    past = client_for(world.user(Role.TEAM_MANAGER, "C")).get(URL, {"year": year - 1})
    assert not past.context["activity"].running
    assert not any("to date" in q for q in past.context["activity"].quarter_labels)


@pytest.fixture
def three_years(world):
    """One child placed on the first day of each of the last three financial years (the
    current one included), each with a permanence decision at the 2nd review."""
    from children.models import EventKind as K
    from tests.scorecard.journeys import child

    council = world.councils["B"]
    this_year = P.fy_of(today())
    # (financial year, days from entering care to the permanence decision, to the ADM decision)
    for first_year, perm, adm in (
        (this_year - 2, 100, 200),
        (this_year - 1, 130, 190),
        (this_year, 90, 190),
    ):
        placed = P.financial_year(first_year).start
        entered = placed - timedelta(days=400)
        child(
            council,
            entered=entered,
            events=[
                (K.PERMANENCE_DECISION, entered + timedelta(days=perm)),
                (K.ADM_DECISION, entered + timedelta(days=adm)),
                (K.PLACED, placed),
            ],
        )
    recompute_all()
    return council


def test_the_timeline_shows_three_years_with_the_permanence_decision_and_an_arrow_each(
    client_for, world, three_years
):
    response = client_for(world.user(Role.TEAM_MANAGER, "B")).get(URL)
    timeline = response.context["timeline"]
    this_year = P.fy_of(today())
    assert [c["label"] for c in timeline["columns"]] == [
        P.fy_label(this_year - 2),
        P.fy_label(this_year - 1),
        f"{P.fy_label(this_year)} to date",
    ]
    rows = {row["code"]: row for row in timeline["rows"]}
    assert rows["T_perm"]["label"] == "Permanence decision (2nd review)"
    assert [row["code"] for row in timeline["rows"]][:2] == ["T_perm", "T_adm"]
    # One child a year: 100, then 130 (30 more: slower), then 90 (40 fewer: faster). The first
    # column has no arrow: the year before it placed nobody.
    perm = [(c["value"], c["arrow"], c["words"]) for c in rows["T_perm"]["cells"]]
    assert perm == [
        (100, "", ""),
        (130, "↑", "30 days more, slower"),
        (90, "↓", "40 days fewer, faster"),
    ]
    # ADM: 200, 190 (10 fewer), 190 (no change).
    adm = [(c["value"], c["words"]) for c in rows["T_adm"]["cells"]]
    assert adm == [(200, ""), (190, "10 days fewer, faster"), (190, "no change")]
    html = response.content.decode()
    assert "30 days more, slower" in html and "40 days fewer, faster" in html  # words, not colour
    assert f"{P.fy_label(this_year)} to date</th>" in html


def test_the_cohort_thresholds_are_the_managers_and_a_child_moves_side(
    client_for, world, council_c
):
    placed = today() - timedelta(days=450)
    pivot = (placed + timedelta(days=1)).isoformat()
    client = client_for(world.user(Role.TEAM_MANAGER, "C"))

    def cohort(**thresholds):
        response = client.get(URL, {"cohort_date": pivot, **thresholds})
        return response, response.context["cohorts"]["before"]

    # D-Y: 500 days in care to placed: 16 whole months (16 months is at most 488 days, 17 at
    # least 515). D-X: 400 days. So under 16 months only D-X counts; under 17, both.
    response, before = cohort(in_care_months=16)
    assert (before.placed_within_n, before.placed_within_n_pct) == (1, 50.0)
    html = response.content.decode()
    assert "Placed in less than 16 months of entering care" in html
    assert "thresholds: less than 16 months in care to placed" in html
    _, before = cohort(in_care_months=17)
    assert (before.placed_within_n, before.placed_within_n_pct) == (2, 100.0)
    # Order to placed: D-X 200 days, D-Y 300 days (9 whole months: 10 months is at least 303
    # days). Under 10 months both count; under 9, only D-X.
    _, before = cohort(order_months=10)
    assert before.placed_within_m_of_order_pct == 100.0
    response, before = cohort(order_months=9)
    assert before.placed_within_m_of_order_pct == 50.0
    assert "Placed less than 9 months after the placement order" in response.content.decode()
    # The children behind the figure follow the chosen threshold: D-Y leaves the numerator.
    figure = "/scorecard/cohort/"
    common = {"side": "before", "cohort_date": pivot, "council": council_c.la_code}

    def in_numerator(**thresholds):
        page = client.get(figure, {**common, **thresholds})
        members = page.context["members"]["counted"]
        return page, sorted(m["record"].child_id for m in members if m["in_numerator"])

    page, ids = in_numerator(measure="placed_n_months", in_care_months=16)
    assert ids == ["D-X"]
    assert "less than 16 months in care to placed" in page.content.decode()
    assert in_numerator(measure="placed_n_months", in_care_months=17)[1] == ["D-X", "D-Y"]
    assert in_numerator(measure="po_m_months", order_months=9)[1] == ["D-X"]
    assert in_numerator(measure="po_m_months", order_months=10)[1] == ["D-X", "D-Y"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("in_care_months", "0", "Less than N months in care to placed: enter a whole number"),
        ("in_care_months", "ten", "Less than N months in care to placed: enter a whole number"),
        ("order_months", "61", "Less than N months from placement order to placed: enter a"),
    ],
)
def test_a_bad_cohort_threshold_names_the_field_and_shows_the_default(
    client_for, world, council_c, field, value, message
):
    response = client_for(world.user(Role.TEAM_MANAGER, "C")).get(URL, {field: value})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    default = "14" if field == "in_care_months" else "12"  # A3's N, or DOMAIN A.7's 12
    assert f"Showing {default} months instead." in html
    assert f'id="{field}" name="{field}" value="{default}"' in html
    assert response.context["cohorts"][
        "n_months" if field == "in_care_months" else "m_months"
    ] == int(default)


def test_a_figure_of_the_running_window_says_to_date_and_whether_england_has_one(
    client_for, world, council_c
):
    client = client_for(world.user(Role.TEAM_MANAGER, "C"))
    window = latest_window()
    page = client.get("/scorecard/figure/", {"code": "A1", "period": window.label})
    html = page.content.decode()
    assert "(to date: still running on" in html
    assert f"No England figure has been published for {window.label};" in html
    # A window with a published figure names it and its source; a finished one is not to date.
    NationalFigure.objects.update_or_create(
        measure="A1", period="2015-18", defaults={"value": 486, "source": "fosterline.info"}
    )
    html = client.get("/scorecard/figure/", {"code": "A1", "period": "2015-18"}).content.decode()
    assert "England, 2015-18: 486" in html and "(source: fosterline.info)" in html
    assert "(to date" not in html
