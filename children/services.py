"""Every write to a child's record goes through here.

Each service locks the child's row, refuses a form opened at an older version of the record
(:class:`RecordChanged`), checks the date rules on the journey as it would be after the change
(refusing any *new* hard finding), saves with history and audit, refreshes the derived journey
summary and data-quality flags, and marks the council's scorecard as pending, all in one
transaction.
"""

import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from adopters.models import Household
from adopters.rules import check_child_step
from children.date_rules import Finding, birth_findings, check_journey, key_of
from children.models import (
    ADOPTED_REASONS,
    Authority,
    Child,
    ClosedReason,
    DataQualityFlag,
    EventKind,
    JourneyEvent,
    LeftCareReason,
    PeriodOfCare,
    SiblingGroup,
    Stage,
)
from children.validators import validate_child_id
from raa.freshness import mark_council_pending
from raa.models import AuditAction, Council, User
from raa.services import (
    case_record_create,
    case_record_update,
    check_fields,
    save_with_history,
)

CHILD_FIELDS = (
    "child_id",
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "ethnicity",
    "disabled",
    "upn",
    "allocated_social_worker",
    "sibling_group",
    "siblings_placed_together",
    "siblings_placed_apart",
)
PERIOD_FIELDS = ("entered_care", "legal_status", "left_care", "left_care_reason")

#: The details each kind of journey event holds, besides its date.
EVENT_FIELDS: dict[str, tuple[str, ...]] = {
    EventKind.PERMANENCE_DECISION: (),
    EventKind.ADM_DECISION: (),
    EventKind.PLAN_CEASED: ("ceased_reason",),
    EventKind.FFA_DECISION: (),
    EventKind.FFA_PLACEMENT: ("household",),
    EventKind.PLACEMENT_ORDER: ("authority",),
    EventKind.LINKED: ("household",),
    EventKind.MATCHED: ("household", "panel_date"),
    EventKind.PLACED: (
        "household",
        "placement_provider",
        "foster_carer_adoption",
        "living_with_carers_since",
    ),
    EventKind.DISRUPTION: ("household", "disruption_reason"),
    EventKind.ADOPTION_APPLICATION: ("household",),
    EventKind.ADOPTION_ORDER: ("household",),
}
HOUSEHOLD_REQUIRED = (EventKind.LINKED, EventKind.MATCHED, EventKind.PLACED)


class RecordChanged(Exception):
    """Someone else changed the child's record after this form was opened. Nothing was saved."""

    def __init__(self, child: Child):
        super().__init__(f"child {child.pk} is at version {child.version}")
        self.child = child


# -- checks shared by forms and services ----------------------------------------------------------


def _journey(child: Child) -> tuple[list[PeriodOfCare], list[JourneyEvent]]:
    """The child's stored periods and standing steps. Inside :func:`one_refresh_per_child` they
    are read once per change (kept until the change is saved), not once per rule check."""
    journeys = getattr(_deferred, "journeys", None)
    if journeys is not None and child.pk in journeys:
        periods, events = journeys[child.pk]
        return list(periods), list(events)
    journey = list(child.periods_of_care.all()), list(child.events.all())
    if journeys is not None:
        journeys[child.pk] = journey
    return list(journey[0]), list(journey[1])


def new_hard_findings(
    child: Child,
    *,
    date_of_birth: date | None = None,
    periods: list[PeriodOfCare] | None = None,
    events: list[JourneyEvent] | None = None,
    today: date | None = None,
) -> list[Finding]:
    """The hard rules a change would newly break: the journey as stored against the journey with
    the given date of birth, periods or events in place of the stored ones. Problems the record
    already had (from an import, say) do not block an unrelated change."""
    today = today or timezone.localdate()
    stored_periods, stored_events = _journey(child)
    before = check_journey(
        date_of_birth=child.date_of_birth,
        periods=stored_periods,
        events=stored_events,
        today=today,
    )
    after = check_journey(
        date_of_birth=date_of_birth or child.date_of_birth,
        periods=stored_periods if periods is None else periods,
        events=stored_events if events is None else events,
        today=today,
    )
    known = {f.key for f in before if f.hard}
    return [f for f in after if f.hard and f.key not in known]


