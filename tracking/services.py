"""Tracking's writes (DOMAIN.md A.8): the alerts that reach the right people.

(The home page's list of children and households due or over is a read:
:func:`tracking.selectors.home_alerts`.)

* **In-app notifications**: once a day, every child or household that has just passed a
  threshold gives a :class:`TrackingNotification` to the people who look after it: the child's
  allocated social worker and the team managers over the child's council; for a household,
  the team managers over the council it was recruited in, or over the whole region
  (:func:`notify_crossings`).
* **Weekly digest**: each team manager gets one email listing the children and households
  due or over in the councils they manage, and in no other (:func:`send_weekly_digests`).
  The email carries identifiers (child ID, household reference), never names: it leaves the
  system, and the records are one click away for those who may open them.

The daily and weekly jobs are Celery tasks (:mod:`tracking.tasks`) scheduled by beat.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from adopters.models import Household
from children.models import Child
from raa import access
from raa.models import AuditAction, Council, Role, User
from raa.services import audit_record
from tracking import checks
from tracking.models import DigestSent, MeetingAction, TrackingMeeting, TrackingNotification
from tracking.selectors import (
    Row,
    child_rows,
    children_in_process_in,
    due_or_over,
    household_rows,
    households_in_process_among,
    possible_owners,
)

log = logging.getLogger(__name__)

#: A threshold passed this many days ago or less still counts as "just crossed", so a missed
#: day (worker down, bank holiday) is caught up, while the first run does not notify about
#: every record that went over years ago.
CROSSING_WINDOW_DAYS = 7

#: The annotation giving the first day over of each running check, and the check's code.
CHILD_CHECK_FIELDS = {rule.over: rule.code for rule in checks.CHILD_RULES}
HOUSEHOLD_CHECK_FIELDS = {rule.over: rule.code for rule in checks.HOUSEHOLD_RULES}


@transaction.atomic
def mark_notifications_read(user) -> int:
    """Mark all the person's notifications read. Returns how many."""
    return TrackingNotification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# Notifications ----------------------------------------------------------------------------------


def _social_worker_may_see(user_id: int, council_id: int, cache: dict) -> bool:
    if user_id not in cache:
        user = User.objects.filter(pk=user_id, is_active=True).first()
        cache[user_id] = access.council_ids_for(user, access.TRACKING_ROLES) if user else set()
    return council_id in cache[user_id]


@transaction.atomic
def notify_crossings(*, today: date | None = None) -> int:
    """Give a notification to each person who looks after a child or household whose running
    threshold was passed in the last :data:`CROSSING_WINDOW_DAYS` days. Idempotent: a
    notification already given is not given again. Returns the number of new notifications."""
    today = today or timezone.localdate()
    since = today - timedelta(days=CROSSING_WINDOW_DAYS - 1)
    table = checks.thresholds()
    managers, region_managers = access.holders_by_council({Role.TEAM_MANAGER})
    workers_scope: dict = {}
    notes: list[TrackingNotification] = []

    def crossed(fields) -> Q:
        q = Q()
        for field in fields:
            q |= Q(**{f"{field}__gte": since, f"{field}__lte": today})
        return q

    def notices(row: dict, fields: dict, people: set, **record) -> list[TrackingNotification]:
        return [
            TrackingNotification(user_id=uid, check_code=code, over_from=row[field], **record)
            for field, code in fields.items()
            if row[field] and since <= row[field] <= today
            for uid in people
        ]

    children = children_in_process_in(Council.objects.values("id"), table).filter(
        crossed(CHILD_CHECK_FIELDS)
    )
    for child in children.values(
        "id", "council_id", "allocated_social_worker_id", *CHILD_CHECK_FIELDS
    ):
        people = set(managers.get(child["council_id"], ()))
        worker = child["allocated_social_worker_id"]
        if worker and _social_worker_may_see(worker, child["council_id"], workers_scope):
            people.add(worker)
        notes += notices(child, CHILD_CHECK_FIELDS, people, child_id=child["id"])

    households = households_in_process_among(Household.objects.all(), table).filter(
        crossed(HOUSEHOLD_CHECK_FIELDS)
    )
    for h in households.values("id", "region_id", "recruiting_council_id", *HOUSEHOLD_CHECK_FIELDS):
        people = set(region_managers.get(h["region_id"], ()))
        if h["recruiting_council_id"]:
            people |= managers.get(h["recruiting_council_id"], set())
        notes += notices(h, HOUSEHOLD_CHECK_FIELDS, people, household_id=h["id"])
    before = TrackingNotification.objects.count()
    TrackingNotification.objects.bulk_create(notes, ignore_conflicts=True, batch_size=1000)
    return TrackingNotification.objects.count() - before


# Weekly digest ----------------------------------------------------------------------------------


@dataclass
class Digest:
    user: User
    subject: str
    body: str
    children: int
    households: int


def _check_line(check: checks.Check) -> str:
    if check.status == checks.OVER:
        when = f"over since {check.over_from:%d/%m/%Y}"
    else:
        when = f"over from {check.over_from:%d/%m/%Y} ({check.days_left} days left)"
    return f"{check.label}: {check.days} days, limit {check.limit}, {when}"


