"""Household pages and family finding as people use them: the pipeline, who is over a target,
the household's timeline, a form for every step, the ranked families on a child's record, and
who may see what."""

import html
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from adopters import services
from adopters.models import Household
from children.models import Child, Stage
from raa.models import Role
from tests.adopters.helpers import approved_household, waiting_child

TODAY = timezone.localdate()


@pytest.fixture
def team(world):
    return world.user(Role.SOCIAL_WORKER, "region")


def text(response) -> str:
    """The page's visible text, tags removed and spaces squeezed."""
    # a code explained on hover (<abbr>) reads as part of its sentence: no space around it
    content = re.sub(r"</?abbr[^>]*>", "", response.content.decode())
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", content)))


def in_stage_1(world, team, name: str, registered: date) -> Household:
    return services.household_create(
        region=world.region,
        acting_user=team,
        first_applicant=name,
        enquiry_date=registered - timedelta(days=20),
        registration_date=registered,
    )


def test_the_list_shows_the_pipeline_and_who_is_over_a_target(client_for, world, team):
    in_stage_1(world, team, "Overdue Stageone", TODAY - timedelta(days=100))
    in_stage_1(world, team, "Fresh Stageone", TODAY - timedelta(days=5))
    page = text(client_for(team).get("/adopters/"))
    # The world has a household at enquiry and one linked with a child; these two are in
    # Stage 1.
    assert "Enquiry 1 Information event 0 Stage 1 2 Between stages 0" in page
    assert "Approved, waiting 0 On hold 0 Linked 1 Matched 0" in page
    attention = page.split("Over or near a target")[1].split("Households")[0]
    assert "Overdue Stageone" in attention and "Fresh Stageone" not in attention
    assert "Stage 1 (registration to end of Stage 1)" in attention and "Over" in attention
    # The pipeline's counts open the households at that stage.
    stage1 = text(client_for(team).get("/adopters/", {"stage": "stage1"}))
    assert "2 households" in stage1


def test_the_stage_targets_are_the_tracking_thresholds_which_are_data(client_for, world, team):
    from tracking.models import TrackingThreshold

    in_stage_1(world, team, "Sixty Days", TODAY - timedelta(days=60))
    client = client_for(team)
    attention = text(client.get("/adopters/")).split("Over or near a target")[1]
    assert "Sixty Days" in attention.split("Households")[0]  # due within 30 days of 2 months
    TrackingThreshold.objects.update_or_create(
        code="household_stage1",
        defaults={
            "label": "Stage 1 (registration to end of Stage 1)",
            "amount": 6,
            "unit": "months",
        },
    )
    attention = text(client.get("/adopters/")).split("Over or near a target")[1]
    assert "Sixty Days" not in attention.split("Households")[0]


def test_list_pages_cost_the_same_queries_with_more_households(client_for, world, team):
    client = client_for(team)
    child = waiting_child(world, team, "QC001")
    urls = ["/adopters/", "/adopters/?stage=stage1", "/", f"/adopters/family-finding/{child.pk}/"]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            result.append(len(queries))
        return result

    in_stage_1(world, team, "First Overdue", TODAY - timedelta(days=100))
    before = counts()
    for number in range(15):
        household = in_stage_1(world, team, f"More {number}", TODAY - timedelta(days=90 + number))
        if number % 5 == 0:
            services.household_hold_start(
                household=household, acting_user=team, start_date=TODAY, reason="health"
            )
        approved_household(world, team, first_applicant=f"Waiting {number}")
    assert counts() == before


def test_the_household_page_shows_its_timeline_against_the_targets(client_for, world, team):
    household = approved_household(world, team)
    page = text(client_for(team).get(f"/adopters/{household.pk}/"))
    assert "Approved, waiting" in page
    # Stage 1: 05/02/2024 to 02/04/2024 is 57 days, inside 2 months. Stage 2: 15/04/2024 to
    # 08/08/2024 is 115 days, inside 4 months. Approved and waiting since 08/08/2024: over 3
    # months by now.
    assert "02/04/2024 Stage 1 ends 57 days (2 months) Met" in page
    assert "08/08/2024 Approved by the ADM 115 days (4 months) Met" in page
    assert re.search(
        r"Now Approved and waiting to be matched \d+ days \(3 months; over from "
        r"08/11/2024\) Over",
        page,
    )
    assert "Quinn Example" in page and "L11: different-gender married couple (MF)" in page