def refuse(findings: list[Finding], form_fields: Iterable[str] = ("date",)) -> None:
    """Raise one ValidationError holding each finding's message under its form field."""
    if not findings:
        return
    fields = set(form_fields)
    errors: dict[str, list[ValidationError]] = defaultdict(list)
    for finding in findings:
        # The rule's code travels with its message (the API answers with both).
        errors[finding.field if finding.field in fields else NON_FIELD_ERRORS].append(
            ValidationError(finding.message, code=finding.rule)
        )
    raise ValidationError(dict(errors))


def replaced(records: list, record) -> list:
    """``records`` with ``record`` in place of the one with the same pk (or added if new)."""
    return [r for r in records if r.pk != record.pk or record.pk is None] + [record]


def period_findings(
    child: Child, *, values: dict, period: PeriodOfCare | None = None
) -> list[Finding]:
    """The hard rules adding a period of care with ``values`` (or changing ``period`` to them)
    would newly break."""
    base = _values(period, PERIOD_FIELDS) if period else {}
    proposed = PeriodOfCare(
        pk=period.pk if period else None, child_id=child.pk, **{**base, **values}
    )
    periods, _ = _journey(child)
    return new_hard_findings(child, periods=replaced(periods, proposed))


def event_findings(
    child: Child,
    *,
    kind: str,
    values: dict,
    event: JourneyEvent | None = None,
    left_care_reason: str = "",
) -> list[Finding]:
    """The hard rules recording a ``kind`` step with ``values`` (or correcting ``event`` to them)
    would newly break. An adoption order also ends the open period of care that day."""
    allowed = ("date", *EVENT_FIELDS[kind])
    base = _values(event, allowed) if event else {}
    proposed = JourneyEvent(
        pk=event.pk if event else None,
        child_id=child.pk,
        kind=kind,
        **{**base, **{k: v for k, v in values.items() if k in allowed}},
    )
    if proposed.date is None:
        return []
    periods, events = _journey(child)
    ending = None
    if kind == EventKind.ADOPTION_ORDER:
        ending = _period_ended_by_adoption(periods, proposed.date, left_care_reason, order=event)
    found = new_hard_findings(
        child,
        events=replaced(events, proposed),
        periods=replaced(periods, ending) if ending else None,
    )
    return _said_of_the_order(found, ending) if ending else found


def _said_of_the_order(found: list[Finding], ending: PeriodOfCare) -> list[Finding]:
    """The period of care an adoption order ends is not on the order's form: what its leaving
    date breaks is said of the adoption order date, which the person typed (once: a rule the
    order's date breaks itself is not repeated)."""
    period = ("period", key_of(ending))
    said = {f.rule for f in found if f.about != period}
    result = []
    for finding in found:
        if finding.about == period and finding.field == "left_care":
            if finding.rule in said:
                continue
            finding = replace(
                finding,
                field="date",
                message=finding.message.replace(
                    "The date the child left care", "The adoption order date (the day care ends)"
                ),
            )
        result.append(finding)
    return result


# -- the steps every change shares ----------------------------------------------------------------


def _lock(child: Child, expected_version: int | None, *, closed_ok: bool = False) -> Child:
    held = getattr(_deferred, "locked", None)
    locked = held.get(child.pk) if held is not None else None
    if locked is None:  # inside one_refresh_per_child the row stays locked: one read a block
        locked = Child.objects.select_for_update().select_related("council").get(pk=child.pk)
        if held is not None:
            held[child.pk] = locked
    if expected_version is not None and locked.version != expected_version:
        raise RecordChanged(locked)
    if locked.closed_on and not closed_ok:
        raise ValidationError(
            f"This record was closed on {locked.closed_on:%d/%m/%Y} "
            f"({locked.get_closed_reason_display().lower()}). A team manager can reopen it."
        )
    return locked


_deferred = threading.local()


def _after_change(child: Child, *, saved_event: JourneyEvent | None = None) -> None:
    """Derived data and bookkeeping after any change to a child's record or journey (once at
    the end of a :func:`one_refresh_per_child` block, inside one). ``saved_event``: the only
    record the change wrote (a step recorded or corrected), so that inside a block the journey
    read for the next change is kept, with it in place, instead of read again."""
    pending = getattr(_deferred, "children", None)
    if pending is not None:
        pending.setdefault(child.pk, child)
        journey = _deferred.journeys.pop(child.pk, None)
        if journey is not None and saved_event is not None and not saved_event.entered_in_error:
            periods, events = journey
            _deferred.journeys[child.pk] = (periods, replaced(events, saved_event))
        return
    _refresh_after_changes([child])


