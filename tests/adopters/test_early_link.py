"""Early links (issue 20 item 11): for a child who is harder to place (DOMAIN.md A.5), family
finding may offer households still in assessment, each with its stage and when approval is
expected; such a link is kept as an early link, shown on both records and the tracking list,
and cannot become a match before the household's approval."""

import html
import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from adopters import rules, selectors, services
from adopters.models import Household, StageCode
from children import services as child_services
from children.models import Child, EventKind, JourneyEvent
from children.selectors import harder_to_place, harder_to_place_reasons
from raa.models import AuditAction, AuditEvent, Role
from tests.adopters.helpers import in_stage_2, waiting_child

TODAY = timezone.localdate()
LINKED_ON = date(2024, 6, 3)


@pytest.fixture
def team(world):
    return world.user(Role.SOCIAL_WORKER, "region")


def text(response) -> str:
    return text_of(response.content.decode())


def early_link(child, household, team):
    return services.family_finding_record(
        household=household, child=child, kind="linked", date=LINKED_ON, acting_user=team
    )[0]


def approve(household, team) -> None:
    services.household_update(
        household=household,
        acting_user=team,
        panel_date=date(2024, 8, 1),
        approval_date=date(2024, 8, 8),
    )


# -- services -------------------------------------------------------------------------------------


def test_harder_to_place_reasons_agree_with_the_list_filter(world, team):
    plain = waiting_child(world, team, "EL001")  # aged 4, ethnicity not obtained
    disabled = waiting_child(world, team, "EL002", disabled=True)
    older = waiting_child(world, team, "EL003", born=date(2019, 1, 5))
    minority = waiting_child(world, team, "EL004", ethnicity="BCRB")
    sibling = waiting_child(world, team, "EL005", sibling_group="SG-EL")
    sibling.sibling_group.to_be_placed_together = True
    sibling.sibling_group.save()
    sibling = Child.objects.get(pk=sibling.pk)
    reasons = {
        c.child_id: harder_to_place_reasons(c, TODAY)
        for c in (plain, disabled, older, minority, sibling)
    }
    assert reasons == {
        "EL001": [],
        "EL002": ["disabled"],
        "EL003": ["aged 5 or over"],
        "EL004": ["of an ethnic minority (Caribbean)"],
        "EL005": ["in a sibling group to be placed together"],
    }
    listed = set(
        Child.objects.filter(child_id__startswith="EL")
        .filter(harder_to_place(TODAY))
        .values_list("child_id", flat=True)
    )
    assert listed == {code for code, why in reasons.items() if why}


def test_households_in_assessment_are_offered_only_for_a_child_harder_to_place(world, team):
    household = in_stage_2(world, team)
    harder = waiting_child(world, team, "EL010", disabled=True)
    plain = waiting_child(world, team, "EL011")
    assert household not in selectors.family_finding_candidates(harder)
    assert household in selectors.family_finding_candidates(harder, in_assessment=True)
    ranked = selectors.rank_households(
        harder, needs=selectors.Needs.for_child(harder), today=TODAY, in_assessment=True
    )
    row = next(r for r in ranked if r.household == household)
    assert row.expected.text == (
        "approval was expected ~ 15/08/2024 (Stage 2 started 15/04/2024): past the target"
    )
    on_time = rules.expected_approval(household, today=date(2024, 6, 1))
    assert on_time.text == "expected approval ~ 15/08/2024 (Stage 2 started 15/04/2024)"
    assert any(
        r.points == -10 and r.text.startswith("Still in assessment (Stage 2)") for r in row.reasons
    )
    assert selectors.early_link_refusal(harder, today=TODAY) == ""
    assert "only for a child who is harder to place" in selectors.early_link_refusal(
        plain, today=TODAY
    )
    # A household at enquiry, or one that left, is not in assessment.
    enquiry = services.household_create(
        region=world.region, acting_user=team, first_applicant="Eli Enquiring"
    )
    left = in_stage_2(
        world, team, first_applicant="Lee Left", left_date=date(2024, 5, 1), left_reason="withdrew"
    )
    offered = set(selectors.family_finding_candidates(harder, in_assessment=True))
    assert enquiry not in offered and left not in offered


def test_expected_approval_is_worked_out_from_the_stage_dates():
    def household(**dates) -> Household:
        return Household(reference="H1", **dates)

    stage1 = household(registration_date=date(2024, 2, 5))
    assert rules.expected_approval(stage1, today=date(2024, 3, 1)).text == (
        "expected approval ~ 05/08/2024 (Stage 1 started 05/02/2024)"  # 2 + 4 months
    )
    between = household(registration_date=date(2024, 2, 5), stage1_end_date=date(2024, 4, 2))
    assert rules.expected_approval(between, today=date(2024, 5, 1)).text == (
        "expected approval ~ 01/09/2024 (Stage 1 ended 02/04/2024; Stage 2 not started yet)"
    )
    panel = household(
        registration_date=date(2024, 2, 5),
        stage1_end_date=date(2024, 4, 2),
        stage2_start_date=date(2024, 4, 15),
        panel_date=date(2024, 8, 1),
    )
    assert rules.expected_approval(panel, today=TODAY).text == (
        "expected approval soon (panel on 01/08/2024, awaiting the ADM's decision)"
    )
    assert rules.expected_approval(household(approval_date=date(2024, 8, 8)), today=TODAY) is None