def test_every_step_has_a_form_that_refuses_a_date_out_of_order(client_for, world, team):
    household = services.household_create(
        region=world.region,
        acting_user=team,
        first_applicant="Ash Stepper",
        enquiry_date=date(2024, 1, 8),
    )
    client = client_for(team)
    page = text(client.get(f"/adopters/{household.pk}/"))
    assert "Record the information event" in page and "Record the registration of interest" in page
    refused = client.post(
        f"/adopters/{household.pk}/steps/registration/", {"registration_date": "2024-01-01"}
    )
    assert refused.status_code == 200
    assert (
        "The registration of interest (Stage 1 start) (01/01/2024) is before the enquiry "
        "(08/01/2024)." in text(refused)
    )
    steps = [
        ("registration", {"registration_date": "2024-02-05"}, "Stage 1"),
        ("stage1_end", {"stage1_end_date": "2024-04-02"}, "Between stages"),
        ("stage2_start", {"stage2_start_date": "2024-11-01"}, "Stage 2"),
        ("approval", {"panel_date": "2025-02-01", "approval_date": "2025-02-08"}, "Approved"),
    ]
    for step, data, stage in steps:
        response = client.post(f"/adopters/{household.pk}/steps/{step}/", data, follow=True)
        assert stage in text(response), step
    # Stage 2 began 7 months after Stage 1 ended: saved, with a warning on the record.
    assert "more than 6 months after Stage 1 ended (02/04/2024)" in page_of(client, household)
    left = client.post(
        f"/adopters/{household.pk}/steps/leave/",
        {"left_date": "2025-03-01", "left_reason": "withdrew"},
        follow=True,
    )
    assert "Left the process" in text(left) and "Withdrew" in text(left)


def page_of(client, household) -> str:
    return text(client.get(f"/adopters/{household.pk}/"))


def test_on_hold_and_off_again_through_the_page(client_for, world, team):
    household = approved_household(world, team)
    client = client_for(team)
    client.post(f"/adopters/{household.pk}/hold/", {"start_date": "2024-09-01", "reason": "health"})
    assert "On hold" in page_of(client, household)
    refused = client.post(f"/adopters/{household.pk}/hold/", {"end_date": "2024-08-01"})
    assert "The end of the hold (01/08/2024) is before its start (01/09/2024)." in text(refused)
    client.post(f"/adopters/{household.pk}/hold/", {"end_date": "2024-10-01"})
    page = page_of(client, household)
    assert "Approved, waiting" in page and "01/09/2024 to 01/10/2024: Health" in page


def test_adding_a_household_with_applicants_that_do_not_fit_the_legal_status(
    client_for, world, team
):
    data = {
        "first_applicant": "Kit Single",
        "legal_status": "L11",
        "children_wanted": "1",
        "youngest_age": "0",
        "oldest_age": "4",
        "health_needs": "1",
        "disability_needs": "0",
        "developmental_uncertainty": "1",
        "contact": "1",
        "enquiry_date": "2025-01-06",
    }
    response = client_for(team).post("/adopters/new/", data)
    assert "L11 is a couple's legal status, but there is one applicant." in text(response)
    assert not Household.objects.filter(first_applicant="Kit Single").exists()


def test_a_council_worker_gets_404_for_a_household_not_linked_with_their_children(
    client_for, world
):
    worker_a = world.user(Role.SOCIAL_WORKER, "A")
    client = client_for(worker_a)
    assert client.get(f"/adopters/{world.household_free.pk}/").status_code == 404
    assert client.get(f"/adopters/{world.household_a.pk}/").status_code == 200
    # Their list holds only the household linked with their child.
    listed = text(client.get("/adopters/"))
    assert "Hollis Linked" in listed and "Ivo Unlinked" not in listed
    # Another council's worker sees neither.
    worker_b = world.user(Role.SOCIAL_WORKER, "B")
    assert client_for(worker_b).get(f"/adopters/{world.household_a.pk}/").status_code == 404


