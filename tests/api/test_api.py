"""The case-system API as a council's case system uses it: tokens, councils it may use, a
child's record by its CHILD id, periods and steps by the case system's own references, the date
rules' refusals as problem+json, corrections, withdrawals, matching of steps typed by hand,
and a match without the agency's household."""

import json
from datetime import date
from io import StringIO

from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import override_settings

from api.models import ApiClient
from api.services import api_client_revoke, hash_token
from children import services
from children.models import Child, EventKind, JourneyEvent, PeriodOfCare
from raa.models import AuditEvent, Role
from scorecard import periods as P
from scorecard.selectors import scorecard_json, scorecard_result
from scorecard.services import recompute_council
from tests.factories import HouseholdFactory

CHILD = "councils/801/children/API1"


def new_child(api, path=CHILD, dob="2019-05-02", entered="2020-01-15"):
    assert api.put(path, {"dob": dob, "sex": "2", "ethnic": "WBRI"}).status_code in (200, 201)
    response = api.put(f"{path}/periods/P1", {"entered_care": entered, "legal_status": "C2"})
    assert response.status_code in (200, 201), response.content


# -- tokens ------------------------------------------------------------------------------------


def test_without_a_token_or_with_an_unknown_one_the_answer_is_401_problem(client, api_a, world):
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer not-a-token"}, {"HTTP_AUTHORIZATION": "x"}):
        response = client.get(f"/api/v1/{CHILD}", **headers)
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert response.json()["status"] == 401


def test_a_revoked_token_stops_working_at_once(api_a, world):
    new_child(api_a)
    client = ApiClient.objects.get(token_hash=hash_token(api_a.token))
    api_client_revoke(client=client, acting_user=world.user(Role.ADMINISTRATOR, "region"))
    response = api_a.get(CHILD)
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_a_signed_in_person_is_not_an_api_client(client_for, world):
    """A person's session never reaches the API (and is not sent to the sign-in page)."""
    client = client_for(world.user(Role.ADMINISTRATOR, "region"))
    assert client.get(f"/api/v1/{CHILD}").status_code == 401


def test_the_token_is_stored_hashed_and_the_service_user_cannot_sign_in(api_a):
    client = ApiClient.objects.get(token_hash=hash_token(api_a.token))
    assert api_a.token not in (client.token_hash, client.token_prefix)
    assert client.token_prefix == api_a.token[:8]
    user = client.service_user
    assert user.username == "api-council-a-lcs"
    assert not user.is_active and not user.has_usable_password()
    api_a.get(CHILD)
    client.refresh_from_db()
    assert client.last_used_at is not None


