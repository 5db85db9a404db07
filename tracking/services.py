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
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from adopters.models import Household
from raa import access
from raa.models import Council, Role, User
from tracking import checks
from tracking.models import DigestSent, TrackingNotification
from tracking.selectors import (
    child_rows,
    children_in_process_in,
    due_or_over,
    household_rows,
    households_in_process_among,
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
            lines.append(f"  - Child {row.record.child_id}: {row.status_label.lower()}")
            lines += [
                f"      {_check_line(c)}"
                for c in row.checks
                if not c.done and c.status in (checks.OVER, checks.DUE)
            ]
        lines.append("")
    lines.append(f"Households: {len(household_lines)} due or over")
    for row in household_lines:
        lines.append(f"  - Household {row.record.reference}: {row.status_label.lower()}")
        lines += [
            f"      {_check_line(c)}"
            for c in row.checks
            if not c.done and c.status in (checks.OVER, checks.DUE)
        ]
    lines += ["", "Official – sensitive. This email holds identifiers only, no names."]
    subject = (
        f"Tracking digest {today:%d/%m/%Y}: {total_children} children, "
        f"{len(household_lines)} households due or over"
    )
    return Digest(user, subject, "\n".join(lines), total_children, len(household_lines))


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