def _refresh_after_changes(children: list[Child]) -> None:
    ids = [child.pk for child in children]
    refresh_journey_summaries(Child.objects.filter(pk__in=ids))
    refresh_quality_flags(ids)
    Child.objects.filter(pk__in=ids).update(version=F("version") + 1, updated_at=timezone.now())
    for child in children:
        child.refresh_from_db(fields=["version", "stage", "updated_at"])
    for council_id in sorted({child.council_id for child in children}):
        mark_council_pending(council_id)


@contextmanager
def one_refresh_per_child() -> Iterator[None]:
    """Several changes to a few children in one transaction (a batch from a council's case
    system): the derived journey summary, data-quality flags, version and recompute marker of
    each child changed are refreshed once at the end of the block instead of after every
    change. Use inside ``transaction.atomic``; nothing is refreshed if the block raises (the
    transaction rolls back). The date rules still check every change against the journey as
    stored so far: they read the periods and steps, never the derived summary."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("one_refresh_per_child() must run inside transaction.atomic")
    if getattr(_deferred, "children", None) is not None:  # an outer block refreshes
        yield
        return
    _deferred.children = changed = {}
    _deferred.journeys = {}
    _deferred.locked = {}
    try:
        yield
    finally:
        _deferred.children = _deferred.journeys = _deferred.locked = None
    if changed:
        _refresh_after_changes(list(changed.values()))


# -- the child's record ----------------------------------------------------------------------------


def _sibling_group(council: Council, reference: str | None, acting_user: User):
    reference = (reference or "").strip()
    if not reference:
        return None
    group = SiblingGroup.objects.filter(council=council, reference=reference).first()
    if group is None:
        group = case_record_create(
            record=SiblingGroup(council=council, reference=reference),
            acting_user=acting_user,
            council=council,
        )
    return group


def _refuse_future_birth(dob: date | None) -> None:
    if dob and dob > timezone.localdate():
        raise ValidationError(
            {"date_of_birth": f"The date of birth ({dob:%d/%m/%Y}) is in the future."}
        )


@transaction.atomic
def child_create(
    *, council: Council, acting_user: User, sibling_group_reference: str | None = None, **fields
) -> Child:
    """Add a child to a council. Raises ValidationError if a field or the child ID is wrong.
    ``sibling_group_reference`` puts the child in that group of the council (made if new)."""
    check_fields(fields, CHILD_FIELDS, "child")
    if sibling_group_reference is not None:
        fields["sibling_group"] = _sibling_group(council, sibling_group_reference, acting_user)
    _refuse_future_birth(fields.get("date_of_birth"))
    refuse(birth_findings(fields.get("date_of_birth")), ["date_of_birth"])
    try:
        validate_child_id(fields.get("child_id", ""))
    except ValidationError as error:
        raise ValidationError({"child_id": error.messages}) from error
    child = Child(council=council, **fields)
    case_record_create(record=child, acting_user=acting_user, council=council)
    _after_change(child)
    return child


@transaction.atomic
def child_update(
    *,
    child: Child,
    acting_user: User,
    expected_version: int | None = None,
    sibling_group_reference: str | None = None,
    **fields,
) -> list[str]:
    """Change a child's details; returns the names of the fields that changed."""
    child = _lock(child, expected_version)
    if sibling_group_reference is not None:
        fields["sibling_group"] = _sibling_group(
            child.council, sibling_group_reference, acting_user
        )
    dob = fields.get("date_of_birth")
    if dob and dob != child.date_of_birth:
        _refuse_future_birth(dob)
        findings = new_hard_findings(child, date_of_birth=dob)
        refuse(
            [Finding(f.rule, f.hard, f.message, "date_of_birth", f.about) for f in findings],
            ["date_of_birth"],
        )
    changed = case_record_update(
        record=child,
        acting_user=acting_user,
        fields=fields,
        allowed=CHILD_FIELDS,
        council=child.council,
    )
    if changed:
        _after_change(child)
    return changed


@transaction.atomic
def child_close(
    *,
    child: Child,
    acting_user: User,
    reason: str,
    expected_version: int | None = None,
    closed_on: date | None = None,
) -> Child:
    """Close a record: it stays for reporting and history, and can no longer be changed."""
    child = _lock(child, expected_version)
    if reason not in ClosedReason.values:
        raise ValidationError({"reason": "Choose why the record is being closed."})
    child.closed_on = closed_on or timezone.localdate()
    child.closed_reason = reason
    save_with_history(
        record=child,
        acting_user=acting_user,
        action=AuditAction.CHANGED,
        council=child.council,
        detail="closed",
    )
    _after_change(child)
    return child


