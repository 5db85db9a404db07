"""Importing a council's SSDA903 set: read, check, derive each journey, write what changed.

:func:`import_903` is the one entry point (the ``import_903`` command and the upload page's
background job both call it). It never raises for bad files: everything wrong is in the
report it returns.

Writing is a bulk path that keeps the house rules: history rows for every record created or
changed (django-simple-history's bulk helpers), an audit row per child added or changed and
one for the run, the derived journey summaries and data-quality flags, and the council's
scorecard marked pending, all in one transaction. Importing the same files twice changes
nothing; an updated set changes what changed and never duplicates a child (children are
matched on the council's CHILD ID).
"""

import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F, Prefetch
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from children.models import (
    Child,
    DataQualityFlag,
    EventKind,
    JourneyEvent,
    PeriodOfCare,
)
from children.services import refresh_journey_summaries, refresh_quality_flags
from children.ssda903.derive import Event, Journey, Period, derive_journey
from children.ssda903.reading import ChildRows, CollectionYear, Problem, read_set
from children.ssda903.selection import select_adoption_children
from children.ssda903.validate import Soft, soft_findings
from raa.freshness import FORECAST_TASK, enqueue_after_commit, mark_council_pending
from raa.models import AuditAction, AuditEvent, Council, User

#: The journey steps a 903 set gives; steps of other kinds (links, applications, FfA...) are
#: the social workers' and an import leaves them alone.
MANAGED_KINDS = (
    EventKind.ADM_DECISION,
    EventKind.PLAN_CEASED,
    EventKind.PLACEMENT_ORDER,
    EventKind.MATCHED,
    EventKind.PLACED,
    EventKind.DISRUPTION,
    EventKind.ADOPTION_ORDER,
)
EVENT_FIELDS = (
    "date",
    "ceased_reason",
    "authority",
    "placement_provider",
    "foster_carer_adoption",
    "living_with_carers_since",
    "disruption_reason",
)
PERIOD_FIELDS = ("entered_care", "legal_status", "left_care", "left_care_reason")
HEADER_FIELDS = {"date_of_birth": "dob", "sex": "sex", "ethnicity": "ethnicity", "upn": "upn"}
BATCH = 2000
CHANGE_REASON = "SSDA903 import"

EXIT_OK, EXIT_SKIPPED, EXIT_REFUSED = 0, 1, 2

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


@dataclass
class _Plan:
    """What the import will write."""

    new_children: list[Child] = field(default_factory=list)
    changed_children: dict[int, Child] = field(default_factory=dict)
    changed_fields: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    new_periods: list[PeriodOfCare] = field(default_factory=list)
    changed_periods: list[PeriodOfCare] = field(default_factory=list)
    new_events: list[JourneyEvent] = field(default_factory=list)
    changed_events: list[JourneyEvent] = field(default_factory=list)
    withdrawn_events: list[JourneyEvent] = field(default_factory=list)
    closed_unchanged: list[str] = field(default_factory=list)
    #: child_id -> the soft findings to store as import flags
    soft: dict[str, list[Soft]] = field(default_factory=dict)


