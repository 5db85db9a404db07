"""Adding and changing a household: stage dates in order, history and audit."""

from adopters.models import Household
from raa.models import AuditAction, AuditEvent, Role


def form(**overrides) -> dict:
    data = {
        "first_applicant": "Quinn Example",
        "second_applicant": "",
        "children_wanted": "1",
        "youngest_age": "0",
        "oldest_age": "4",
        "health_needs": "1",
        "disability_needs": "0",
        "developmental_uncertainty": "1",
        "contact": "1",
        "enquiry_date": "2025-01-06",
        "registration_date": "2025-02-03",
    }
    data.update(overrides)
    return data


def test_region_adoption_team_adds_a_household_which_is_logged(client_for, world):
    worker = world.user(Role.SOCIAL_WORKER, "region")
    response = client_for(worker).post("/adopters/new/", form())
    assert response.status_code == 302
    household = Household.objects.get(first_applicant="Quinn Example")
    assert household.stage == "Stage 1"
    assert household.history.first().history_user == worker
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATED, object_type="household", object_id=str(household.pk)
    ).exists()


def test_stage_dates_out_of_order_are_refused_with_a_message_that_names_them(client_for, world):
    worker = world.user(Role.SOCIAL_WORKER, "region")
    response = client_for(worker).post(
        "/adopters/new/", form(registration_date="2025-01-01", stage1_end_date="2024-12-01")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The end of Stage 1 (01/12/2024) is before the registration of interest" in page
    assert "(01/01/2025) is before the enquiry (06/01/2025)" in page
    assert not Household.objects.filter(first_applicant="Quinn Example").exists()


def test_leaving_needs_a_reason(client_for, world):
    worker = world.user(Role.SOCIAL_WORKER, "region")
    response = client_for(worker).post("/adopters/new/", form(left_date="2025-03-01"))
    assert "Say why the household left the process." in response.content.decode()


def test_a_household_change_marks_the_figures_pending_for_its_councils(client_for, world):
    from raa.freshness import RecomputeMarker

    RecomputeMarker.objects.all().delete()
    worker = world.user(Role.SOCIAL_WORKER, "region")
    client_for(worker).post("/adopters/new/", form())
    # Recruited by none of the partner councils: every council of the region is marked.
    marked = set(RecomputeMarker.objects.values_list("council__la_code", flat=True))
    assert marked >= {"801", "802", "803"}
    RecomputeMarker.objects.all().delete()
    household = Household.objects.get(first_applicant="Quinn Example")
    client_for(worker).post(
        f"/adopters/{household.pk}/edit/",
        form(recruiting_council=world.councils["B"].pk, stage1_end_date="2025-03-20"),
    )
    assert set(RecomputeMarker.objects.values_list("council__la_code", flat=True)) == {"802"}
