"""Board reports and their versions.

A :class:`BoardReport` is one financial-year quarter for the region or one partner council. Its
:class:`ReportVersion` rows are the drafts and publications: one draft at a time, which managers
edit (the figures live, the narrative editable); publishing freezes the figures (as the board
sees them, suppressed) and the rendered files (:class:`ReportFile`) so the version reads the same
forever. A correction is a new version; the one it replaces is kept, marked superseded.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from raa.models import Council, Region
from scorecard import periods as P
from scorecard.reports.querysets import BoardReportQuerySet


class BoardReport(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="board_reports")
    council = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="board_reports",
        help_text="Empty for the whole region.",
    )
    year = models.PositiveSmallIntegerField(
        help_text="The first calendar year of the financial year: 2018 for 2018-19."
    )
    quarter = models.PositiveSmallIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BoardReportQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-quarter", "council__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="board_report_quarter_1_to_4"
            ),
            models.UniqueConstraint(
                fields=["council", "year", "quarter"],
                condition=Q(council__isnull=False),
                name="board_report_one_per_council_quarter",
            ),
            models.UniqueConstraint(
                fields=["region", "year", "quarter"],
                condition=Q(council__isnull=True),
                name="board_report_one_per_region_quarter",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope_label}: {self.period_label}"

    @property
    def year_label(self) -> str:
        return P.fy_label(self.year)

    @property
    def period_label(self) -> str:
        return P.quarter(self.year, self.quarter).label

    @property
    def scope_label(self) -> str:
        return self.council.name if self.council_id else self.region.name


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Superseded by a correction"


class RenderState(models.TextChoices):
    IDLE = "idle", "Not rendering"
    QUEUED = "queued", "Waiting to render"
    RUNNING = "running", "Rendering"
    FAILED = "failed", "Rendering failed"


class ReportVersion(models.Model):
    report = models.ForeignKey(BoardReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    summary = models.TextField(blank=True)
    going_well = models.TextField("what is going well", blank=True)
    risks = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    correction_note = models.TextField(
        "what this correction changes",
        blank=True,
        help_text="Required for a correction: shown on the report beside the version number.",
    )
    cohort_date = models.DateField(
        "cohort comparison date",
        null=True,
        blank=True,
        help_text="Compare children placed before this date with those placed on or after it.",
    )
    #: The figures as published (suppressed), frozen with the files. Empty while a draft.
    figures = models.JSONField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    render_state = models.CharField(
        max_length=10, choices=RenderState.choices, default=RenderState.IDLE, editable=False
    )
    render_progress = models.PositiveSmallIntegerField(default=0, editable=False)
    render_step = models.CharField(max_length=200, blank=True, editable=False)
    render_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    render_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    history = HistoricalRecords(
        excluded_fields=[
            "figures",
            "render_state",
            "render_progress",
            "render_step",
            "render_requested_at",
            "render_requested_by",
        ]
    )

    class Meta:
        ordering = ["report_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="report_version_number"),
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(status="draft"),
                name="report_one_draft_at_a_time",
            ),
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(status="published"),
                name="report_one_current_publication",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False, figures__isnull=False),
                name="report_version_published_has_figures",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.number} ({self.get_status_display()})"

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @property
    def is_rendering(self) -> bool:
        return self.render_state in (RenderState.QUEUED, RenderState.RUNNING)


class FileFormat(models.TextChoices):
    HTML = "html", "Web page"
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel workbook"


CONTENT_TYPES = {
    FileFormat.HTML: "text/html; charset=utf-8",
    FileFormat.PDF: "application/pdf",
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ReportFile(models.Model):
    """A rendered file of a published version, kept in the database so it is written in the
    same transaction as the publication (all or nothing) and never changes afterwards."""

    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, related_name="files")
    format = models.CharField(max_length=4, choices=FileFormat.choices)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "format"], name="report_file_one_per_format")
        ]

    def __str__(self) -> str:
        return f"{self.version} {self.format}"