@transaction.atomic
def child_reopen(*, child: Child, acting_user: User, expected_version: int | None = None) -> Child:
    child = _lock(child, expected_version, closed_ok=True)
    if child.closed_on is None:
        raise ValidationError("This record is open.")
    child.closed_on = None
    child.closed_reason = ""
    save_with_history(
        record=child,
        acting_user=acting_user,
        action=AuditAction.CHANGED,
        council=child.council,
        detail="reopened",
    )
    _after_change(child)
    return child


# -- periods of care ------------------------------------------------------------------------------


@transaction.atomic
def period_of_care_add(
    *,
    child: Child,
    acting_user: User,
    expected_version: int | None = None,
    source_ref: str = "",
    **fields,
) -> PeriodOfCare:
    """Record that the child entered care (again). Raises ValidationError naming the rule.
    ``source_ref``: the council's case system's reference for the period (the API)."""
    check_fields(fields, PERIOD_FIELDS, "period of care")
    child = _lock(child, expected_version)
    period = PeriodOfCare(child=child, source_ref=source_ref, **fields)
    refuse(period_findings(child, values=fields), PERIOD_FIELDS)
    case_record_create(record=period, acting_user=acting_user, council=child.council)
    _after_change(child)
    return period


@transaction.atomic
def period_of_care_update(
    *,
    period: PeriodOfCare,
    acting_user: User,
    expected_version: int | None = None,
    **fields,
) -> list[str]:
    """Correct a period of care, or record that the child left care. ``source_ref`` among the
    fields attaches the case system's reference (the API adopting a period typed by hand)."""
    child = _lock(period.child, expected_version)
    period = PeriodOfCare.objects.get(pk=period.pk, child=child)
    allowed = (*PERIOD_FIELDS, "source_ref")
    check_fields(fields, allowed, "period of care")
    refuse(period_findings(child, values=fields, period=period), PERIOD_FIELDS)
    changed = case_record_update(
        record=period,
        acting_user=acting_user,
        fields=fields,
        allowed=allowed,
        council=child.council,
    )
    if changed:
        _after_change(child)
    return changed


def _values(record, names: Iterable[str]) -> dict:
    return {name: getattr(record, name) for name in names}


# -- journey events -------------------------------------------------------------------------------


def _check_event_details(
    kind: str, details: dict, child: Child, *, household_required: bool
) -> None:
    check_fields(
        {k: v for k, v in details.items() if k not in ("date", "household_warning")},
        EVENT_FIELDS[kind],
        f"{kind} event",
    )
    household = details.get("household")
    if household_required and kind in HOUSEHOLD_REQUIRED and household is None:
        raise ValidationError({"household": "Choose the household."})
    if household is not None and household.region_id != child.council.region_id:
        raise ValidationError({"household": "That household belongs to another region."})
    if household is not None and kind in HOUSEHOLD_REQUIRED and details.get("date"):
        # The household's side of the step (in the process, approved by the match).
        problems = check_child_step(household=household, kind=kind, on=details["date"])
        if any(p.hard for p in problems):
            raise ValidationError({"household": [p.message for p in problems if p.hard]})


def match_household_warnings(child: Child, household: Household | None, on: date) -> list[str]:
    """Why matching ``child`` with ``household`` on ``on`` needs the person's explicit
    confirmation: the child is linked with another household, or the household is already
    matched with (or has) another child who is not a brother or sister in the same group. Empty
    when neither holds. The other child is not named: they may be another council's."""
    if household is None:
        return []
    warnings = []
    link = (
        JourneyEvent.objects.filter(child=child, kind=EventKind.LINKED, date__lte=on)
        .select_related("household")
        .order_by("-date", "-id")
        .first()
    )
    if link is not None and link.household_id and link.household_id != household.pk:
        warnings.append(
            f"The child is linked with household {link.household.reference} (since "
            f"{link.date:%d/%m/%Y}), not with household {household.reference}."
        )
    taken = (
        JourneyEvent.objects.filter(
            household=household,
            kind__in=(EventKind.MATCHED, EventKind.PLACED),
            child__stage__in=(Stage.MATCHED, Stage.PLACED),
        )
        .exclude(child=child)
        .order_by("date")
    )
    if child.sibling_group_id:
        taken = taken.exclude(child__sibling_group_id=child.sibling_group_id)
    other = taken.first()
    if other is not None:
        warnings.append(
            f"Household {household.reference} is already matched with another child (since "
            f"{other.date:%d/%m/%Y})."
        )
    return warnings


