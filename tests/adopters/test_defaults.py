"""No silent defaults become data (issue 20, item 4): what a household can offer starts as "not
yet discussed", family finding treats that as unknown, and a late Stage 2 has a place for the
reason."""

import re
from datetime import date

import pytest

from adopters import services
from adopters.models import Household
from adopters.selectors import Needs, rank_households
from raa.models import Role
from tests.adopters.helpers import approved_household, waiting_child
from tests.adopters.test_pages import text

OFFER_SELECTS = [
    "sibling_group",
    "sex_preference",
    "health_needs",
    "disability_needs",
    "developmental_uncertainty",
    "contact",
]
NOT_DISCUSSED = dict.fromkeys(
    [
        "children_wanted",
        "youngest_age",
        "oldest_age",
        "sibling_group",
        "health_needs",
        "disability_needs",
        "developmental_uncertainty",
        "contact",
    ]
)


@pytest.fixture
def team(world):
    return world.user(Role.SOCIAL_WORKER, "region")


def selected_option(page: str, name: str) -> str:
    """The text of the option a select starts on (the first one when none is marked)."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    options = re.findall(r"<option([^>]*)>([^<]*)</option>", select)
    chosen = [label for attrs, label in options if "selected" in attrs]
    return chosen[0] if chosen else options[0][1]


def test_the_new_household_form_starts_with_the_offer_not_yet_discussed(client_for, team):
    client = client_for(team)
    page = client.get("/adopters/new/").content.decode()
    for name in OFFER_SELECTS:
        assert selected_option(page, name) == "Not yet discussed", name
    for name in ("children_wanted", "youngest_age", "oldest_age"):
        box = re.search(rf'<input type="number" name="{name}"[^>]*>', page).group(0)
        assert "value=" not in box and 'placeholder="Not yet discussed"' in box, name

    # Saved without touching the offer: nothing is made up.
    response = client.post(
        "/adopters/new/",
        {"first_applicant": "Nadia Enquirer", "enquiry_date": "2025-01-06"},
        follow=True,
    )
    household = Household.objects.get(first_applicant="Nadia Enquirer")
    assert {name: getattr(household, name) for name in NOT_DISCUSSED} == NOT_DISCUSSED
    assert household.sex_preference == ""
    offer = text(response).split("What they can offer")[1].split("Timeline")[0]
    assert " ".join(offer.split()) == (
        "Children How many: not yet discussed Sibling group Not yet discussed "
        "Ages Not yet discussed Boy or girl Not yet discussed Health needs Not yet discussed "
        "Disability Not yet discussed Developmental uncertainty Not yet discussed "
        "Contact Not yet discussed"
    )

    # A choice made on the form is kept, "Either" included.
    client.post(
        f"/adopters/{household.pk}/edit/",
        {
            "first_applicant": "Nadia Enquirer",
            "enquiry_date": "2025-01-06",
            "sex_preference": "A",
            "health_needs": "0",
            "sibling_group": "false",
        },
    )
    household.refresh_from_db()
    assert (household.sex_preference, household.health_needs, household.sibling_group) == (
        "A",
        0,
        False,
    )
    assert household.contact is None


TODAY = date(2025, 1, 15)  # the child (born 01/03/2022) is 2


def test_family_finding_treats_not_yet_discussed_as_unknown_not_as_yes(client_for, world, team):
    approved_household(world, team, first_applicant="Can Meet")
    approved_household(
        world, team, first_applicant="Not Discussed", sex_preference="", **NOT_DISCUSSED
    )
    approved_household(world, team, first_applicant="Cannot Meet", health_needs=0, contact=0)
    child = waiting_child(world, team, "ND001")
    needs = Needs(health_needs=1, contact=1)
    ranked = rank_households(child, needs=needs, today=TODAY)
    by_name = {r.household.first_applicant: r for r in ranked}
    # All approved 08/08/2024: 5 months waiting (+5). Can Meet: age +30, health +10, contact +10.
    # Not Discussed: age, health and contact unknown, 0 each. Cannot Meet: age +30, health -30,
    # contact -30.
    assert [r.household.first_applicant for r in ranked] == [
        "Can Meet",
        "Not Discussed",
        "Cannot Meet",
    ]
    assert [r.score for r in ranked] == [55, 5, -25]
    assert [(x.points, x.text) for x in by_name["Not Discussed"].reasons] == [
        (0, "Age range: not yet discussed, ask them (the child is 2)."),
        (0, "Health needs: not yet discussed, ask them (the child has mild health needs)."),
        (0, "Contact: not yet discussed, ask them (the plan needs letterbox (indirect))."),
        (0, "Boy or girl: not yet discussed, ask them."),
        (5, "Waiting 5 months since approval."),
    ]
    assert by_name["Can Meet"].not_discussed == []

    # The family-finding page says so on the household's row.
    client = client_for(team)
    client.post(
        f"/adopters/family-finding/{child.pk}/needs/",
        {"health_needs": 1, "disability_needs": 0, "developmental_uncertainty": 0, "contact": 1},
    )
    page = client.get(f"/adopters/family-finding/{child.pk}/").content.decode()
    row = page.split(f">{by_name['Not Discussed'].household.reference}</a>")[1].split("</li>")[0]
    assert "Not yet discussed" in text_of(row)
    assert "ask them about age range, health needs, contact, boy or girl." in text_of(row)
    other = page.split(f">{by_name['Can Meet'].household.reference}</a>")[1].split("</li>")[0]
    assert "Not yet discussed" not in other


def text_of(fragment: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))


def test_a_sibling_group_is_unknown_until_the_household_says_yes_or_no(world, team):
    approved_household(world, team, first_applicant="Yes", children_wanted=2, sibling_group=True)
    approved_household(
        world, team, first_applicant="Unknown", children_wanted=None, sibling_group=True
    )
    approved_household(world, team, first_applicant="Room Unknown", sibling_group=None)
    approved_household(world, team, first_applicant="No", children_wanted=2, sibling_group=False)
    child = waiting_child(world, team, "ND002")
    ranked = rank_households(child, needs=Needs(), today=TODAY, group_size=2)
    sibling_reasons = {
        r.household.first_applicant: (r.reasons[1].points, r.reasons[1].text) for r in ranked
    }
    assert sibling_reasons == {
        "Yes": (25, "Can take a sibling group of 2."),
        "Unknown": (
            0,
            "How many children: not yet discussed, ask them (a sibling group of 2).",
        ),
        # One child only is a known "no", whatever is said of sibling groups.
        "Room Unknown": (
            -60,
            "Cannot take a sibling group of 2 (up to 1 child, sibling groups not yet discussed).",
        ),
        "No": (-60, "Cannot take a sibling group of 2 (up to 2 children, no sibling groups)."),
    }


def test_a_household_whose_size_is_not_discussed_is_not_refused_a_sibling_group(world, team):
    household = approved_household(world, team, children_wanted=None, sibling_group=None)
    child = waiting_child(world, team, "ND003", sibling_group="SG-ND")
    waiting_child(world, team, "ND004", sibling_group="SG-ND")
    child.sibling_group.to_be_placed_together = True
    child.sibling_group.save()
    events = services.family_finding_record(
        household=household, child=child, kind="linked", date=date(2024, 9, 2), acting_user=team
    )
    assert len(events) == 2


# -- why Stage 2 started late -----------------------------------------------------------------


def late_stage2(world, team) -> Household:
    """Stage 1 ended 10/01/2025; Stage 2 started 01/09/2025, more than 6 months later."""
    return services.household_create(
        region=world.region,
        acting_user=team,
        first_applicant="Lena Late",
        enquiry_date=date(2024, 10, 1),
        registration_date=date(2024, 11, 1),
        stage1_end_date=date(2025, 1, 10),
        stage2_start_date=date(2025, 9, 1),
    )


def test_the_late_stage_2_warning_has_a_place_to_record_why(client_for, world, team):
    household = late_stage2(world, team)
    client = client_for(team)
    page = client.get(f"/adopters/{household.pk}/").content.decode()
    assert "record why" in text_of(page)
    assert f'href="/adopters/{household.pk}/steps/stage2_late/"' in page
    # The full form asks why, next to the Stage 2 date.
    form = client.get(f"/adopters/{household.pk}/edit/").content.decode()
    assert form.index('name="stage2_start_date"') < form.index('name="stage2_late_reason"')

    response = client.post(
        f"/adopters/{household.pk}/steps/stage2_late/",
        {"stage2_late_reason": "The applicants paused to move house."},
        follow=True,
    )
    page = text(response)
    assert "Why Stage 2 started late: recorded." in page
    # The reason replaces the nagging warning.
    assert "record why" not in page and "Please check" not in page
    assert (
        "Stage 2 started on 01/09/2025; Stage 1 ended on 10/01/2025. "
        "Why: The applicants paused to move house."
    ) in page
    # Kept with history like the other household fields.
    latest = Household.history.filter(id=household.pk).order_by("-history_id").first()
    assert latest.stage2_late_reason == "The applicants paused to move house."
    assert latest.history_user == team


def test_the_reason_is_asked_only_when_stage_2_is_or_would_be_late(client_for, world, team):
    client = client_for(team)
    on_time = approved_household(world, team)
    assert client.get(f"/adopters/{on_time.pk}/steps/stage2_late/").status_code == 404
    assert (
        'name="stage2_late_reason"'
        not in client.get(f"/adopters/{on_time.pk}/edit/").content.decode()
    )
    # Stage 1 ended long ago and Stage 2 has not started: recording its start asks why.
    waiting = services.household_create(
        region=world.region,
        acting_user=team,
        first_applicant="Wynn Between",
        enquiry_date=date(2024, 10, 1),
        registration_date=date(2024, 11, 1),
        stage1_end_date=date(2025, 1, 10),
    )
    url = f"/adopters/{waiting.pk}/steps/stage2_start/"
    assert 'name="stage2_late_reason"' in client.get(url).content.decode()
    client.post(
        url, {"stage2_start_date": "2025-09-01", "stage2_late_reason": "Bereavement in the family."}
    )
    waiting.refresh_from_db()
    assert waiting.stage2_late_reason == "Bereavement in the family."
    assert services.household_warnings(waiting) == []