def _record_lines(record: str, row: Row) -> list[str]:
    """A child's or household's lines in the digest: its status, then each running check that
    is due or over."""
    return [f"  - {record}: {row.status_label.lower()}"] + [
        f"      {_check_line(c)}"
        for c in row.checks
        if not c.done and c.status in (checks.OVER, checks.DUE)
    ]


def digest_for(user: User, *, today: date, table: dict) -> Digest | None:
    """The weekly digest for one team manager: children and households due or over in the
    councils where they are a team manager (only those; households: those they look after,
    Household.looked_after_by), or None if they manage none."""
    council_ids = access.council_ids_for(user, {Role.TEAM_MANAGER})
    if not council_ids:
        return None
    councils = list(Council.objects.filter(id__in=council_ids).order_by("name"))
    children = (
        children_in_process_in(council_ids, table)
        .filter(due_or_over(today, table))
        .select_related("council")
        .order_by("council__name", "next_over", "id")
    )
    rows_by_council = defaultdict(list)
    for row in child_rows(children, today=today, table=table):
        rows_by_council[row.record.council_id].append(row)
    households = (
        households_in_process_among(
            Household.objects.looked_after_by(user, {Role.TEAM_MANAGER}), table
        )
        .filter(due_or_over(today, table))
        .order_by("next_over", "reference")
    )
    household_lines = household_rows(households, today=today, table=table)

    lines = [
        f"Tracking digest for the week of {today:%d/%m/%Y}",
        "",
        "Children and households that are over a tracking threshold, or due within "
        f"{table['due_soon'].amount} days, in the councils you manage. Open the tracking list "
        "to see the records: /tracking/",
        "",
    ]
    total_children = 0
    for council in councils:
        rows = rows_by_council.get(council.id, [])
        total_children += len(rows)
        over = sum(r.status == checks.OVER for r in rows)
        lines.append(f"{council.name} ({council.la_code}): {over} over, {len(rows) - over} due")
        lines.append(f"  /tracking/?council={council.id}&status=over")
        for row in rows:
            lines += _record_lines(f"Child {row.record.child_id}", row)
        lines.append("")
    lines.append(f"Households: {len(household_lines)} due or over")
    for row in household_lines:
        lines += _record_lines(f"Household {row.record.reference}", row)
    overdue = _overdue_actions_in(council_ids, user, today)
    lines += ["", f"Tracking meeting actions overdue: {len(overdue)}"]
    for action in overdue:
        record = (
            f"Child {action.child.child_id}"
            if action.child_id
            else f"Household {action.household.reference}"
        )
        owner = action.owner.get_full_name() or action.owner.username
        lines.append(f"  - {record}: due {action.due_date:%d/%m/%Y}, {owner}")
    lines += ["", "Official – sensitive. This email holds identifiers only, no names."]
    subject = (
        f"Tracking digest {today:%d/%m/%Y}: {total_children} children, "
        f"{len(household_lines)} households due or over"
    )
    return Digest(user, subject, "\n".join(lines), total_children, len(household_lines))


def _overdue_actions_in(council_ids: set[int], user: User, today: date) -> list[MeetingAction]:
    """Tracking meeting actions not done by their date, about children of these councils or
    households the team manager looks after."""
    households = Household.objects.looked_after_by(user, {Role.TEAM_MANAGER}).values("id")
    return list(
        MeetingAction.objects.filter(
            Q(child__council_id__in=council_ids) | Q(household_id__in=households),
            done_on__isnull=True,
            due_date__lt=today,
        )
        .select_related("child", "household", "owner")
        .order_by("due_date", "id")
    )


def send_weekly_digests(*, today: date | None = None) -> int:
    """Email each active team manager with an email address their digest. Returns how many
    were sent."""
    today = today or timezone.localdate()
    table = checks.thresholds()
    sent = 0
    managers = (
        User.objects.filter(
            is_active=True,
            memberships__role=Role.TEAM_MANAGER,
            memberships__ended_at__isnull=True,
        )
        .exclude(email="")
        .distinct()
        .order_by("id")
    )
    week_of = today - timedelta(days=today.weekday())
    for user in managers:
        digest = digest_for(user, today=today, table=table)
        if digest is None:
            continue
        try:
            with transaction.atomic():
                claim = DigestSent.objects.create(user=user, week_of=week_of)
        except IntegrityError:
            continue  # already sent this week
        try:
            send_mail(
                digest.subject,
                digest.body,
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
                fail_silently=False,
            )
        except Exception:
            claim.delete()  # not sent: the next run tries again
            log.exception("tracking digest to user %s failed", user.pk)
            continue
        sent += 1
        log.info("tracking digest sent to user %s", user.pk)
    return sent


# Tracking meetings and their actions ------------------------------------------------------------


#: How the audit log names a meeting and an action.
_AUDIT_TYPES = {TrackingMeeting: "tracking_meeting", MeetingAction: "meeting_action"}


