"""The API's operations, each one call to a service of ``children.services`` (the same ones the
forms use): shared by the single requests and the batch.

Each function takes the client, the council and the address below it, and returns
``(status, body)`` or raises :class:`api.problems.Problem`.
"""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from rest_framework import serializers

from adopters.models import Household
from api.models import ApiClient
from api.problems import Problem, from_django, from_drf_detail, refused
from api.serializers import SEX_TO_903, ChildIn, EventIn, PeriodIn
from children import services
from children.models import Child, DataQualityFlag, JourneyEvent, PeriodOfCare
from children.validators import validate_child_id
from raa.models import Council
from raa.services import audit_view

CHILD_FIELDS = {
    "date_of_birth": "dob",
    "ethnicity": "ethnic",
    "first_name": "given_name",
    "last_name": "family_name",
    "child_id": "child",
}
PERIOD_FIELDS = {"left_care_reason": "reason_left"}
REF = re.compile(r"[A-Za-z0-9_.:-]{1,40}\Z")
WITHDRAWN_REASON = "Withdrawn by the council's case system ({client})."


def council_for(client: ApiClient, la_code: str) -> Council:
    """The council the client may use, or 404 (as for people: another council's existence
    does not leak)."""
    council = Council.objects.filter(la_code=la_code).first()
    if council is None or not client.may_use(council):
        raise Problem(404, f"No council {la_code} that this client may use.")
    return council


def find_child(council: Council, child_id: str) -> Child:
    child = Child.objects.filter(council=council, child_id=child_id).first()
    if child is None:
        raise Problem(404, f"No child {child_id} in council {council.la_code}; PUT it first.")
    return child


def check_ref(ref: str) -> None:
    if not REF.match(ref):
        raise refused(
            [
                {
                    "field": "ref",
                    "rule": "ref_format",
                    "message": "A reference is 1 to 40 letters, digits and - _ . :",
                }
            ]
        )


def valid(serializer_class, body) -> serializers.Serializer:
    serializer = serializer_class(data=body if body is not None else {})
    if not serializer.is_valid():
        raise refused(from_drf_detail(serializer.errors), "The body is not valid.")
    return serializer


# -- children -------------------------------------------------------------------------------------


def child_data(child: Child) -> dict:
    return {
        "child": child.child_id,
        "council": child.council.la_code,
        "dob": child.date_of_birth,
        "sex": SEX_TO_903.get(child.sex),
        "ethnic": child.ethnicity,
        "upn": child.upn,
    }


def put_child(client: ApiClient, council: Council, child_id: str, body) -> tuple[int, dict]:
    try:
        validate_child_id(child_id)
    except ValidationError as error:
        raise from_django(ValidationError({"child_id": error.error_list}), CHILD_FIELDS) from None
    fields = valid(ChildIn, body).service_fields()
    try:
        child, outcome = services.child_put(
            council=council, child_id=child_id, acting_user=client.service_user, **fields
        )
    except ValidationError as error:
        raise from_django(error, CHILD_FIELDS) from None
    status = 201 if outcome == services.PutOutcome.CREATED else 200
    return status, {**child_data(child), "outcome": outcome}


def child_record(client: ApiClient, council: Council, child_id: str) -> dict:
    """The child, periods, steps with their references, stage and open data-quality findings;
    the read is audited as a person's would be."""
    child = find_child(council, child_id)
    periods = list(child.periods_of_care.all())
    events = list(JourneyEvent.all_objects.filter(child=child).select_related("household"))
    refs = {e.pk: e.source_ref or None for e in events}
    findings = DataQualityFlag.objects.filter(child=child).order_by("id")
    audit_view(user=client.service_user, obj=child, council=council)
    return {
        **child_data(child),
        "stage": child.stage,
        "closed_on": child.closed_on,
        "periods": [period_data(p) for p in periods],
        "events": [event_data(e) for e in events],
        "findings": [
            {"rule": f.rule, "hard": f.hard, "message": f.message, "ref": refs.get(f.event_id)}
            for f in findings
        ],
    }


# -- periods of care ------------------------------------------------------------------------------


def period_data(period: PeriodOfCare) -> dict:
    return {
        "ref": period.source_ref or None,
        "entered_care": period.entered_care,
        "left_care": period.left_care,
        "reason_left": period.left_care_reason or None,
        "legal_status": period.legal_status or None,
    }


def put_period(
    client: ApiClient, council: Council, child_id: str, ref: str, body, child: Child | None = None
) -> tuple[int, dict]:
    check_ref(ref)
    fields = valid(PeriodIn, body).service_fields()
    child = child or find_child(council, child_id)
    try:
        period, outcome = services.period_put(
            child=child, ref=ref, acting_user=client.service_user, **fields
        )
    except ValidationError as error:
        raise from_django(error, PERIOD_FIELDS) from None
    status = 201 if outcome == services.PutOutcome.CREATED else 200
    return status, {**period_data(period), "outcome": outcome}


