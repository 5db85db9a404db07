"""Tracking (DOMAIN.md A.8): the thresholds, and the notices and digests sent about them.

The tables were created by the scorecard app and keep their names (``scorecard_*``).
"""

from django.db import models
from simple_history.models import HistoricalRecords


class ThresholdUnit(models.TextChoices):
    DAYS = "days", "days"
    MONTHS = "months", "months"


class TrackingThreshold(models.Model):
    """A threshold of DOMAIN.md A.8 that tracking lists and timelines compare against.

    Reference data: seeded by a migration, changed by administrators in the admin (each change
    kept in its history).
    """

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=200)
    amount = models.PositiveIntegerField()
    unit = models.CharField(max_length=6, choices=ThresholdUnit.choices)
    history = HistoricalRecords(table_name="scorecard_historicaltrackingthreshold")

    class Meta:
        db_table = "scorecard_trackingthreshold"  # kept from before the move
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.label}: {self.amount} {self.unit}"


class TrackingNotification(models.Model):
    """An in-app notice to one person that a child or household has just passed a tracking
    threshold (DOMAIN.md A.8: crossed into "over").

    One row per person, record, threshold and day passed (a constraint), so the daily job that
    writes them can run twice, or catch up after a missed day, without telling anyone twice.
    Holds identifiers only; the page shows the record through the person's scoped querysets.
    """

    user = models.ForeignKey(
        "raa.User", on_delete=models.CASCADE, related_name="tracking_notifications"
    )
    child = models.ForeignKey(
        "children.Child", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    household = models.ForeignKey(
        "adopters.Household", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    check_code = models.SlugField(max_length=40)
    over_from = models.DateField("over from")
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "scorecard_trackingnotification"
        ordering = ["-over_from", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(child__isnull=False, household__isnull=True)
                | models.Q(child__isnull=True, household__isnull=False),
                name="tracking_notification_one_record",
            ),
            models.UniqueConstraint(
                fields=["user", "child", "check_code", "over_from"],
                condition=models.Q(child__isnull=False),
                name="tracking_notification_once_per_child",
            ),
            models.UniqueConstraint(
                fields=["user", "household", "check_code", "over_from"],
                condition=models.Q(household__isnull=False),
                name="tracking_notification_once_per_household",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.check_code} over from {self.over_from:%d/%m/%Y}"


class DigestSent(models.Model):
    """The weekly tracking digest a team manager has been sent: claimed before sending, so a
    second run of the weekly job (a retry, two beat processes) does not email them twice."""

    user = models.ForeignKey("raa.User", on_delete=models.CASCADE, related_name="+")
    week_of = models.DateField(help_text="The Monday of the week the digest is for.")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "scorecard_digestsent"
        constraints = [
            models.UniqueConstraint(fields=["user", "week_of"], name="digest_once_a_week")
        ]

    def __str__(self) -> str:
        return f"digest for the week of {self.week_of:%d/%m/%Y}"


class TrackingMeeting(models.Model):
    """The monthly tracking meeting (DOMAIN.md A.8): when it met, for which council (or the
    whole region), and who attended; its actions are :class:`MeetingAction` rows. Each change
    kept in its history."""

    region = models.ForeignKey("raa.Region", on_delete=models.PROTECT, related_name="+")
    council = models.ForeignKey(
        "raa.Council",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for a meeting about the whole region.",
    )
    meeting_date = models.DateField("date of the meeting")
    attendees = models.TextField("who attended", help_text="Names and roles, one a line.")
    created_by = models.ForeignKey("raa.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-meeting_date", "-id"]

    def __str__(self) -> str:
        return f"tracking meeting {self.meeting_date:%d/%m/%Y}"

    @property
    def attendee_list(self) -> list[str]:
        return [line.strip() for line in self.attendees.splitlines() if line.strip()]


class MeetingAction(models.Model):
    """One action a tracking meeting decided for a child or a household: what, who, by when;
    marked done (date and by whom) when it is. Never deleted; each change kept in its history."""

    meeting = models.ForeignKey(TrackingMeeting, on_delete=models.PROTECT, related_name="actions")
    child = models.ForeignKey(
        "children.Child", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    household = models.ForeignKey(
        "adopters.Household", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    what = models.TextField("action")
    owner = models.ForeignKey(
        "raa.User", on_delete=models.PROTECT, related_name="meeting_actions", verbose_name="who"
    )
    due_date = models.DateField("by when")
    done_on = models.DateField("done on", null=True, blank=True)
    done_by = models.ForeignKey(
        "raa.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey("raa.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["owner", "done_on", "due_date"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(child__isnull=False, household__isnull=True)
                | models.Q(child__isnull=True, household__isnull=False),
                name="meeting_action_one_record",
            ),
            models.CheckConstraint(
                condition=models.Q(done_on__isnull=True) | models.Q(done_by__isnull=False),
                name="meeting_action_done_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return f"action by {self.due_date:%d/%m/%Y}"

    def is_overdue(self, today) -> bool:
        return self.done_on is None and self.due_date < today