def _audited(record, acting_user: User, action: str, council: Council | None, detail: str = ""):
    """Write the audit row of a change to a meeting or an action; returns the record."""
    audit_record(
        user=acting_user,
        action=action,
        object_type=_AUDIT_TYPES[type(record)],
        object_id=record.pk,
        council=council,
        detail=detail,
    )
    return record


def _may_run_meeting_over(user: User, council: Council | None, region_id: int) -> bool:
    if council is None:
        return region_id in access.region_ids_for(user, access.MEETING_ROLES)
    return access.has_role_over(user, access.MEETING_ROLES, council)


def _check_meeting_fields(meeting_date: date, attendees: str) -> None:
    errors = {}
    if meeting_date > timezone.localdate():
        errors["meeting_date"] = (
            f"The meeting date ({meeting_date:%d/%m/%Y}) is in the future: record a meeting on "
            "or after the day it met."
        )
    if not attendees.strip():
        errors["attendees"] = "Write who attended the meeting, one person a line."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def meeting_record(
    *,
    acting_user: User,
    region_id: int,
    council: Council | None,
    meeting_date: date,
    attendees: str,
) -> TrackingMeeting:
    """Record that a tracking meeting met (for a council, or the whole region with ``council``
    None): its date and who attended. Refused (PermissionDenied) to anyone who does not hold a
    meeting role over that council or region."""
    if not _may_run_meeting_over(acting_user, council, region_id):
        raise PermissionDenied("You may not record a tracking meeting for this council.")
    _check_meeting_fields(meeting_date, attendees)
    meeting = TrackingMeeting.objects.create(
        region_id=region_id,
        council=council,
        meeting_date=meeting_date,
        attendees=attendees.strip(),
        created_by=acting_user,
    )
    return _audited(meeting, acting_user, AuditAction.CREATED, council)


@transaction.atomic
def meeting_update(
    *, meeting: TrackingMeeting, acting_user: User, meeting_date: date, attendees: str
) -> TrackingMeeting:
    """Correct a meeting's date or who attended (the earlier values stay in its history)."""
    if not _may_run_meeting_over(acting_user, meeting.council, meeting.region_id):
        raise PermissionDenied("You may not change this tracking meeting.")
    _check_meeting_fields(meeting_date, attendees)
    meeting.meeting_date = meeting_date
    meeting.attendees = attendees.strip()
    meeting.save(update_fields=["meeting_date", "attendees"])
    return _audited(meeting, acting_user, AuditAction.CHANGED, meeting.council)


@transaction.atomic
def action_add(
    *,
    meeting: TrackingMeeting,
    acting_user: User,
    what: str,
    owner: User,
    due_date: date,
    child: Child | None = None,
    household: Household | None = None,
) -> MeetingAction:
    """Record an action the meeting decided for one child or one household: what, who (a person
    with a tracking role over the record's council or region) and by when (not before the
    meeting). The caller fetched the record through the person's scoped queryset."""
    if (child is None) == (household is None):
        raise ValueError("An action is about one child or one household.")
    if not _may_run_meeting_over(acting_user, meeting.council, meeting.region_id):
        raise PermissionDenied("You may not record actions for this tracking meeting.")
    council = child.council if child is not None else household.recruiting_council
    if child is not None and meeting.council_id and child.council_id != meeting.council_id:
        raise PermissionDenied("This child is not in the meeting's council.")
    errors = {}
    if not what.strip():
        errors["what"] = "Write what is to be done."
    if not possible_owners(council, meeting.region_id).filter(pk=owner.pk).exists():
        errors["owner"] = (
            f"{owner.get_full_name() or owner.username} holds no tracking role over "
            f"{council.name if council else 'the region'}: choose someone who does."
        )
    if due_date < meeting.meeting_date:
        errors["due_date"] = (
            f"By when ({due_date:%d/%m/%Y}) is before the meeting "
            f"({meeting.meeting_date:%d/%m/%Y}): choose the day it should be done by."
        )
    if errors:
        raise ValidationError(errors)
    action = MeetingAction.objects.create(
        meeting=meeting,
        child=child,
        household=household,
        what=what.strip(),
        owner=owner,
        due_date=due_date,
        created_by=acting_user,
    )
    return _audited(action, acting_user, AuditAction.CREATED, council)


@transaction.atomic
def action_mark_done(
    *, action: MeetingAction, acting_user: User, done_on: date | None = None
) -> MeetingAction:
    """Mark an action done (today unless ``done_on`` says otherwise): by its owner, or by
    someone who may run the meeting. Marking a done action again changes nothing."""
    if action.owner_id != acting_user.pk and not _may_run_meeting_over(
        acting_user, action.meeting.council, action.meeting.region_id
    ):
        raise PermissionDenied("Only the action's owner or a team manager may mark it done.")
    if action.done_on is not None:
        return action
    action.done_on = done_on or timezone.localdate()
    action.done_by = acting_user
    action.save(update_fields=["done_on", "done_by"])
    council = action.child.council if action.child_id else None
    return _audited(action, acting_user, AuditAction.CHANGED, council, "marked done")
