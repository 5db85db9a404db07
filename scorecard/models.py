"""Scorecard reference data (thresholds, national figures) and the stored results; what needs
recomputing is marked by :mod:`raa.freshness`."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from raa.models import Council, Region
from scorecard import periods as P


class ScorecardThreshold(models.Model):
    """The A1, A2 and A3 thresholds of one scorecard window (DOMAIN.md A.3).

    A row applies to its window and every later one up to the next row, so "2013-16 and later"
    is one row. Reference data: seeded by a migration, changed by administrators (history kept).
    """

    first_year = models.PositiveSmallIntegerField(
        unique=True, help_text="The first financial year of the window: 2013 for 2013-16."
    )
    a1_days = models.PositiveIntegerField("A1 and A10 threshold (days)")
    a2_days = models.PositiveIntegerField("A2 threshold (days)")
    a3_months = models.PositiveSmallIntegerField("A3: less than N months")
    history = HistoricalRecords()

    class Meta:
        ordering = ["first_year"]

    def __str__(self) -> str:
        return f"{self.window_label} and later"

    @property
    def window_label(self) -> str:
        return P.window(self.first_year).label


class NationalFigure(models.Model):
    """A published England figure to compare with (DOMAIN.md Part B §2.5). Reference data."""

    measure = models.CharField(max_length=40, help_text="A1, A2, A11, ...")
    period = models.CharField(max_length=60, help_text="2009-12, 2015-18, 31 Mar 2018, ...")
    value = models.DecimalField(max_digits=12, decimal_places=1)
    unit = models.CharField(max_length=20, blank=True, help_text="days, families, children")
    note = models.CharField(max_length=200, blank=True)
    source = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "period"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="national_figure_unique")
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.period}: {self.value} {self.unit}"


class ScorecardResult(models.Model):
    """Every stored figure of one scope (a council, or the region when ``council`` is empty)
    for one period, as the last recompute left them.

    ``measures`` maps a measure code to ``{"value", "numerator", "denominator", "excluded",
    "threshold", "sum"}`` (``sum`` is the total of days behind a mean, kept so a region's figure
    is exactly the sum of its councils'). Written only by scorecard.services, whole scopes at a
    time inside one transaction; read through scorecard.selectors.
    """

    # Derived rows, rewritten whole by every recompute: no database foreign keys (checking
    # ~15,000 of them at each national recompute's commit costs more than it guards; Django
    # still cascades deletes) and no single-column indexes (the unique constraints and the
    # index below lead with these columns).
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    council = models.ForeignKey(
        Council,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    kind = models.CharField(max_length=10)
    label = models.CharField(max_length=40)
    start = models.DateField()
    end = models.DateField()
    measures = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["region_id", "council_id", "start", "end"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "kind", "start", "end"],
                condition=Q(council__isnull=False),
                name="scorecard_result_council_unique",
            ),
            models.UniqueConstraint(
                fields=["region", "kind", "start", "end"],
                condition=Q(council__isnull=True),
                name="scorecard_result_region_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "council", "kind", "end"]),
        ]

    def __str__(self) -> str:
        return f"{self.council or self.region} {self.label}"


from scorecard.reports.models import BoardReport, ReportFile, ReportVersion  # noqa: E402, F401