def is_early_link(household: Household | None, on: date) -> bool:
    """Whether a link on ``on`` with ``household`` is an early link: the household was not yet
    approved on that date (still in assessment)."""
    return household is not None and (
        household.approval_date is None or household.approval_date > on
    )


@transaction.atomic
def child_record_milestone(
    *,
    child: Child,
    kind: str,
    date: date,
    acting_user: User,
    expected_version: int | None = None,
    left_care_reason: str = "",
    household_required: bool = True,
    source_ref: str = "",
    **details,
) -> JourneyEvent:
    """Record one dated step of the child's journey.

    For an adoption order, the child's open period of care ends on the order's date, with
    ``left_care_reason`` E11 (the default) or E12. Raises ValidationError naming each date rule
    the step would break, and :class:`RecordChanged` if the form was opened at an older version.
    ``household_required=False`` (the API: a council's case system may not know the agency's
    household) lets a link, match or placement be recorded without its household, which the
    adoption team links later by correcting the step. ``source_ref``: the case system's
    reference for the step.
    """
    if kind not in EVENT_FIELDS:
        raise ValueError(f"Unknown journey step {kind!r}")
    child = _lock(child, expected_version)
    _check_event_details(
        kind, {**details, "date": date}, child, household_required=household_required
    )
    if kind == EventKind.MATCHED:
        # A match the record argues against is made only when the person confirmed it (the
        # warning they saw, kept on the step): it then shows as a data-quality note.
        warnings = match_household_warnings(child, details.get("household"), date)
        if warnings and not details.get("household_warning"):
            raise ValidationError({"household": warnings})
        details["household_warning"] = " ".join(warnings)
    else:
        details.pop("household_warning", None)
    if kind == EventKind.LINKED:
        details["early_link"] = is_early_link(details.get("household"), date)
    event = JourneyEvent(
        child=child,
        kind=kind,
        date=date,
        recorded_by=acting_user,
        source_ref=source_ref,
        **details,
    )
    refuse(
        event_findings(
            child, kind=kind, values={"date": date, **details}, left_care_reason=left_care_reason
        ),
        ("date", *EVENT_FIELDS[kind]),
    )
    ending = None
    if kind == EventKind.ADOPTION_ORDER:
        ending = _period_ended_by_adoption(_journey(child)[0], date, left_care_reason)
    case_record_create(record=event, acting_user=acting_user, council=child.council)
    _end_care(ending, acting_user, child)
    _after_change(child, saved_event=None if ending else event)
    return event


def _end_care(ending: PeriodOfCare | None, acting_user: User, child: Child) -> None:
    """Save the end of care an adoption order brings (or moves, when the order is corrected)."""
    if ending is None:
        return
    case_record_update(
        record=PeriodOfCare.objects.get(pk=ending.pk),
        acting_user=acting_user,
        fields={"left_care": ending.left_care, "left_care_reason": ending.left_care_reason},
        allowed=PERIOD_FIELDS,
        council=child.council,
    )


def _period_ended_by_adoption(
    periods: list[PeriodOfCare],
    order_date: date,
    reason: str,
    *,
    order: JourneyEvent | None = None,
) -> PeriodOfCare | None:
    """The period of care the adoption order ends, as it would be after the order: the open
    one for a new order; for a correction of ``order``, the one it ended (on its old date)."""
    if order is None:
        ending = [p for p in periods if p.left_care is None and p.entered_care <= order_date]
    else:
        ending = [
            p
            for p in periods
            if p.left_care == order.date and p.left_care_reason in ADOPTED_REASONS
        ]
    if not ending:
        return None
    period = ending[-1]
    reason = reason or period.left_care_reason or LeftCareReason.E11
    if reason not in ADOPTED_REASONS:
        raise ValidationError({"left_care_reason": "An adoption order ends care with E11 or E12."})
    return PeriodOfCare(
        pk=period.pk,
        child_id=period.child_id,
        entered_care=period.entered_care,
        legal_status=period.legal_status,
        left_care=order_date,
        left_care_reason=reason,
    )