def test_add_api_client_prints_the_token_once_alone_on_the_last_line(world, client):
    out = StringIO()
    call_command("add_api_client", "Mosaic at C", "--council", "803", stdout=out)
    token = out.getvalue().strip().splitlines()[-1]
    assert " " not in token and len(token) > 30
    made = ApiClient.objects.get(name="Mosaic at C")
    assert made.token_hash == hash_token(token)
    assert [c.la_code for c in made.councils.all()] == ["803"]
    response = client.get("/api/v1/councils/803/children/X1", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 404  # a council it may use, a child it has not sent
    out = StringIO()
    call_command("add_api_client", "Region hub", "--region", stdout=out)
    assert ApiClient.objects.get(name="Region hub").whole_region == world.region


def test_an_administrator_revokes_a_client_in_the_admin_and_cannot_delete_it(
    client_for, world, api_a
):
    made = ApiClient.objects.get(token_hash=hash_token(api_a.token))
    admin = client_for(world.user(Role.ADMINISTRATOR, "region"))
    page = admin.get(f"/admin/api/apiclient/{made.pk}/change/")
    assert page.status_code == 200 and made.token_hash in page.content.decode()
    response = admin.post(
        "/admin/api/apiclient/",
        {"action": "revoke", "_selected_action": [made.pk]},
        follow=True,
    )
    assert "1 client(s) revoked" in response.content.decode()
    made.refresh_from_db()
    assert made.revoked_at is not None
    assert admin.get(f"/admin/api/apiclient/{made.pk}/delete/").status_code == 403
    assert api_a.get(CHILD).status_code == 401


# -- councils ----------------------------------------------------------------------------------


def test_another_council_answers_404_as_for_people(api_a, world):
    for response in (
        api_a.get("councils/802/children/B0001"),
        api_a.put("councils/802/children/B9", {"dob": "2019-05-02"}),
        api_a.get("councils/999/children/B0001"),
        api_a.get("councils/802/scorecard?period=2022-25"),
    ):
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
    assert not Child.objects.filter(child_id="B9").exists()


def test_a_region_client_uses_every_council_of_its_region(make_caller, world):
    api = make_caller(name="Regional hub", region=world.region)
    assert api.get("councils/802/children/B0001").status_code == 200
    assert api.get("councils/801/children/A0001").status_code == 200


# -- children, periods and steps ---------------------------------------------------------------


def test_a_child_periods_and_steps_arrive_through_the_same_services_as_the_forms(api_a, world):
    response = api_a.put(
        CHILD, {"dob": "2019-05-02", "sex": "1", "ethnic": "MWBC", "upn": "A123456789012"}
    )
    assert response.status_code == 201
    assert response.json()["outcome"] == "created"
    child = Child.objects.get(council=world.councils["A"], child_id="API1")
    assert (child.first_name, child.last_name, child.sex) == ("Child", "API1", "M")
    assert api_a.put(CHILD, {"dob": "2019-05-02", "sex": "1"}).json()["outcome"] == "unchanged"
    assert api_a.put(CHILD, {"dob": "2019-05-03"}).json()["outcome"] == "updated"
    assert api_a.put(f"{CHILD}/periods/P1", {"entered_care": "2020-01-15"}).status_code == 201
    response = api_a.put(f"{CHILD}/events/E1", {"kind": "adm_decision", "date": "2020-06-01"})
    assert response.status_code == 201
    record = api_a.get(CHILD).json()
    assert record["stage"] == "waiting"
    assert record["periods"][0]["ref"] == "P1"
    assert [(e["ref"], e["kind"], e["date"]) for e in record["events"]] == [
        ("E1", "adm_decision", "2020-06-01")
    ]
    # History and audit name the client, through its service user.
    event = JourneyEvent.objects.get(child=child, source_ref="E1")
    assert event.history.get().history_user.first_name == "Council A LCS"
    audit = AuditEvent.objects.filter(object_type="journeyevent", object_id=str(event.pk)).get()
    assert str(audit.user) == "Council A LCS" and audit.council == world.councils["A"]
    assert AuditEvent.objects.filter(
        object_type="child", object_id=str(child.pk), action="viewed", user=audit.user
    ).exists()


def test_a_step_the_date_rules_refuse_answers_422_with_the_rules_message_and_code(api_a, world):
    new_child(api_a)
    response = api_a.put(f"{CHILD}/events/E1", {"kind": "adm_decision", "date": "2019-12-01"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["title"] == "Refused" and problem["status"] == 422
    [error] = problem["errors"]
    child = Child.objects.get(child_id="API1")
    # The same finding the form shows for this step.
    [finding] = services.event_findings(
        child, kind=EventKind.ADM_DECISION, values={"date": date(2019, 12, 1)}
    )
    assert error == {"field": "date", "rule": finding.rule, "message": finding.message}
    assert "before" in error["message"] and "entered care" in error["message"]
    assert not JourneyEvent.objects.filter(child=child).exists()


def test_an_invalid_body_answers_422_naming_each_field(api_a, world):
    new_child(api_a)
    response = api_a.put(
        f"{CHILD}/events/E1", {"kind": "matched", "date": "someday", "ceased_reason": "RD1"}
    )
    assert response.status_code == 422
    errors = {(e["field"], e["rule"]) for e in response.json()["errors"]}
    assert ("date", "invalid") in errors
    response = api_a.put(f"{CHILD}/events/E1", {"kind": "plan_ceased", "date": "2020-06-01"})
    assert {(e["field"], e["rule"]) for e in response.json()["errors"]} == {
        ("ceased_reason", "required")
    }
    response = api_a.put(
        f"{CHILD}/events/E1", {"kind": "adm_decision", "date": "2020-06-01", "ceased_reason": "RD1"}
    )
    assert ("ceased_reason", "not_for_kind") in {
        (e["field"], e["rule"]) for e in response.json()["errors"]
    }
    response = api_a.put("councils/801/children/bad%20id", {"dob": "2019-05-02"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "child"
    response = api_a.client.put(
        f"/api/v1/{CHILD}",
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api_a.token}",
    )
    assert response.status_code == 422


def test_the_same_ref_again_is_a_correction_with_history_and_delete_withdraws(api_a, world):
    new_child(api_a)
    api_a.put(f"{CHILD}/events/E1", {"kind": "adm_decision", "date": "2020-06-01"})
    response = api_a.put(f"{CHILD}/events/E1", {"kind": "adm_decision", "date": "2020-06-03"})
    assert response.status_code == 200 and response.json()["outcome"] == "updated"
    event = JourneyEvent.objects.get(source_ref="E1", child__child_id="API1")
    assert event.date == date(2020, 6, 3)
    assert [h.date for h in event.history.order_by("history_id")] == [
        date(2020, 6, 1),
        date(2020, 6, 3),
    ]
    # A step's kind does not change under its reference.
    response = api_a.put(
        f"{CHILD}/events/E1", {"kind": "permanence_decision", "date": "2020-06-03"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["rule"] == "kind_changed"

    response = api_a.delete(f"{CHILD}/events/E1")
    assert response.status_code == 200 and response.json()["withdrawn"] is True
    event = JourneyEvent.all_objects.get(pk=event.pk)
    assert event.entered_in_error and "Council A LCS" in event.withdrawn_reason
    assert Child.objects.get(child_id="API1").stage == "no_decision"
    assert api_a.delete(f"{CHILD}/events/E1").status_code == 404
    # The reference can be used again for a new step; the withdrawn one stays.
    assert (
        api_a.put(f"{CHILD}/events/E1", {"kind": "adm_decision", "date": "2020-06-05"}).status_code
        == 201
    )
    assert JourneyEvent.all_objects.filter(child__child_id="API1", source_ref="E1").count() == 2


def test_a_step_typed_by_hand_is_adopted_not_duplicated(api_a, world):
    """The matching rule: a reference arriving for the first time takes over a standing step of
    the same kind typed by hand (no reference) on the same date, or, for a step a journey holds
    once, of the same kind whatever its date. Periods: the same entered-care date."""
    worker = world.user(Role.SOCIAL_WORKER, "A")
    child = services.child_create(
        council=world.councils["A"],
        acting_user=worker,
        child_id="API1",
        first_name="Kim",
        last_name="Handtyped",
        date_of_birth=date(2019, 5, 2),
    )
    period = services.period_of_care_add(
        child=child, acting_user=worker, entered_care=date(2020, 1, 15)
    )
    adm = services.child_record_milestone(
        child=child, kind=EventKind.ADM_DECISION, date=date(2020, 6, 1), acting_user=worker
    )
    permanence = services.child_record_milestone(
        child=child, kind=EventKind.PERMANENCE_DECISION, date=date(2020, 5, 1), acting_user=worker
    )
    response = api_a.put(
        f"{CHILD}/periods/P9", {"entered_care": "2020-01-15", "legal_status": "C2"}
    )
    assert response.status_code == 200 and response.json()["outcome"] == "adopted"
    response = api_a.put(f"{CHILD}/events/A1", {"kind": "adm_decision", "date": "2020-06-01"})
    assert response.json()["outcome"] == "adopted"
    # Once per journey: the permanence decision is taken whatever the date the system holds.
    response = api_a.put(
        f"{CHILD}/events/PD", {"kind": "permanence_decision", "date": "2020-05-04"}
    )
    assert response.json()["outcome"] == "adopted"
    assert PeriodOfCare.objects.filter(child=child).count() == 1
    assert JourneyEvent.objects.filter(child=child).count() == 2
    period.refresh_from_db()
    adm.refresh_from_db()
    permanence.refresh_from_db()
    assert (period.source_ref, period.legal_status) == ("P9", "C2")
    assert adm.source_ref == "A1"
    assert (permanence.source_ref, permanence.date) == ("PD", date(2020, 5, 4))
    # A second reference for the same kind and date is a second step, not the adopted one.
    response = api_a.put(f"{CHILD}/events/A2", {"kind": "adm_decision", "date": "2020-06-01"})
    assert response.status_code == 422  # ... which the date rules refuse (one decision in force)


def test_a_match_without_the_household_works_and_is_linked_later(api_a, world, client_for):
    new_child(api_a)
    steps = [
        ("E1", {"kind": "adm_decision", "date": "2020-06-01"}),
        ("E2", {"kind": "placement_order", "date": "2020-09-01", "authority": "placement_order"}),
        ("E3", {"kind": "matched", "date": "2020-12-01"}),
        ("E4", {"kind": "placed", "date": "2021-01-04"}),
    ]
    for ref, body in steps:
        response = api_a.put(f"{CHILD}/events/{ref}", body)
        assert response.status_code == 201, response.content
        assert response.json()["household"] is None
    child = Child.objects.get(child_id="API1")
    assert child.stage == "placed" and child.placed_date == date(2021, 1, 4)
    worker = client_for(world.user(Role.SOCIAL_WORKER, "A"))
    page = worker.get(f"/children/{child.pk}/").content.decode()
    assert page.count("Household not yet linked") == 2
    assert worker.get("/tracking/").status_code == 200
    # An unknown household is refused with what to do.
    response = api_a.put(
        f"{CHILD}/events/E3", {"kind": "matched", "date": "2020-12-01", "household": "W99999"}
    )
    assert response.json()["errors"][0]["rule"] == "unknown_household"
    # The adoption team links it later by correcting the step; the case system's next
    # correction (without household) keeps the link.
    matched = JourneyEvent.objects.get(child=child, source_ref="E3")
    household = HouseholdFactory(region=world.region, approval_date=date(2020, 3, 1))
    services.journey_event_correct(
        event=matched,
        acting_user=world.user(Role.SOCIAL_WORKER, "region"),
        household=household,
    )
    api_a.put(f"{CHILD}/events/E3", {"kind": "matched", "date": "2020-12-02"})
    matched.refresh_from_db()
    assert matched.household == household and matched.date == date(2020, 12, 2)


def test_an_adoption_order_ends_the_period_of_care(api_a, world):
    new_child(api_a)
    for ref, body in [
        ("E1", {"kind": "adm_decision", "date": "2020-06-01"}),
        ("E2", {"kind": "placement_order", "date": "2020-09-01", "authority": "placement_order"}),
        ("E3", {"kind": "matched", "date": "2020-12-01"}),
        ("E4", {"kind": "placed", "date": "2021-01-04"}),
        ("E5", {"kind": "adoption_order", "date": "2021-06-01", "left_care_reason": "E12"}),
    ]:
        assert api_a.put(f"{CHILD}/events/{ref}", body).status_code == 201
    record = api_a.get(CHILD).json()
    assert record["stage"] == "adopted"
    assert (record["periods"][0]["left_care"], record["periods"][0]["reason_left"]) == (
        "2021-06-01",
        "E12",
    )


def test_the_scorecard_is_the_commands_json(api_a, world):
    recompute_council(world.councils["A"].pk)
    response = api_a.get("councils/801/scorecard?period=2022-25")
    assert response.status_code == 200
    council = world.councils["A"]
    expected = scorecard_json(
        scorecard_result(
            period=P.period_from_label("2022-25"),
            region_id=council.region_id,
            council_id=council.pk,
        ),
        "801",
    )
    assert expected["computed_at"] is not None  # stored figures
    assert response.json() == expected
    out = StringIO()
    call_command(
        "scorecard", "--period", "2022-25", "--council", "801", "--format", "json", stdout=out
    )
    assert response.json() == json.loads(out.getvalue())
    response = api_a.get("councils/801/scorecard?period=2022-24")
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "period"


def test_a_client_over_its_rate_limit_is_told_when_to_come_back(api_a, world):
    with override_settings(API_RATE_LIMIT="2/min"):
        statuses = [api_a.get(CHILD) for _ in range(3)]
    assert [r.status_code for r in statuses] == [404, 404, 429]
    assert statuses[2]["Content-Type"] == "application/problem+json"
    assert 0 < int(statuses[2]["Retry-After"]) <= 60


def test_the_schema_and_docs_are_open_and_the_docs_keep_the_csp(client, world):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert "/api/v1/councils/{la}/children/{child}/events/{ref}" in paths
    assert set(paths["/api/v1/councils/{la}/children/{child}/events/{ref}"]) >= {"put", "delete"}
    docs = client.get("/api/v1/docs/")
    html = docs.content.decode()
    assert docs.status_code == 200
    assert "swagger-ui-bundle.js" in html and "api/docs.js" in html
    assert "<script>" not in html  # no inline script: the CSP stays strict
    assert "'unsafe-inline'" not in docs["Content-Security-Policy"]
    assert finders.find("vendor/swagger-ui/swagger-ui-bundle.js")  # from npm, as our static
