"""Scorecard reference data and the bookkeeping of what needs recomputing."""

from django.db import models
from simple_history.models import HistoricalRecords

from raa.models import Council


class RecomputeMarker(models.Model):
    """A council whose stored figures are out of date.

    Written in the same transaction as the change to case data that made them stale, so the
    database, not the message broker, is the record of what still has to be recomputed.
    """

    council = models.OneToOneField(
        Council, on_delete=models.CASCADE, related_name="recompute_marker"
    )
    requested_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.council} pending since {self.requested_at:%d/%m/%Y %H:%M}"


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
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.label}: {self.amount} {self.unit}"


from scorecard.reports.models import BoardReport, ReportFile, ReportVersion  # noqa: E402, F401
