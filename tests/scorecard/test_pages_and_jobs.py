"""The stored figures on the pages, in the command's JSON and in the jobs: one number
everywhere, fresh within one recompute of a change."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from children.models import EventKind as K
from children.services import child_record_milestone
from raa.freshness import RecomputeMarker, mark_council_pending
from raa.models import Role
from scorecard import periods as P
from scorecard.models import ScorecardResult
from scorecard.selectors import freshness, result
from scorecard.services import recompute_all, recompute_council
from scorecard.tasks import recompute_council_task, sweep
from tests.scorecard.journeys import child

pytestmark = pytest.mark.django_db

W = P.window(2014)


@pytest.fixture
def adopted(world):
    """Council A of the test world: one child adopted in 2014-17 (A1 264 days, A2 92) and one
    adopted without a placement date (left out: "no placed date")."""
    a = world.councils["A"]
    counted = child(
        a,
        entered=date(2014, 1, 10),
        events=[
            (K.PLACEMENT_ORDER, date(2014, 6, 1)),
            (K.MATCHED, date(2014, 9, 1)),
            (K.PLACED, date(2014, 10, 1)),
            (K.ADOPTION_ORDER, date(2015, 3, 1)),
        ],
    )
    left_out = child(a, entered=date(2015, 1, 1), events=[(K.ADOPTION_ORDER, date(2016, 1, 1))])
    recompute_all()
    return {"counted": counted, "left_out": left_out, "council": a}


def test_the_command_json_says_what_is_stored(adopted, world):
    out = StringIO()
    call_command(
        "scorecard", "--period", "2014-17", "--council", "801", "--format", "json", stdout=out
    )
    data = json.loads(out.getvalue())
    stored = result(region_id=world.region.pk, council_id=adopted["council"].pk, period=W)
    assert data["scope"] == "801"
    assert data["period"] == {"from": "2014-04-01", "to": "2017-03-31"}
    assert data["measures"]["A1"] == {
        "value": 264,
        "numerator": None,
        "denominator": 1,
        "excluded": {"no placed date": 1},
        "threshold": 426,
    }
    assert data["measures"]["A1"]["value"] == stored.measure("A1")["value"]
    assert data["measures"]["A3"]["numerator"] == 1 and data["measures"]["A3"]["value"] == 100.0
    assert data["computed_at"].endswith("Z")
    # a custom range is computed on request with the same code
    out = StringIO()
    call_command(
        "scorecard",
        "--from",
        "2015-03-01",
        "--to",
        "2015-03-01",
        "--council",
        "801",
        "--format",
        "json",
        stdout=out,
    )
    assert json.loads(out.getvalue())["measures"]["A2"]["value"] == 92


def test_command_errors_name_what_is_wrong(adopted):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2014-16"):
        call_command("scorecard", "--period", "2014-16")
    with pytest.raises(CommandError, match="no council has that LA code"):
        call_command("scorecard", "--period", "2014-17", "--council", "999")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("scorecard", "--from", "1/4/2014", "--to", "2015-01-01")


def test_quarterly_command_json(adopted):
    out = StringIO()
    call_command(
        "quarterly", "--year", "2014-15", "--council", "801", "--format", "json", stdout=out
    )
    data = json.loads(out.getvalue())
    assert data["year"] == "2014-15"
    assert set(data["quarters"]) == {"Q1", "Q2", "Q3", "Q4"}
    # Q1 2014-15: the order (1 Jun); Q2: the match (1 Sep); Q3: placed (1 Oct);
    # Q4: the adoption order (1 Mar 2015).
    assert data["quarters"]["Q1"]["placement_orders"] == 1
    assert data["quarters"]["Q2"]["matched"] == 1
    assert data["quarters"]["Q3"]["placed"] == 1
    assert data["quarters"]["Q4"]["adoption_orders"] == 1
    for quarter in data["quarters"].values():
        assert {"adm_decisions", "placement_orders", "matched", "placed", "adoption_orders"} <= set(
            quarter
        )
    assert data["total"]["adoption_orders"] == 1


def test_dashboard_shows_the_stored_figure_and_its_freshness(adopted, world, client_for):
    client = client_for(world.user(Role.TEAM_MANAGER, "A"))
    stored = result(
        region_id=world.region.pk,
        council_id=adopted["council"].pk,
        period=P.window(P.fy_of(date.today()) - 2),
    )
    page = client.get(reverse("scorecard:dashboard"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "updated " in text and "updating…" not in text
    assert f'data-testid="value-A1">{stored.measure("A1")["value"] or "–"}' in text
    with transaction.atomic():
        mark_council_pending(adopted["council"].pk)
    assert "updating…" in client.get(reverse("scorecard:dashboard")).content.decode()


def test_dashboard_query_count_does_not_grow(
    adopted, world, client_for, django_assert_max_num_queries
):
    client = client_for(world.user(Role.MANAGER, "region"))
    # 12, one for the forecast's projection (the region's latest fit), and the same-window
    # comparisons and approvals series of issue 20
    with django_assert_max_num_queries(15):
        assert client.get(reverse("scorecard:dashboard")).status_code == 200


def test_figure_lists_the_children_counted_and_left_out(adopted, world, client_for):
    url = reverse("scorecard:figure") + "?code=A1&period=2014-17&council=801"
    page = client_for(world.user(Role.TEAM_MANAGER, "A")).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "mean calendar days from entering care" in text
    assert adopted["counted"].last_name in text and adopted["left_out"].last_name in text
    assert "no placed date" in text
    assert "264" in text


def test_board_members_see_the_definition_but_no_children(adopted, world, client_for):
    url = reverse("scorecard:figure") + "?code=A1&period=2014-17&council=801"
    page = client_for(world.user(Role.BOARD_MEMBER, "region")).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "mean calendar days from entering care" in text
    assert adopted["counted"].last_name not in text


def test_another_councils_figure_is_404_and_a_bad_period_is_explained(adopted, world, client_for):
    client = client_for(world.user(Role.TEAM_MANAGER, "B"))
    assert client.get(reverse("scorecard:figure") + "?council=801").status_code == 404
    page = client.get(reverse("scorecard:figure") + "?period=2014-16")
    assert page.status_code == 400
    assert "neither a financial year" in page.content.decode()


def test_recompute_now_marks_every_council_pending(world, client_for):
    client = client_for(world.user(Role.ADMINISTRATOR, "region"))
    response = client.post(reverse("scorecard:recompute"))
    assert response.status_code == 302
    assert set(RecomputeMarker.objects.values_list("council_id", flat=True)) == {
        c.pk for c in world.councils.values()
    }


def test_a_saved_milestone_marks_the_council_and_queues_one_job(
    world, django_capture_on_commit_callbacks
):
    a = world.councils["A"]
    worker = world.user(Role.SOCIAL_WORKER, "A")
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        child_record_milestone(
            child=world.child_a,
            kind=K.PERMANENCE_DECISION,
            date=date(2021, 6, 1),
            acting_user=worker,
        )
        mark_council_pending(a.pk)  # a second change to the same council in the transaction
    assert RecomputeMarker.objects.filter(council=a).exists()
    queued = [c for c in callbacks if getattr(c, "queued_key", None) == ("recompute", a.pk)]
    assert len(queued) == 1


def test_the_job_recomputes_clears_the_marker_and_is_idempotent(adopted, world):
    a = adopted["council"]
    recompute_all()
    before = ScorecardResult.objects.get(council=a, kind=P.WINDOW, start=W.start)
    child(
        a,
        entered=date(2014, 1, 1),
        events=[(K.PLACED, date(2014, 5, 1)), (K.ADOPTION_ORDER, date(2014, 8, 1))],
    )
    with transaction.atomic():
        mark_council_pending(a.pk)
    assert freshness(region_id=world.region.pk, council_id=a.pk).updating
    assert recompute_council_task.apply(args=[a.pk]).get() == "done"
    after = result(region_id=world.region.pk, council_id=a.pk, period=W)
    # the new child: 1 May - 1 Jan 2014 = 120 days; with the first (264): 384 / 2 = 192
    assert (after.measure("A1")["value"], after.measure("A1")["denominator"]) == (192, 2)
    assert after.computed_at > before.computed_at
    assert not freshness(region_id=world.region.pk, council_id=a.pk).updating
    # nothing pending: running again does nothing
    assert recompute_council_task.apply(args=[a.pk]).get() == "up to date"


def test_a_change_during_a_recompute_keeps_its_marker(world):
    from scorecard.services import _clear_markers

    a = world.councils["A"]
    with transaction.atomic():
        mark_council_pending(a.pk)
    seen = RecomputeMarker.objects.get(council=a).requested_at
    with transaction.atomic():
        mark_council_pending(a.pk)  # arrives while the figures are being computed
    _clear_markers({a.pk: seen})
    assert RecomputeMarker.objects.filter(council=a).exists()


def test_sweep_finds_pending_councils(world):
    with transaction.atomic():
        mark_council_pending(world.councils["B"].pk)
    # the sweep queues through the broker; here we only count what it found
    assert sweep.apply().get() == 1


def test_region_equals_the_sum_of_its_councils_after_council_recomputes(adopted, world):
    b = world.councils["B"]
    child(
        b,
        entered=date(2015, 1, 1),
        events=[
            (K.PLACEMENT_ORDER, date(2015, 2, 1)),
            (K.MATCHED, date(2015, 3, 1)),
            (K.PLACED, date(2015, 4, 1)),
            (K.ADOPTION_ORDER, date(2015, 9, 1)),
        ],
    )
    recompute_council(b.pk)
    by_delta = result(region_id=world.region.pk, council_id=None, period=W).measures
    recompute_all()
    full = result(region_id=world.region.pk, council_id=None, period=W).measures
    assert by_delta == full


def test_a_council_recompute_rewrites_the_periods_that_moved_and_stamps_every_row(adopted, world):
    b = world.councils["B"]

    def stored():
        rows = ScorecardResult.objects.filter(council=b) | ScorecardResult.objects.filter(
            region=world.region, council=None
        )
        return {(r.council_id, r.kind, r.label): (r.measures, r.computed_at) for r in rows}

    before = stored()
    # an adoption order on 10 May 2016 (no placement: A1 leaves it out, "no placed date"):
    # Q1 2016-17, the year 2016-17 and the windows 2014-17, 2015-18 and 2016-19 move, for B
    # and for the region; nothing else
    child(b, entered=date(2016, 1, 4), events=[(K.ADOPTION_ORDER, date(2016, 5, 10))])
    recompute_council(b.pk)
    after = stored()
    moved = {key for key in after if after[key][0] != before[key][0]}
    for scope in (b.pk, None):
        labels = {label for council_id, _, label in moved if council_id == scope}
        assert labels == {"2016-17 Q1", "2016-17", "2014-17", "2015-18", "2016-19"}
    assert after[(b.pk, P.YEAR, "2016-17")][0]["adoption_orders"] == {"value": 1}
    assert all(after[key][1] > before[key][1] for key in after)  # every row: "updated now"
    # and the figures are exactly what a full recompute stores
    recompute_all()
    assert {key: value[0] for key, value in after.items()} == {
        key: value[0] for key, value in stored().items()
    }


def test_an_administrator_changes_a_threshold_with_history(world, client_for):
    from scorecard.models import ScorecardThreshold

    row, _ = ScorecardThreshold.objects.get_or_create(
        first_year=2013, defaults={"a1_days": 426, "a2_days": 121, "a3_months": 14}
    )
    client = client_for(world.user(Role.ADMINISTRATOR, "region"))
    url = reverse("admin:scorecard_scorecardthreshold_change", args=[row.pk])
    response = client.post(
        url, {"first_year": 2013, "a1_days": 420, "a2_days": 121, "a3_months": 14}
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.a1_days == 420
    change = row.history.first()
    assert change.history_user == world.user(Role.ADMINISTRATOR, "region")
    assert change.a1_days == 420


def test_opening_the_children_behind_a_figure_is_logged(adopted, world, client_for):
    from raa.models import AuditAction, AuditEvent

    manager = world.user(Role.TEAM_MANAGER, "A")
    url = reverse("scorecard:figure") + "?code=A1&period=2014-17&council=801"
    assert client_for(manager).get(url).status_code == 200
    event = AuditEvent.objects.filter(user=manager).order_by("-id").first()
    assert (event.action, event.object_type, event.object_id) == (
        AuditAction.VIEWED,
        "figure_children",
        "A1",
    )
    assert event.council == adopted["council"]
    assert event.detail == "2014-17: members listed"
    # ids and counts only, never a child's name
    assert adopted["counted"].last_name not in event.detail


def test_a_case_role_in_another_council_shows_no_children_behind_a_figure(
    adopted, world, client_for
):
    """A region board member who is also a social worker in council B opens council A's figure:
    the definition and numbers, but neither A's children nor an empty list passed off as them."""
    from raa.models import AuditAction, AuditEvent
    from raa.services import user_add_or_update

    person, _ = user_add_or_update(
        username="figure-board-region-worker-b", role=Role.BOARD_MEMBER, region=world.region
    )
    user_add_or_update(
        username=person.username, role=Role.SOCIAL_WORKER, councils=[world.councils["B"]]
    )
    url = reverse("scorecard:figure") + "?code=A1&period=2014-17&council=801"
    page = client_for(person).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "mean calendar days from entering care" in text
    assert "Children counted" not in text and "Children left out" not in text
    assert not AuditEvent.objects.filter(user=person, action=AuditAction.VIEWED).exists()