@transaction.atomic
def journey_event_correct(
    *,
    event: JourneyEvent,
    acting_user: User,
    expected_version: int | None = None,
    **fields,
) -> list[str]:
    """Correct a step's date or details (its kind stays; withdraw it to record another).
    ``source_ref`` among the fields attaches the case system's reference (the API adopting a
    step typed by hand)."""
    child = _lock(event.child, expected_version)
    event = JourneyEvent.objects.get(pk=event.pk, child=child)
    source_ref = fields.pop("source_ref", None)
    allowed = ("date", *EVENT_FIELDS[event.kind])
    check_fields(fields, allowed, f"{event.kind} event")
    # Steps from a council's 903 history may have no household (the 903 holds none); a
    # correction keeps the household a step named.
    _check_event_details(
        event.kind,
        {
            "date": event.date,
            **({"household": event.household} if "household" in EVENT_FIELDS[event.kind] else {}),
            **fields,
        },
        child,
        household_required=event.household_id is not None,
    )
    refuse(event_findings(child, kind=event.kind, values=fields, event=event), allowed)
    care_moved = (
        event.kind == EventKind.ADOPTION_ORDER and fields.get("date", event.date) != event.date
    )
    if care_moved:
        _end_care(
            _period_ended_by_adoption(_journey(child)[0], fields["date"], "", order=event),
            acting_user,
            child,
        )
    if source_ref is not None:
        fields["source_ref"] = source_ref
    if event.kind == EventKind.LINKED and ("household" in fields or "date" in fields):
        # A corrected link is early if the household it now names was not approved by its date.
        fields["early_link"] = is_early_link(
            fields.get("household", event.household), fields.get("date", event.date)
        )
    changed = case_record_update(
        record=event,
        acting_user=acting_user,
        fields=fields,
        allowed=(*allowed, "source_ref", "early_link"),
        council=child.council,
    )
    if changed:
        _after_change(child, saved_event=None if care_moved else event)
    return changed


@transaction.atomic
def journey_event_withdraw(
    *,
    event: JourneyEvent,
    acting_user: User,
    reason: str,
    expected_version: int | None = None,
) -> JourneyEvent:
    """Withdraw a step recorded in error. It is kept (with its history) but no longer counts.
    Refused if later steps depend on it (withdraw those first)."""
    child = _lock(event.child, expected_version)
    event = JourneyEvent.objects.get(pk=event.pk, child=child)
    if not reason.strip():
        raise ValidationError({"reason": "Say why this step was recorded in error."})
    _, events = _journey(child)
    remaining = [e for e in events if e.pk != event.pk]
    findings = new_hard_findings(child, events=remaining)
    if findings:
        raise ValidationError(
            {
                "reason": [
                    ValidationError(
                        f"The {event.get_kind_display().lower()} cannot be withdrawn while "
                        "later steps depend on it. Without it: " + f.message,
                        code=f.rule,
                    )
                    for f in findings
                ]
            }
        )
    event.entered_in_error = True
    event.withdrawn_reason = reason.strip()
    save_with_history(
        record=event,
        acting_user=acting_user,
        action=AuditAction.CHANGED,
        council=child.council,
        detail="withdrawn as recorded in error",
    )
    _after_change(child)
    return event


# -- a council's case system: records by its own references ---------------------------------------

#: Steps a journey holds once: when the case system first sends one under its reference, a step
#: of the same kind recorded by hand is taken for it whatever its date.
ONCE_PER_JOURNEY = (
    EventKind.PERMANENCE_DECISION,
    EventKind.ADOPTION_APPLICATION,
    EventKind.ADOPTION_ORDER,
)


class PutOutcome:
    """What a put by reference did."""

    CREATED = "created"
    UPDATED = "updated"  # the same reference again: a correction (history kept)
    UNCHANGED = "unchanged"
    ADOPTED = "adopted"  # a record typed by hand took the reference (and any new values)