def test_family_finding_from_the_childs_record_to_the_placement(client_for, world, team):
    household = approved_household(world, team, first_applicant="Best Fit")
    approved_household(world, team, first_applicant="Babies Only", oldest_age=0)
    child = waiting_child(world, team, "PG001")
    client = client_for(team)
    record = text(client.get(f"/children/{child.pk}/"))
    assert "Find a family" in record
    ranked = text(client.get(f"/adopters/family-finding/{child.pk}/"))
    assert ranked.index("Best Fit") < ranked.index("Babies Only")
    assert "Why it ranks here" in ranked
    assert "Age: the child is" in ranked and "outside the children aged 0 they gave" in ranked
    link = f"/adopters/family-finding/{child.pk}/linked/"
    assert (
        f'value="{household.pk}" selected'
        in client.get(link, {"household": household.pk}).content.decode()
    )
    client.post(link, {"household": household.pk, "date": "2024-09-02"})
    assert "Record the match with the linked family" in text(client.get(f"/children/{child.pk}/"))
    refused = client.post(
        f"/adopters/family-finding/{child.pk}/matched/",
        {"household": household.pk, "date": "2024-10-10", "panel_date": "2024-10-20"},
    )
    assert "matching panel" in text(refused).lower()
    client.post(
        f"/adopters/family-finding/{child.pk}/matched/",
        {"household": household.pk, "date": "2024-10-10", "panel_date": "2024-10-03"},
    )
    response = client.post(
        f"/adopters/family-finding/{child.pk}/placed/",
        {"household": household.pk, "date": "2024-11-04"},
        follow=True,
    )
    page = text(response)
    assert "Placed for adoption recorded." in page
    assert Child.objects.get(pk=child.pk).stage == Stage.PLACED
    for row in (
        "02/09/2024 Linked with a household",
        "10/10/2024 Matched (ADM match decision)",
        "04/11/2024 Placed for adoption",
    ):
        assert row in page
    assert f"{household.reference} Panel 03/10/2024" in page
    # The household's page lists the child and its stage follows the child's journey.
    household_page = page_of(client, household)
    assert "Child placed" in household_page
    # Approved 08/08/2024, matched 10/10/2024: 63 days, inside the 3 months.
    assert "10/10/2024 Matched with a child 63 days (3 months) Met" in household_page


def test_council_staff_do_not_find_families(client_for, world):
    worker_a = world.user(Role.SOCIAL_WORKER, "A")
    client = client_for(worker_a)
    child = world.child_a
    assert "Find a family" not in text(client.get(f"/children/{child.pk}/"))
    assert client.get(f"/adopters/family-finding/{child.pk}/").status_code == 403
    worker_b = world.user(Role.SOCIAL_WORKER, "B")
    assert client_for(worker_b).get(f"/adopters/family-finding/{child.pk}/").status_code == 404


def test_the_family_finder_saves_the_childs_needs_and_the_ranking_follows(client_for, world, team):
    from adopters.models import ChildNeeds

    approved_household(
        world,
        team,
        first_applicant="Older Approval No Disability",
        panel_date=date(2024, 8, 1),
        approval_date=date(2024, 8, 2),
    )
    approved_household(world, team, first_applicant="Can Meet Disability", disability_needs=3)
    child = waiting_child(world, team, "PG002")
    client = client_for(team)
    url = f"/adopters/family-finding/{child.pk}/"
    page = text(client.get(url))
    # No needs given: equal fits, the longer wait first.
    assert page.index("Older Approval No Disability") < page.index("Can Meet Disability")
    needs = {"health_needs": 0, "disability_needs": 3, "developmental_uncertainty": 0, "contact": 1}
    response = client.post(f"{url}needs/", needs, follow=True)
    page = text(response)
    assert "The child's needs were saved." in page
    # Now the household that can meet a significant disability comes first, and says so.
    assert page.index("Can Meet Disability") < page.index("Older Approval No Disability")
    assert "+10: Can meet significant disability." in page
    assert "-30: The child has significant disability; they can meet none." in page
    saved = ChildNeeds.objects.get(child=child)
    assert (saved.disability_needs, saved.history.first().history_user) == (3, team)
    # A region manager reads the ranking but does not change the needs.
    manager = world.user(Role.MANAGER, "region")
    assert client_for(manager).post(f"{url}needs/", needs).status_code == 403


def test_a_team_manager_reads_each_step_and_hold_in_the_history(client_for, world, team):
    household = approved_household(world, team)
    services.household_hold_start(
        household=household, acting_user=team, start_date=date(2024, 9, 1), reason="health"
    )
    services.household_update(
        household=household, acting_user=team, left_date=date(2024, 10, 1), left_reason="withdrew"
    )
    manager = world.user(Role.TEAM_MANAGER, "region")
    page = text(client_for(manager).get(f"/adopters/{household.pk}/history/"))
    assert "Created hold period" in page and "On hold from: 01/09/2024" in page
    assert "Left the process: 01/10/2024" in page and "Left reason: Withdrew" in page
    assert "Social Worker Scoperegion" in page  # who did it
    # A social worker does not read the history.
    assert client_for(team).get(f"/adopters/{household.pk}/history/").status_code == 403