# -- journey steps --------------------------------------------------------------------------------


def event_data(event: JourneyEvent) -> dict:
    return {
        "ref": event.source_ref or None,
        "kind": event.kind,
        "date": event.date,
        "household": event.household.reference if event.household_id else None,
        "ceased_reason": event.ceased_reason or None,
        "authority": event.authority or None,
        "panel_date": event.panel_date,
        "placement_provider": event.placement_provider or None,
        "foster_carer_adoption": event.foster_carer_adoption,
        "living_with_carers_since": event.living_with_carers_since,
        "disruption_reason": event.disruption_reason or None,
        "withdrawn": event.entered_in_error,
    }


def _household(council: Council, reference: str) -> Household:
    household = Household.objects.filter(region_id=council.region_id, reference=reference).first()
    if household is None:
        raise refused(
            [
                {
                    "field": "household",
                    "rule": "unknown_household",
                    "message": f"The agency has no household {reference}. Leave it out and the "
                    "adoption team will link the household from the child's record.",
                }
            ]
        )
    return household


def put_event(
    client: ApiClient, council: Council, child_id: str, ref: str, body, child: Child | None = None
) -> tuple[int, dict]:
    check_ref(ref)
    data = dict(valid(EventIn, body).validated_data)
    kind, day = data.pop("kind"), data.pop("date")
    left_care_reason = data.pop("left_care_reason", "")
    details = {}
    for name, value in data.items():
        if name not in services.EVENT_FIELDS[kind]:
            continue  # empty details of other kinds (null, false)
        if name == "household":
            if value is None:
                continue  # not known to the case system: never unlinks the agency's link
            value = _household(council, value)
        details[name] = value
    child = child or find_child(council, child_id)
    try:
        event, outcome = services.event_put(
            child=child,
            ref=ref,
            kind=kind,
            date=day,
            acting_user=client.service_user,
            left_care_reason=left_care_reason,
            **details,
        )
    except ValidationError as error:
        raise from_django(error) from None
    status = 201 if outcome == services.PutOutcome.CREATED else 200
    return status, {**event_data(event), "outcome": outcome}


def delete_event(
    client: ApiClient, council: Council, child_id: str, ref: str, child: Child | None = None
) -> tuple[int, dict]:
    """Withdraw the step (kept as entered in error, never deleted)."""
    check_ref(ref)
    child = child or find_child(council, child_id)
    event = JourneyEvent.objects.filter(child=child, source_ref=ref).first()
    if event is None:
        raise Problem(404, f"Child {child_id} has no standing step {ref}.")
    try:
        event = services.journey_event_withdraw(
            event=event,
            acting_user=client.service_user,
            reason=WITHDRAWN_REASON.format(client=client.name),
        )
    except ValidationError as error:
        raise from_django(error, {"reason": "ref"}) from None
    return 200, {**event_data(event), "outcome": "withdrawn"}


# -- the batch ------------------------------------------------------------------------------------

MAX_BATCH = 1000

PATHS = [
    (re.compile(r"children/(?P<child>.+?)/periods/(?P<ref>[^/]+)\Z"), "period"),
    (re.compile(r"children/(?P<child>.+?)/events/(?P<ref>[^/]+)\Z"), "event"),
    (re.compile(r"children/(?P<child>.+)\Z"), "child"),
]
METHODS = {"child": ("PUT",), "period": ("PUT",), "event": ("PUT", "DELETE")}


@dataclass
class Operation:
    index: int
    method: str
    path: str
    body: dict | None
    what: str = ""
    child_id: str = ""
    ref: str = ""
    problem: Problem | None = None  # refused before it ran (an address that is not one)


def parse(index: int, raw: dict) -> Operation:
    op = Operation(index, raw["method"], raw["path"], raw.get("body"))
    path = op.path.strip("/")
    for pattern, what in PATHS:
        match = pattern.match(path)
        if match:
            op.what, op.child_id, op.ref = what, match["child"], match.groupdict().get("ref", "")
            if op.method not in METHODS[what]:
                op.problem = Problem(405, f"{op.method} is not an operation on {op.path}.")
            return op
    op.problem = Problem(404, f"{op.path} is not an address of the API.")
    return op


def run(client: ApiClient, council: Council, op: Operation, child: Child | None) -> tuple:
    """One operation of a batch (its child, once known, is passed in)."""
    if op.what == "child":
        return put_child(client, council, op.child_id, op.body)
    if op.what == "period":
        return put_period(client, council, op.child_id, op.ref, op.body, child)
    if op.method == "DELETE":
        return delete_event(client, council, op.child_id, op.ref, child)
    return put_event(client, council, op.child_id, op.ref, op.body, child)
