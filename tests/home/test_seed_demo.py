"""seed_demo: the demo region, its logins, realistic journeys, determinism, production refusal."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count

from adopters.models import Household
from children.models import Child, EventKind, JourneyEvent
from home import demo_data
from raa import access
from raa.models import Council, Region, Role, User

TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module, inside a transaction that is rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = StringIO()
        call_command("seed_demo", "--seed", "7", "--today", TODAY.isoformat(), stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    return seeded


def test_demo_region_has_five_councils_about_1500_children_and_households(demo):
    assert demo.startswith("Seeded region: 5 councils")
    region = Region.objects.get(name=demo_data.DEMO_REGION_NAME)
    assert region.councils.count() == 5
    children = Child.objects.filter(council__region=region)
    assert 1400 <= children.count() <= 1600
    households = Household.objects.filter(region=region)
    assert 250 <= households.count() <= 700
    # Every stage of the adopter pipeline is represented.
    assert {h.stage for h in households.with_progress()} >= {
        "Enquiry",
        "Stage 1",
        "Stage 2",
        "Approved, waiting",
        "Matched",
        "Child placed",
        "Adopted",
        "Left the process",
    }
    from adopters.models import StageCode

    assert {h.stage_code for h in households.with_progress()} == set(StageCode.values)


def test_demo_journeys_look_real(demo):
    events = JourneyEvent.objects.filter(child__council__region__name=demo_data.DEMO_REGION_NAME)
    by_kind = dict(events.values_list("kind").annotate(n=Count("id")))
    adopted = by_kind[EventKind.ADOPTION_ORDER]
    assert adopted > 800
    assert by_kind[EventKind.PLAN_CEASED] > 50  # changes of plan
    assert 0 < by_kind[EventKind.DISRUPTION] < 0.06 * by_kind[EventKind.PLACED]
    assert by_kind[EventKind.FFA_PLACEMENT] > 50
    assert events.filter(kind=EventKind.PLACED, foster_carer_adoption=True).count() > 100
    assert events.filter(date__gt=TODAY).count() == 0  # nothing in the future
    # Adoption orders in each of the ten financial years 2016-17 .. 2025-26.
    for year in range(2016, 2026):
        assert (
            events.filter(
                kind=EventKind.ADOPTION_ORDER,
                date__gte=date(year, 4, 1),
                date__lte=date(year + 1, 3, 31),
            ).count()
            >= 20
        ), year
    # Children still waiting: ADM decision, not placed, plan not reversed, not adopted.
    waiting = Child.objects.filter(events__kind=EventKind.ADM_DECISION).exclude(
        events__kind__in=[EventKind.PLACED, EventKind.PLAN_CEASED, EventKind.ADOPTION_ORDER]
    )
    assert waiting.count() > 30
    assert Child.objects.filter(sibling_group__isnull=False).count() > 100
    assert Child.objects.exclude(ethnicity="WBRI").count() > 200
    # Each event's order is right for each child: entered care <= ADM <= match <= placed <= order.
    for child in Child.objects.filter(events__kind=EventKind.ADOPTION_ORDER)[:200]:
        dates = {e.kind: e.date for e in child.events.all()}
        entered = child.periods_of_care.get().entered_care
        assert entered <= dates["permanence_decision"] <= dates["adm_decision"]
        assert dates["adm_decision"] <= dates["matched"] <= dates["placed"]
        assert dates["placed"] < dates["adoption_order"]


def test_demo_logins_have_the_roles_and_scopes_of_the_interface(demo):
    councils = list(
        Council.objects.filter(region__name=demo_data.DEMO_REGION_NAME).order_by("la_code")
    )
    expected = {
        "worker": (Role.SOCIAL_WORKER, councils[0]),
        "worker2": (Role.SOCIAL_WORKER, councils[1]),
        "adoption": (Role.SOCIAL_WORKER, None),
        "manager": (Role.TEAM_MANAGER, councils[0]),
        "regional": (Role.MANAGER, None),
        "board": (Role.BOARD_MEMBER, None),
        "data": (Role.DATA_OFFICER, None),
        "admin": (Role.ADMINISTRATOR, None),
    }
    for username, (role, council) in expected.items():
        user = User.objects.get(username=username)
        assert user.check_password("adoption-demo")
        assert [(m.role, m.council) for m in access.memberships(user)] == [(role, council)]
    worker = User.objects.get(username="worker")
    assert set(Child.objects.visible_to(worker).values_list("council", flat=True)) == {
        councils[0].pk
    }
    assert Child.objects.filter(allocated_social_worker=worker).exists()


def test_running_it_again_adds_nothing(demo):
    children = Child.objects.count()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert Child.objects.count() == children


def test_same_seed_same_journeys_other_seed_other_journeys(world):
    council = world.councils["C"]
    worker = world.user(Role.SOCIAL_WORKER, "C")

    def fingerprint(seed):
        rows = demo_data.Generator(seed=seed, today=TODAY, region=world.region, history=False)
        rows = rows.journeys(council, [worker], 60)
        return [(c.first_name, c.last_name, c.date_of_birth) for c in rows.children], [
            (i, e.kind, e.date) for i, e, _ in rows.events
        ]

    assert fingerprint(3) == fingerprint(3)
    assert fingerprint(3) != fingerprint(4)


def test_seed_demo_refuses_production_without_force(settings, world):
    settings.PRODUCTION = True
    before = (Child.objects.count(), User.objects.count())
    with pytest.raises(CommandError, match="refuses to run in production"):
        call_command("seed_demo", "--seed", "99")
    assert (Child.objects.count(), User.objects.count()) == before


def test_demo_journeys_keep_the_date_rules_and_show_some_data_quality_warnings(demo):
    from children.models import DataQualityFlag, Stage

    region = Region.objects.get(name=demo_data.DEMO_REGION_NAME)
    flags = DataQualityFlag.objects.filter(child__council__region=region)
    assert not flags.filter(hard=True).exists()
    assert flags.filter(hard=False).count() > 10  # the data-quality list has something to show
    # Each child's stage is derived, and every stage of the journey is represented.
    stages = set(
        Child.objects.filter(council__region=region).values_list("stage", flat=True).distinct()
    )
    assert stages >= {
        Stage.NO_DECISION,
        Stage.WAITING,
        Stage.WAITING_PO,
        Stage.LINKED,
        Stage.MATCHED,
        Stage.PLACED,
        Stage.ADOPTED,
        Stage.PLAN_CHANGED,
    }


def test_demo_households_keep_their_rules_and_agree_with_the_childrens_journeys(demo):
    from adopters import rules
    from adopters.models import HoldPeriod, StageCode
    from adopters.services import household_values

    region = Region.objects.get(name=demo_data.DEMO_REGION_NAME)
    households = list(Household.objects.filter(region=region).with_progress())
    for household in households:
        hard = [
            p.message
            for p in rules.check_household(household_values(household), today=TODAY)
            if p.hard
        ]
        assert not hard, (household.reference, hard)
    # Applicants are structured records, with an AD1 legal status that fits them.
    couples = [h for h in households if h.second_applicant]
    assert couples and all(h.legal_status != "L0" and h.sex_code for h in couples)
    assert any(h.sex_code in ("MM", "FF") for h in couples)
    assert HoldPeriod.objects.filter(household__region=region, end_date__isnull=True).exists()
    # What a household can offer is discussed by approval: only households still at enquiry or
    # the information event have it "not yet discussed" (empty), and nothing else is made up.
    undiscussed = [h for h in households if h.health_needs is None]
    assert undiscussed
    assert all(h.registration_date is None and h.approval_date is None for h in undiscussed)
    approved = [h for h in households if h.approval_date]
    assert all(h.sex_preference and h.contact is not None for h in approved)
    assert any(h.information_event_date for h in households)
    # Every link, match and placement names a household that was in the process then, and
    # approved by the match.
    steps = JourneyEvent.objects.filter(
        child__council__region=region,
        household__isnull=False,
        kind__in=["linked", "matched", "placed"],
    ).select_related("household")
    assert steps.count() > 300
    for step in steps:
        hard = [
            p
            for p in rules.check_child_step(household=step.household, kind=step.kind, on=step.date)
            if p.hard
        ]
        assert not hard, (step.household.reference, step.kind, hard)
    # A household's stage agrees with the journey of the child it was last linked with.
    stage_of = {h.pk: h.stage_code for h in households}
    expected = {
        "linked": StageCode.LINKED,
        "matched": StageCode.MATCHED,
        "placed": StageCode.PLACED,
    }
    checked = 0
    for child in Child.objects.filter(council__region=region, stage__in=list(expected)):
        latest = child.events.filter(household__isnull=False).order_by("-date", "-id").first()
        if latest:
            assert stage_of[latest.household_id] == expected[child.stage], child.child_id
            checked += 1
    assert checked > 20
    # Households recruited outside the region are inter-agency placements.
    outside = steps.filter(kind="placed", household__recruited_outside_region=True)
    assert outside.exists()
    assert not outside.filter(placement_provider="PR1").exists()


@pytest.mark.parametrize(
    "today, quarter",
    [
        (date(2026, 11, 22), (2026, 2)),  # Q3 (Oct-Dec) runs: Q2 2026-27 is the last complete
        (date(2026, 4, 15), (2025, 4)),  # Q1 runs: Q4 (Jan-Mar) of 2025-26
        (date(2027, 1, 1), (2026, 3)),  # Q4 runs: Q3 (Oct-Dec) of 2026-27
    ],
)
def test_the_demo_report_is_for_the_last_complete_quarter(today, quarter):
    assert demo_data.last_complete_quarter(today) == quarter


def test_board_members_have_a_demo_report_to_read(demo):
    from scorecard.reports.models import BoardReport, VersionStatus
    from scorecard.reports.services import render_and_publish

    report = BoardReport.objects.get(region__name=demo_data.DEMO_REGION_NAME, council=None)
    assert (report.year, report.quarter) == (2026, 2)
    version = report.versions.get()
    assert "recruitment campaign" in version.next_steps
    # The seed's transaction is still open here, so run the render job its commit would send.
    head_of_service = User.objects.get(username="regional")
    assert render_and_publish(version_id=version.pk, acting_user_id=head_of_service.pk) == (
        "published"
    )
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    # The seed fits the demo region's forecasts, so the published report carries their
    # projection (A1, A2, A3 with a range), frozen with its figures.
    projection = next(s for s in version.figures["sections"] if s["key"] == "projection")
    codes = [row[0][:2] for row in projection["tables"][0]["rows"]]
    assert codes == ["A1", "A2", "A3"]
    assert all(
        isinstance(v, int | float) for row in projection["tables"][0]["rows"] for v in row[1:4]
    )


def test_demo_first_names_agree_with_the_recorded_sex():
    names, split = demo_data.FIRST_NAMES, demo_data.GIRLS_NAMES
    girls, boys = set(names[:split]), set(names[split:])
    for first in names:
        assert demo_data.Generator.name_for_sex(first, "F") in girls
        assert demo_data.Generator.name_for_sex(first, "M") in boys
        assert demo_data.Generator.name_for_sex(first, "U") == first