@transaction.atomic(savepoint=False)  # all or nothing with the caller's transaction
def child_put(*, council: Council, child_id: str, acting_user: User, **fields) -> tuple[Child, str]:
    """Create or update the council's child by its CHILD id (the council's case system).
    Without names the record is called "Child <CHILD id>", as a 903 import does."""
    child = Child.objects.filter(council=council, child_id=child_id).first()
    if child is None:
        fields = {k: v for k, v in fields.items() if v is not None}
        fields.setdefault("first_name", "Child")
        fields.setdefault("last_name", child_id)
        child = child_create(council=council, acting_user=acting_user, child_id=child_id, **fields)
        return child, PutOutcome.CREATED
    changed = child_update(child=child, acting_user=acting_user, **fields)
    return child, PutOutcome.UPDATED if changed else PutOutcome.UNCHANGED


@transaction.atomic(savepoint=False)  # all or nothing with the caller's transaction
def period_put(*, child: Child, ref: str, acting_user: User, **fields) -> tuple[PeriodOfCare, str]:
    """Create or correct the period of care the case system calls ``ref``. The first time a
    reference arrives, a period typed by hand (no reference) that began the same day is adopted:
    it takes the reference, and any values sent, rather than a second period being made."""
    child = _lock(child, None)
    period = PeriodOfCare.objects.filter(child=child, source_ref=ref).first()
    if period is None and fields.get("entered_care"):
        period = (
            PeriodOfCare.objects.filter(
                child=child, source_ref="", entered_care=fields["entered_care"]
            )
            .order_by("id")
            .first()
        )
        if period is not None:
            period_of_care_update(period=period, acting_user=acting_user, source_ref=ref, **fields)
            period.refresh_from_db()
            return period, PutOutcome.ADOPTED
    if period is None:
        period = period_of_care_add(child=child, acting_user=acting_user, source_ref=ref, **fields)
        return period, PutOutcome.CREATED
    changed = period_of_care_update(period=period, acting_user=acting_user, **fields)
    period.refresh_from_db()
    return period, PutOutcome.UPDATED if changed else PutOutcome.UNCHANGED


def adoptable_event(
    child: Child, kind: str, on: date, *, candidates: list[JourneyEvent] | None = None
) -> JourneyEvent | None:
    """The step typed by hand that a step first sent by the case system is taken for: a
    standing step of the same kind with no reference, on the same date (for a kind a journey
    holds once, :data:`ONCE_PER_JOURNEY`, whatever its date). The earliest recorded if several.
    ``candidates``: the child's standing steps already read (saves a query)."""
    if candidates is None:
        candidates = list(JourneyEvent.objects.filter(child=child, kind=kind, source_ref=""))
    matching = [
        e
        for e in candidates
        if e.kind == kind and not e.source_ref and (kind in ONCE_PER_JOURNEY or e.date == on)
    ]
    return min(matching, key=lambda e: e.pk, default=None)


@transaction.atomic(savepoint=False)  # all or nothing with the caller's transaction
def event_put(
    *,
    child: Child,
    ref: str,
    kind: str,
    date: date,
    acting_user: User,
    left_care_reason: str = "",
    **details,
) -> tuple[JourneyEvent, str]:
    """Record or correct the step the case system calls ``ref``, through the same services as
    the forms (same date rules, history, audit and recompute marker). The same reference again
    is a correction; the first time, a matching step typed by hand is adopted
    (:func:`adoptable_event`). A link, match or placement may come without the household. A
    step's kind never changes: withdraw it and send the new step under another reference."""
    if kind not in EVENT_FIELDS:
        raise ValidationError({"kind": ValidationError(f"No journey step is called {kind!r}.")})
    child = _lock(child, None)  # before reading the journey the rules will check
    # The child's standing steps, read once for the date rules too: the step holding the
    # reference, else one typed by hand to adopt.
    _, candidates = _journey(child)
    event = next((e for e in candidates if e.source_ref == ref), None)
    adopted = False
    if event is None:
        event = adoptable_event(child, kind, date, candidates=candidates)
        adopted = event is not None
    if event is None:
        event = child_record_milestone(
            child=child,
            kind=kind,
            date=date,
            acting_user=acting_user,
            left_care_reason=left_care_reason,
            household_required=False,
            source_ref=ref,
            **details,
        )
        return event, PutOutcome.CREATED
    if event.kind != kind:
        raise ValidationError(
            {
                "kind": ValidationError(
                    f"Step {ref} is recorded as {event.get_kind_display().lower()}; a step's "
                    "kind cannot change. Withdraw it and send the new step under another "
                    "reference.",
                    code="kind_changed",
                )
            }
        )
    fields = {"date": date, **details}
    if adopted:
        fields["source_ref"] = ref
    changed = journey_event_correct(event=event, acting_user=acting_user, **fields)
    event.refresh_from_db()
    if adopted:
        return event, PutOutcome.ADOPTED
    return event, PutOutcome.UPDATED if changed else PutOutcome.UNCHANGED