def test_an_early_link_is_refused_for_a_child_not_harder_to_place(world, team):
    household = in_stage_2(world, team)
    plain = waiting_child(world, team, "EL020")
    with pytest.raises(ValidationError) as refused:
        early_link(plain, household, team)
    message = " ".join(refused.value.message_dict["household"])
    assert f"Household {household.reference} is in Stage 2 and not approved yet" in message
    assert "harder to place" in message and "Wren is none of these" in message
    assert not JourneyEvent.objects.filter(child=plain, kind=EventKind.LINKED).exists()


def test_an_early_link_needs_a_household_in_assessment_and_not_on_hold(world, team):
    harder = waiting_child(world, team, "EL021", disabled=True)
    enquiry = services.household_create(
        region=world.region,
        acting_user=team,
        first_applicant="Eli Enquiring",
        enquiry_date=date(2024, 1, 8),
    )
    with pytest.raises(ValidationError, match="at the enquiry stage"):
        early_link(harder, enquiry, team)
    paused = in_stage_2(world, team, first_applicant="Pat Paused")
    services.household_hold_start(
        household=paused, acting_user=team, start_date=date(2024, 5, 1), reason="health"
    )
    with pytest.raises(ValidationError, match="is on hold"):
        early_link(harder, paused, team)
    assert not JourneyEvent.objects.filter(child=harder, kind=EventKind.LINKED).exists()


def test_an_early_link_cannot_become_a_match_before_approval_and_can_after(world, team):
    household = in_stage_2(world, team)
    child = waiting_child(world, team, "EL030", disabled=True)
    link = early_link(child, household, team)
    # Kept as an early link, with its history and audit row like any step.
    assert link.early_link is True
    assert link.history.count() == 1
    assert AuditEvent.objects.filter(
        object_type="journeyevent", object_id=str(link.pk), action=AuditAction.CREATED
    ).exists()
    # The household is still in assessment (not "Linked"), linked early since the link.
    found = Household.objects.with_progress().with_early_link().get(pk=household.pk)
    assert (found.stage_code, found.early_linked_since) == (StageCode.STAGE2, LINKED_ON)

    # No match before approval: from family finding or from the child's record.
    expected = (
        f"Household {household.reference} is in Stage 2 and not approved yet: a child can be "
        "matched only with approved adopters. Record the household's approval (panel and ADM "
        "decision) first."
    )
    with pytest.raises(ValidationError) as refused:
        services.family_finding_record(
            household=household,
            child=child,
            kind="matched",
            date=date(2024, 7, 1),
            panel_date=date(2024, 6, 25),
            acting_user=team,
        )
    assert refused.value.message_dict["household"] == [expected]
    with pytest.raises(ValidationError) as refused:
        child_services.child_record_milestone(
            child=child,
            kind=EventKind.MATCHED,
            date=date(2024, 7, 1),
            panel_date=date(2024, 6, 25),
            household=household,
            acting_user=team,
        )
    assert expected in refused.value.message_dict["household"]
    assert not JourneyEvent.objects.filter(child=child, kind=EventKind.MATCHED).exists()

    # Once approved, the match is made; the link keeps that it started early.
    approve(household, team)
    services.family_finding_record(
        household=household,
        child=child,
        kind="matched",
        date=date(2024, 9, 2),
        panel_date=date(2024, 8, 28),
        acting_user=team,
    )
    assert JourneyEvent.objects.get(pk=link.pk).early_link is True
    found = Household.objects.with_progress().with_early_link().get(pk=household.pk)
    assert (found.stage_code, found.early_linked_since) == (StageCode.MATCHED, None)


def test_a_link_with_an_approved_household_is_not_early(world, team):
    household = in_stage_2(world, team)
    approve(household, team)
    child = waiting_child(world, team, "EL040")
    link = services.family_finding_record(
        household=household, child=child, kind="linked", date=date(2024, 9, 2), acting_user=team
    )[0]
    assert link.early_link is False


# -- pages ----------------------------------------------------------------------------------------


def test_family_finding_offers_the_option_only_for_a_child_harder_to_place(client_for, world, team):
    household = in_stage_2(world, team)
    harder = waiting_child(world, team, "EL050", disabled=True)
    plain = waiting_child(world, team, "EL051")
    client = client_for(team)
    url = f"/adopters/family-finding/{harder.pk}/"
    page = text(client.get(url))
    assert "Include households still in assessment (Stage 1 and Stage 2)" in page
    assert "Wren is harder to place (disabled)" in page
    assert household.reference not in page  # not without the option
    page = text(client.get(url, {"assessment": "1"}))
    assert f"{household.reference} Avery Assessing In assessment: Stage 2" in page
    assert "Not yet approved: approval was expected ~ 15/08/2024 (Stage 2 started 15/04/2024)" in (
        page
    )
    assert "Early link with this household" in page
    # Not for a child who is not harder to place: the page says why.
    page = text(client.get(f"/adopters/family-finding/{plain.pk}/", {"assessment": "1"}))
    assert "Include households still in assessment" not in page
    assert "offered only for a child who is harder to place" in page
    assert household.reference not in page