def import_903(
    files: Mapping[str, bytes],
    *,
    council: Council,
    acting_user: User,
    dry_run: bool = False,
    strict: bool = False,
    progress: Progress | None = None,
    run_label: str = "",
) -> dict:
    """Import the files (``{name: bytes}``, any names: the tables are found by their columns;
    with an LA column, only ``council``'s rows). Returns the report (a JSON-able dict with
    ``exit_code`` 0, 1 or 2 and a one-line ``summary``)."""
    started = time.monotonic()
    tell = progress or (lambda percent, label: None)
    tell(5, "Reading the files")
    read = read_set(files, council=council)
    in_files = len(read.children)
    # Only children the files show in the adoption process go further; the rest are counted
    # and nothing else about them is kept (DOMAIN.md A.10).
    selection = select_adoption_children(read, council=council)
    read.children = selection.children
    report: dict = {
        "council": council.la_code,
        "council_name": council.name,
        "dry_run": dry_run,
        "strict": strict,
        "rows": read.rows_read,
        "refusals": [p.as_dict() for p in read.refusals],
        "skipped_children": _skipped(read.errors),
        "created": 0,
        "updated": 0,
        "unchanged": 0,
        "not_in_process": selection.not_in_process,
        "held_without_plan": selection.held_without_plan,
        "closed_not_changed": [],
        "findings": [],
        "finding_counts": {},
        # Rules 357 and 602 look at the year the set is the return for.
        "collection_year": str(read.collection_year or ""),
        # Which file was read as which table; rows of other LAs (children.ssda903.tables).
        **read.shape_report(),
    }
    report["skipped"] = len(report["skipped_children"])
    report["children_in_files"] = in_files + report["skipped"]
    if not read.refused and strict and read.errors:
        report["refusals"].append(
            Problem(
                "",
                None,
                "",
                "",
                "strict",
                f"{report['skipped']} child(ren) have errors and --strict refuses the whole "
                "import on any error. Nothing was imported.",
            ).as_dict()
        )
    if report["refusals"]:
        return _finish(report, EXIT_REFUSED, started)

    tell(20, "Building the journeys")
    journeys = {}
    for number, (child_id, rows) in enumerate(read.children.items(), start=1):
        journeys[child_id] = derive_journey(rows)
        if number % 500 == 0:
            tell(20 + 10 * number // len(read.children), "Building the journeys")
    try:
        with transaction.atomic():
            _write(
                read.children,
                journeys,
                council,
                acting_user,
                report,
                tell,
                run_label,
                year=read.collection_year,
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        for finding in report["findings"]:
            finding["pk"] = None
    except Exception as error:  # whatever the files hold, the import ends with a report
        logger.exception("903 import for council %s stopped: %s", council.la_code, type(error))
        report.update(created=0, updated=0, unchanged=0, findings=[], finding_counts={})
        report["refusals"].append(
            Problem(
                "",
                None,
                "",
                "",
                "internal-error",
                "The import stopped on an unexpected problem and nothing was imported. The "
                "technical team has the details.",
            ).as_dict()
        )
        return _finish(report, EXIT_REFUSED, started)
    code = EXIT_SKIPPED if report["skipped"] else EXIT_OK
    return _finish(report, code, started)


def _skipped(errors: dict[str, list[Problem]]) -> list[dict]:
    return [
        {"child": child, "problems": [p.as_dict() for p in problems]}
        for child, problems in sorted(errors.items(), key=lambda item: item[1][0].row or 0)
    ]


def _finish(report: dict, code: int, started: float) -> dict:
    report["exit_code"] = code
    report["seconds"] = round(time.monotonic() - started, 2)
    if code == EXIT_REFUSED:
        report["summary"] = (
            f"Refused: nothing imported ({len(report['refusals'])} problem(s) with the files)."
        )
    else:
        verb = "would be" if report["dry_run"] else "were"
        report["summary"] = (
            f"{report['created']} children added, {report['updated']} updated, "
            f"{report['unchanged']} unchanged, {report['skipped']} skipped with errors; "
            + _not_imported(report)
            + f"{len(report['findings'])} data-quality finding(s)"
            + (f" (dry run: nothing {verb} written)" if report["dry_run"] else "")
            + "."
        )
    return report


def _not_imported(report: dict) -> str:
    """The summary's words for the children left out, and the held ones no longer shown with
    a plan (empty when there are none)."""
    words = ""
    if report.get("not_in_process"):
        words += (
            f"{report['not_in_process']:,} children with no adoption plan in these files: "
            "not imported; "
        )
    held = len(report.get("held_without_plan", ()))
    if held:
        words += (
            f"{held:,} children already held no longer shown with a plan in these files "
            "(kept as they are); "
        )
    return words


# -- planning -------------------------------------------------------------------------------------


def _plan(
    children: dict[str, ChildRows],
    journeys: dict[str, Journey],
    council: Council,
    acting_user: User,
    existing: dict[str, Child],
    year: CollectionYear | None,
) -> _Plan:
    plan = _Plan()
    now = timezone.now()
    for child_id, rows in children.items():
        journey = journeys[child_id]
        plan.soft[child_id] = soft_findings(rows, journey, year)
        child = existing.get(child_id)
        if child is None:
            header = rows.header
            child = Child(
                council=council,
                child_id=child_id,
                first_name="Child",
                last_name=child_id,
                date_of_birth=header.dob,
                sex=header.sex or "U",
                ethnicity=header.ethnicity or "NOBT",
                upn=header.upn,
            )
            plan.new_children.append(child)
            for period in journey.periods:
                plan.new_periods.append(_new_period(child, period))
            for event in journey.events:
                plan.new_events.append(_new_event(child, event, acting_user))
            continue
        _plan_update(plan, child, rows, journey, acting_user, now)
    return plan


def _plan_update(
    plan: _Plan, child: Child, rows: ChildRows, journey: Journey, acting_user: User, now
) -> None:
    header = rows.header
    header_changes = {}
    for model_field, row_field in HEADER_FIELDS.items():
        value = getattr(header, row_field)
        if value not in ("", None) and getattr(child, model_field) != value:
            header_changes[model_field] = value

    stored_periods = list(child.periods_of_care.all())
    period_updates: list[tuple[PeriodOfCare, dict]] = []
    period_new = []
    for index, period in enumerate(journey.periods):
        if index < len(stored_periods):
            stored = stored_periods[index]
            delta = {
                name: getattr(period, name)
                for name in PERIOD_FIELDS
                if getattr(stored, name) != getattr(period, name)
            }
            if delta:
                period_updates.append((stored, delta))
        else:
            period_new.append(period)

    stored_events = defaultdict(list)
    for event in child.events.all():
        if event.kind in MANAGED_KINDS:
            stored_events[event.kind].append(event)
    wanted = defaultdict(list)
    for event in journey.events:
        wanted[event.kind].append(event)
    event_updates: list[tuple[JourneyEvent, dict]] = []
    event_new: list[Event] = []
    event_withdrawn: list[JourneyEvent] = []
    for kind in MANAGED_KINDS:
        if kind in rows.kinds_not_given:
            continue  # the files have no table for these steps: keep what is held
        stored = sorted(stored_events[kind], key=lambda e: (e.date, e.pk))
        for index, event in enumerate(sorted(wanted[kind], key=lambda e: e.date)):
            if index < len(stored):
                delta = {
                    name: getattr(event, name)
                    for name in EVENT_FIELDS
                    if getattr(stored[index], name) != getattr(event, name)
                }
                if delta:
                    event_updates.append((stored[index], delta))
            else:
                event_new.append(event)
        # A step the council's case system sent through the API (it carries the system's own
        # reference) is that system's to correct or withdraw: files that no longer show it leave
        # it standing (README, "The case-system API").
        event_withdrawn += [e for e in stored[len(wanted[kind]) :] if not e.source_ref]

    if not (header_changes or period_updates or period_new or event_updates or event_new) and (
        not event_withdrawn
    ):
        return
    if child.closed_on is not None:
        plan.closed_unchanged.append(child.child_id)
        return
    plan.changed_children[child.pk] = child
    changed = plan.changed_fields[child.pk]
    for name, value in header_changes.items():
        setattr(child, name, value)
        changed.add(name)
    for stored, delta in period_updates:
        for name, value in delta.items():
            setattr(stored, name, value)
        plan.changed_periods.append(stored)
        changed.add("periods of care")
    for period in period_new:
        plan.new_periods.append(_new_period(child, period))
        changed.add("periods of care")
    for stored, delta in event_updates:
        for name, value in delta.items():
            setattr(stored, name, value)
        plan.changed_events.append(stored)
        changed.add(stored.kind)
    for event in event_new:
        plan.new_events.append(_new_event(child, event, acting_user))
        changed.add(event.kind)
    for stored in event_withdrawn:
        stored.entered_in_error = True
        stored.withdrawn_reason = f"Not in the council's 903 files imported on {now:%d/%m/%Y}."
        plan.withdrawn_events.append(stored)
        changed.add(stored.kind)


def _new_period(child: Child, period: Period) -> PeriodOfCare:
    return PeriodOfCare(child=child, **{name: getattr(period, name) for name in PERIOD_FIELDS})


def _new_event(child: Child, event: Event, acting_user: User) -> JourneyEvent:
    return JourneyEvent(
        child=child,
        kind=event.kind,
        recorded_by=acting_user,
        **{name: getattr(event, name) for name in EVENT_FIELDS},
    )


# -- writing --------------------------------------------------------------------------------------


def _write(
    children: dict[str, ChildRows],
    journeys: dict[str, Journey],
    council: Council,
    acting_user: User,
    report: dict,
    tell: Progress,
    run_label: str,
    *,
    year: CollectionYear | None,
) -> None:
    tell(30, "Comparing with the records already held")
    existing = {
        child.child_id: child
        for child in Child.objects.filter(council=council, child_id__in=list(children))
        .prefetch_related(
            Prefetch("periods_of_care", queryset=PeriodOfCare.objects.order_by("entered_care")),
            Prefetch("events", queryset=JourneyEvent.objects.order_by("date", "id")),
        )
        .select_for_update(of=("self",))
    }
    plan = _plan(children, journeys, council, acting_user, existing, year)

    tell(50, "Saving children")
    history = {"default_user": acting_user, "default_change_reason": CHANGE_REASON}
    _create_with_history(plan.new_children, Child, acting_user)
    for record in (*plan.new_periods, *plan.new_events):
        record.child_id = record.child.pk
    if plan.changed_children:
        fields = sorted({f for fs in plan.changed_fields.values() for f in fs} & set(HEADER_FIELDS))
        if fields:
            bulk_update_with_history(
                [
                    c
                    for c in plan.changed_children.values()
                    if plan.changed_fields[c.pk] & set(fields)
                ],
                Child,
                fields,
                batch_size=BATCH,
                **history,
            )
    tell(65, "Saving periods of care and journey steps")
    _create_with_history(plan.new_periods, PeriodOfCare, acting_user)
    if plan.changed_periods:
        bulk_update_with_history(
            plan.changed_periods, PeriodOfCare, PERIOD_FIELDS, batch_size=BATCH, **history
        )
    _create_with_history(plan.new_events, JourneyEvent, acting_user)
    changed_events = plan.changed_events + plan.withdrawn_events
    if changed_events:
        bulk_update_with_history(
            changed_events,
            JourneyEvent,
            [*EVENT_FIELDS, "entered_in_error", "withdrawn_reason"],
            batch_size=BATCH,
            **history,
        )

    tell(75, "Checking the journeys")
    all_children = {c.child_id: c for c in plan.new_children} | existing
    touched = [c.pk for c in plan.new_children] + list(plan.changed_children)
    flagged = _store_import_flags(plan, all_children)
    if plan.changed_children:
        Child.objects.filter(pk__in=list(plan.changed_children)).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
    if touched:
        refresh_journey_summaries(Child.objects.filter(pk__in=touched))
        refresh_quality_flags(touched)
    if touched or flagged:
        mark_council_pending(council.pk)
    if touched:  # a bulk change of the region's journeys: refit its forecast once committed
        enqueue_after_commit(FORECAST_TASK, council.region_id, key=("forecast", council.region_id))

    tell(90, "Writing the audit trail and the report")
    label = f"903 import{f' {run_label}' if run_label else ''}"
    audit = [
        AuditEvent(
            user=acting_user,
            action=AuditAction.IMPORTED,
            object_type="child",
            object_id=str(child.pk),
            council=council,
            detail=f"{label}: added",
        )
        for child in plan.new_children
    ] + [
        AuditEvent(
            user=acting_user,
            action=AuditAction.IMPORTED,
            object_type="child",
            object_id=str(pk),
            council=council,
            detail=f"{label}: changed " + ", ".join(sorted(plan.changed_fields[pk]))[:400],
        )
        for pk in plan.changed_children
    ]
    AuditEvent.objects.bulk_create(audit, batch_size=BATCH)
    report["created"] = len(plan.new_children)
    report["updated"] = len(plan.changed_children)
    report["unchanged"] = len(children) - report["created"] - report["updated"]
    report["closed_not_changed"] = plan.closed_unchanged
    _report_findings(report, all_children)
    AuditEvent.objects.create(
        user=acting_user,
        action=AuditAction.IMPORTED,
        object_type="ssda903",
        object_id=run_label,
        council=council,
        detail=f"{label}: " + _counts(report),
    )


#: The columns django-simple-history adds to a history table (the rest mirror the record's).
HISTORY_COLUMNS = (
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user_id",
)


def _create_with_history(records: list, model, acting_user: User) -> None:
    """Insert new records (their pks are set) and their "created" history rows.

    On PostgreSQL the history rows are copied from the inserted rows by one INSERT ... SELECT,
    which is what makes a council's whole history quick to load; elsewhere (SQLite for the
    demo) django-simple-history's bulk helper does the same row by row.
    """
    if not records:
        return
    if connection.vendor != "postgresql":
        created = bulk_create_with_history(
            records,
            model,
            batch_size=BATCH,
            default_user=acting_user,
            default_change_reason=CHANGE_REASON,
        )
        for record, saved in zip(records, created, strict=True):
            record.pk = saved.pk
        return
    model._default_manager.bulk_create(records, batch_size=BATCH)
    history = model.history.model
    qn = connection.ops.quote_name
    columns = ", ".join(
        qn(f.column) for f in history._meta.concrete_fields if f.column not in HISTORY_COLUMNS
    )
    extra = ", ".join(qn(c) for c in HISTORY_COLUMNS[1:])
    sql = (
        f"INSERT INTO {qn(history._meta.db_table)} ({columns}, {extra}) "  # noqa: S608
        f"SELECT {columns}, %s, %s, '+', %s FROM {qn(model._meta.db_table)} WHERE id = ANY(%s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [timezone.now(), CHANGE_REASON, acting_user.pk, [r.pk for r in records]]
        )


def _counts(report: dict) -> str:
    return (
        f"{report['created']} added, {report['updated']} updated, {report['unchanged']} "
        f"unchanged, {report['not_in_process']} not in the adoption process, "
        f"{report['skipped']} skipped"
    )


def _store_import_flags(plan: _Plan, children: dict[str, Child]) -> int:
    """Replace each child's import flags where they differ from what this import found.
    Returns the number of children whose flags changed."""
    by_pk = {children[child_id].pk: child_id for child_id in plan.soft}
    stored: dict[int, set] = defaultdict(set)
    for child_pk, rule, message in DataQualityFlag.objects.filter(
        child_id__in=list(by_pk), from_import=True
    ).values_list("child_id", "rule", "message"):
        stored[child_pk].add((rule, message))
    differ = [
        pk
        for pk, child_id in by_pk.items()
        if stored[pk] != {(s.rule, s.message[:400]) for s in plan.soft[child_id]}
    ]
    if differ:
        DataQualityFlag.objects.filter(child_id__in=differ, from_import=True).delete()
        DataQualityFlag.objects.bulk_create(
            [
                DataQualityFlag(
                    child_id=pk,
                    rule=finding.rule,
                    hard=False,
                    message=finding.message[:400],
                    from_import=True,
                )
                for pk in differ
                for finding in dict.fromkeys(plan.soft[by_pk[pk]])
            ],
            batch_size=BATCH,
        )
    return len(differ)


def _report_findings(report: dict, children: dict[str, Child]) -> None:
    """Every data-quality flag of the children in the files (from the 903 rules and from the
    date rules of the journey as stored), with child ID and record id."""
    ids = {child.pk: child_id for child_id, child in children.items()}
    findings = [
        {
            "child": ids[child_pk],
            "pk": child_pk,
            "rule": rule,
            "hard": hard,
            "message": message,
        }
        for child_pk, rule, hard, message in DataQualityFlag.objects.filter(child_id__in=list(ids))
        .order_by("child_id", "id")
        .values_list("child_id", "rule", "hard", "message")
    ]
    report["findings"] = findings
    report["finding_counts"] = dict(Counter(f["rule"] for f in findings).most_common())


SYSTEM_USERNAME = "ssda903-import"


def system_user() -> User:
    """The account imports and exports run as when no person is named (from cron, say). It
    cannot sign in."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"first_name": "SSDA903", "last_name": "import", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