# -- derived data ---------------------------------------------------------------------------------


def refresh_journey_summaries(children: QuerySet[Child]) -> int:
    """Derive each child's stage and key dates from their periods and events, in two UPDATE
    statements however many children (used for one child after a change, and for bulk loads).
    Returns the number of children updated."""
    events = JourneyEvent.objects.filter(child=OuterRef("pk"))

    def latest(*kinds, **extra):
        return Subquery(events.filter(kind__in=kinds, **extra).order_by("-date").values("date")[:1])

    latest_period = PeriodOfCare.objects.filter(child=OuterRef("pk")).order_by("-entered_care")
    count = children.update(
        entered_care_date=Subquery(latest_period.values("entered_care")[:1]),
        left_care_date=Subquery(latest_period.values("left_care")[:1]),
        adm_decision_date=latest(EventKind.ADM_DECISION),
        plan_ceased_date=latest(EventKind.PLAN_CEASED),
        placement_order_date=latest(
            EventKind.PLACEMENT_ORDER,
            authority__in=[Authority.PLACEMENT_ORDER, Authority.FREEING_ORDER],
        ),
        linked_date=latest(EventKind.LINKED),
        matched_date=latest(EventKind.MATCHED),
        placed_date=latest(EventKind.PLACED),
        disruption_date=latest(EventKind.DISRUPTION),
        adoption_order_date=latest(EventKind.ADOPTION_ORDER),
    )

    def since_decision(field: str) -> Q:
        """The step happened under the decision in force and after any disruption."""
        return Q(**{f"{field}__gte": F("adm_decision_date")}) & (
            Q(disruption_date__isnull=True) | Q(**{f"{field}__gt": F("disruption_date")})
        )

    children.update(
        stage=Case(
            When(adoption_order_date__isnull=False, then=Value(Stage.ADOPTED)),
            When(
                adm_decision_date__isnull=True,
                left_care_date__isnull=False,
                then=Value(Stage.LEFT_CARE),
            ),
            When(adm_decision_date__isnull=True, then=Value(Stage.NO_DECISION)),
            When(plan_ceased_date__gte=F("adm_decision_date"), then=Value(Stage.PLAN_CHANGED)),
            When(since_decision("placed_date"), then=Value(Stage.PLACED)),
            When(since_decision("matched_date"), then=Value(Stage.MATCHED)),
            When(since_decision("linked_date"), then=Value(Stage.LINKED)),
            When(left_care_date__isnull=False, then=Value(Stage.LEFT_CARE)),
            When(placement_order_date__isnull=False, then=Value(Stage.WAITING_PO)),
            default=Value(Stage.WAITING),
        )
    )
    return count


def refresh_quality_flags(child_ids: list[int], *, today: date | None = None) -> int:
    """Check the journeys of these children against every date rule and store what each breaks
    (replacing the flags found before, except those a 903 import found). Three reads however
    many children; returns the number of flags stored."""
    today = today or timezone.localdate()
    births = dict(Child.objects.filter(pk__in=child_ids).values_list("pk", "date_of_birth"))
    periods: dict[int, list] = defaultdict(list)
    for period in PeriodOfCare.objects.filter(child_id__in=child_ids):
        periods[period.child_id].append(period)
    events: dict[int, list] = defaultdict(list)
    for event in JourneyEvent.objects.filter(child_id__in=child_ids):
        events[event.child_id].append(event)
    flags = []
    for child_id, born in births.items():
        for finding in check_journey(
            date_of_birth=born, periods=periods[child_id], events=events[child_id], today=today
        ):
            flags.append(
                DataQualityFlag(
                    child_id=child_id,
                    event_id=finding.about if isinstance(finding.about, int) else None,
                    rule=finding.rule,
                    hard=finding.hard,
                    message=finding.message,
                )
            )
    # Findings of a 903 import are about the council's files, not the stored journey: they
    # stay until the next import of the child replaces them.
    DataQualityFlag.objects.filter(child_id__in=child_ids, from_import=False).delete()
    DataQualityFlag.objects.bulk_create(flags, batch_size=5000)
    return len(flags)