def test_only_the_region_adoption_team_may_make_an_early_link(client_for, world, team):
    household = in_stage_2(world, team)
    child = waiting_child(world, team, "EL055", disabled=True)
    council_worker = client_for(world.user(Role.SOCIAL_WORKER, "A"))
    url = f"/adopters/family-finding/{child.pk}/linked/?assessment=1&household={household.pk}"
    response = council_worker.post(url, {"household": household.pk, "date": "2024-06-03"})
    assert response.status_code == 403
    assert not JourneyEvent.objects.filter(child=child, kind=EventKind.LINKED).exists()


def test_the_early_link_shows_on_both_records_the_tracking_list_and_its_export(
    client_for, world, team
):
    household = in_stage_2(world, team)
    child = waiting_child(world, team, "EL060", disabled=True)
    client = client_for(team)
    url = f"/adopters/family-finding/{child.pk}/linked/?assessment=1&household={household.pk}"
    form = text(client.get(url))
    assert f"{household.reference} – Avery Assessing (Stage 2, not yet approved" in form
    response = client.post(url, {"household": household.pk, "date": "2024-06-03"})
    assert response.status_code == 302
    badge = "Early link: household in Stage 2"
    child_page = text(client.get(f"/children/{child.pk}/"))
    assert f"{household.reference} {badge}" in child_page
    assert (
        "approval was expected ~ 15/08/2024 (Stage 2 started 15/04/2024): past the target"
        in child_page
    )
    # The record offers no match yet: it waits for the household's approval.
    assert f"Early link: the match waits for household {household.reference}'s approval" in (
        child_page
    )
    assert "Record the match with the linked family" not in child_page
    household_page = text(client.get(f"/adopters/{household.pk}/"))
    assert badge in household_page
    assert "Linked with a child on 03/06/2024 while still in assessment" in household_page
    children_list = client.get("/tracking/", {"sort": "name"}).content.decode()
    row = next(r for r in children_list.split("<tr") if "EL060" in r)
    assert badge in text_of(row)
    households_list = client.get("/tracking/", {"list": "households"}).content.decode()
    row = next(r for r in households_list.split("<tr") if household.reference in r)
    assert badge in text_of(row)
    manager = client_for(world.user(Role.TEAM_MANAGER, "region"))
    csv = manager.get("/tracking/export.csv").content.decode()
    line = next(li for li in csv.splitlines() if "EL060" in li)
    assert "Linked with a family (early link: household in Stage 2)" in line
    assert "The household's approval (an early link), then the matching panel" in line

    # After approval the link is no longer early in display, but keeps that it began early.
    approve(household, team)
    child_page = text(client.get(f"/children/{child.pk}/"))
    assert badge not in child_page
    assert "Started as an early link (household approved 08/08/2024)" in child_page
    assert "Record the match with the linked family" in child_page
    children_list = client.get("/tracking/", {"sort": "name"}).content.decode()
    row = next(r for r in children_list.split("<tr") if "EL060" in r)
    assert "Early link" not in row


def test_a_match_from_the_childs_record_is_refused_naming_the_stage(client_for, world, team):
    household = in_stage_2(world, team)
    child = waiting_child(world, team, "EL070", disabled=True)
    early_link(child, household, team)
    child.refresh_from_db()
    client = client_for(team)
    response = client.post(
        f"/children/{child.pk}/steps/new/matched/",
        {
            "date": "2024-07-01",
            "household": household.pk,
            "panel_date": "2024-06-25",
            "version": child.version,
        },
    )
    page = text(response)
    assert f"Household {household.reference} is in Stage 2 and not approved yet" in page
    assert "Record the household's approval (panel and ADM decision) first." in page
    assert not JourneyEvent.objects.filter(child=child, kind=EventKind.MATCHED).exists()


def text_of(fragment: str) -> str:
    # a code explained on hover (<abbr>) reads as part of its sentence: no space around it
    fragment = re.sub(r"</?abbr[^>]*>", "", fragment)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)))


def test_correcting_an_early_link_to_an_approved_household_clears_the_flag(world, team):
    household = in_stage_2(world, team)
    approved = in_stage_2(world, team, first_applicant="Ari Approved")
    approve(approved, team)
    approved.refresh_from_db()
    child = waiting_child(world, team, "EL080", disabled=True)
    link = early_link(child, household, team)
    child_services.journey_event_correct(
        event=link, acting_user=team, household=approved, date=date(2024, 9, 2)
    )
    link.refresh_from_db()
    assert (link.household, link.early_link) == (approved, False)
    assert link.history.count() == 2  # the correction is kept in the step's history
