"""Writes of board reports: start a draft, edit its narrative, publish it (render and freeze),
correct a publication with a new version.

Each write checks the person may edit the report's scope, runs in one transaction and writes
the history (simple-history) and the audit row with it. Publishing is two steps: the request
(queued, in the person's transaction) and the render (:func:`render_and_publish`, run by the
Celery task), which writes the figures, the files and the publication in one transaction at
the end, or nothing at all.
"""

import hashlib
import logging
import re
from collections.abc import Callable
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from children.models import Child
from raa import access
from raa.freshness import enqueue_after_commit, send_now
from raa.models import AuditAction, Council, Region, User
from raa.services import audit_record
from scorecard import periods as P
from scorecard.reports import rendering
from scorecard.reports.figures import build_figures
from scorecard.reports.models import (
    BoardReport,
    FileFormat,
    RenderState,
    ReportFile,
    ReportVersion,
    VersionStatus,
)
from scorecard.reports.presentation import present

logger = logging.getLogger(__name__)

NARRATIVE_FIELDS = (
    "summary",
    "going_well",
    "risks",
    "next_steps",
    "correction_note",
    "cohort_date",
)
#: The render job (scorecard.reports.tasks), sent by name: tasks call services, not the reverse.
RENDER_TASK = "scorecard.render_board_report"
#: A render still "running" after this long was lost with its worker: it may be asked again.
STALE_RENDER = timedelta(seconds=getattr(settings, "CELERY_TASK_TIME_LIMIT", 900))


def may_edit(user: User, report: BoardReport) -> bool:
    return BoardReport.objects.editable_by(user).filter(pk=report.pk).exists()


def _require_edit(user: User, report: BoardReport) -> None:
    if not may_edit(user, report):
        raise PermissionDenied("Only managers of the report's council or region may change it.")


def _audit(user: User, version: ReportVersion, action: str, detail: str) -> None:
    audit_record(
        user=user,
        action=action,
        object_type="reportversion",
        object_id=version.pk,
        council=version.report.council,
        detail=detail,
    )


@transaction.atomic
def report_start(
    *,
    acting_user: User,
    region: Region,
    council: Council | None,
    year: int,
    quarter: int,
    today: date | None = None,
) -> ReportVersion:
    """A new report for the quarter with its first draft. Refuses a quarter that has not
    started, a scope the person may not edit, and a quarter that already has a report."""
    today = today or timezone.localdate()
    start = P.quarter(year, quarter).start
    if start > today:
        raise ValidationError(
            {
                "quarter": f"{P.quarter_name(quarter)} {P.fy_label(year)} has not started yet "
                f"(it starts on {start:%d/%m/%Y})."
            }
        )
    if council is not None and council.region_id != region.pk:
        raise ValidationError({"council": "That council is not a partner of this region."})
    probe = BoardReport(region=region, council=council, year=year, quarter=quarter)
    allowed = (
        council.pk in access.council_ids_for(acting_user, access.REPORT_EDIT_ROLES)
        if council
        else region.pk in access.region_ids_for(acting_user, access.REPORT_EDIT_ROLES)
    )
    if not allowed:
        raise PermissionDenied(f"You may not draft reports for {probe.scope_label}.")
    existing = BoardReport.objects.filter(
        region=region, council=council, year=year, quarter=quarter
    ).first()
    if existing:
        raise ValidationError(
            f"There is already a report for {existing}: open it from the list of reports."
        )
    report = BoardReport.objects.create(
        region=region, council=council, year=year, quarter=quarter, created_by=acting_user
    )
    version = ReportVersion(report=report, number=1, created_by=acting_user)
    version._history_user = acting_user
    version.save()
    _audit(acting_user, version, AuditAction.CREATED, f"board report {report} drafted")
    return version


@transaction.atomic
def version_save_narrative(*, version: ReportVersion, acting_user: User, fields: dict) -> list[str]:
    """Change the draft's narrative (and cohort date). Returns the names of the fields that
    changed. A published version never changes: correct it with a new version."""
    version = (
        ReportVersion.objects.select_for_update(of=("self",))
        .select_related("report")
        .get(pk=version.pk)
    )
    _require_edit(acting_user, version.report)
    unknown = set(fields) - set(NARRATIVE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown report fields: {', '.join(sorted(unknown))}")
    if not version.is_draft:
        raise ValidationError("A published report does not change: start a correction instead.")
    if version.is_rendering:
        raise ValidationError("The report is being published: wait until it is done.")
    for name in NARRATIVE_FIELDS[:5]:
        if isinstance(fields.get(name), str) and _names_a_child(version.report, fields[name]):
            raise ValidationError(
                {
                    name: "This names a child (their name or ID): a board report holds aggregate "
                    "figures only. Describe the group instead."
                }
            )
    changed = [name for name, value in fields.items() if getattr(version, name) != value]
    for name in changed:
        setattr(version, name, fields[name])
    if changed:
        version.full_clean()
        version._history_user = acting_user
        version.save()
        _audit(acting_user, version, AuditAction.CHANGED, "changed: " + ", ".join(changed))
    return changed


def _names_a_child(report: BoardReport, text: str) -> bool:
    """Whether the text holds the council's ID of a child in the report's scope, or a child's
    first and last name one after the other. One query; nothing read is kept or logged."""
    words = re.findall(r"[\w'-]+", text)
    if not words:
        return False
    pairs = list(zip(words, words[1:], strict=False))[:400]
    match = Q(child_id__in=words[:400])
    for first, last in pairs:
        match |= Q(first_name__iexact=first, last_name__iexact=last)
    children = Child.objects.filter(council__region_id=report.region_id)
    if report.council_id:
        children = children.filter(council_id=report.council_id)
    return children.filter(match).exists()


def _may_render_again(version: ReportVersion) -> bool:
    if version.render_state in (RenderState.IDLE, RenderState.FAILED):
        return True
    requested = version.render_requested_at
    return requested is not None and timezone.now() - requested > STALE_RENDER


@transaction.atomic
def version_request_publication(*, version: ReportVersion, acting_user: User) -> ReportVersion:
    """Queue the draft for rendering and publication (the Celery task runs after this
    transaction commits). A correction needs its note first."""
    version = (
        ReportVersion.objects.select_for_update(of=("self",))
        .select_related("report")
        .get(pk=version.pk)
    )
    _require_edit(acting_user, version.report)
    if not version.is_draft:
        raise ValidationError("This version is already published.")
    if not _may_render_again(version):
        raise ValidationError("The report is already being published.")
    if version.number > 1 and not version.correction_note.strip():
        raise ValidationError(
            {"correction_note": "Say what this correction changes before publishing it."}
        )
    ReportVersion.objects.filter(pk=version.pk).update(
        render_state=RenderState.QUEUED,
        render_progress=0,
        render_step="Waiting for the report renderer",
        render_requested_at=timezone.now(),
        render_requested_by=acting_user,
    )
    _audit(acting_user, version, AuditAction.CHANGED, "publication requested")
    version_id, user_id = version.pk, acting_user.pk
    # robust: with the broker down the request still succeeds; the version stays queued in
    # the database and the sweep (:func:`requeue_lost_renders`) sends it again.
    enqueue_after_commit(RENDER_TASK, version_id, user_id)
    version.refresh_from_db()
    return version


def _progress(version_id: int, percent: int, step: str) -> None:
    """Written outside any transaction, so the page polling for progress sees it at once."""
    ReportVersion.objects.filter(pk=version_id).update(render_progress=percent, render_step=step)


def version_meta(version: ReportVersion, *, status: str | None = None, published_at=None) -> dict:
    report = version.report
    return rendering.meta_for(
        region=report.region.name,
        scope_name=report.scope_label,
        period_label=report.period_label,
        version=version.number,
        status=status or version.get_status_display(),
        narrative={name: getattr(version, name) for name in NARRATIVE_FIELDS[:4]},
        published_at=published_at or version.published_at,
        correction_note=version.correction_note,
    )


def live_figures(version: ReportVersion, *, suppress: bool = True) -> dict:
    """The draft's figures as they stand now, presented as the board would see them."""
    report = version.report
    raw = build_figures(
        region=report.region,
        council=report.council,
        year=report.year,
        quarter=report.quarter,
        cohort_date=version.cohort_date,
    )
    return present(raw, suppress=suppress)


def render_all(figures: dict, meta: dict, progress: Callable[[int, str], None]) -> dict:
    """The three renderings, in memory: {format: bytes}."""
    progress(35, "Laying out the web page")
    fragment = rendering.render_fragment(figures, meta)
    progress(50, "Printing the PDF")
    pdf = rendering.render_pdf(fragment, meta)
    progress(80, "Writing the Excel workbook")
    xlsx = rendering.render_xlsx(figures, meta)
    return {FileFormat.HTML: fragment.encode("utf-8"), FileFormat.PDF: pdf, FileFormat.XLSX: xlsx}


def render_and_publish(*, version_id: int, acting_user_id: int) -> str:
    """The render job: claim the queued draft, compute and freeze its figures, render the web
    page, PDF and workbook, and publish them in one transaction. Idempotent: a version that
    is not queued (already published, or claimed by another worker) is left alone. On any
    error nothing is written but the failure, and the draft stays a draft. Returns what
    happened ("published", "skipped" or "failed")."""
    claimed = ReportVersion.objects.filter(
        pk=version_id, status=VersionStatus.DRAFT, render_state=RenderState.QUEUED
    ).update(render_state=RenderState.RUNNING, render_progress=5, render_step="Starting")
    if not claimed:
        return "skipped"
    try:
        version = ReportVersion.objects.select_related("report__region", "report__council").get(
            pk=version_id
        )
        acting_user = User.objects.get(pk=acting_user_id)
        _progress(version_id, 10, "Reading the figures")
        figures = live_figures(version)
        now = timezone.now()
        meta = version_meta(version, status=VersionStatus.PUBLISHED.label, published_at=now)
        files = render_all(figures, meta, lambda p, s: _progress(version_id, p, s))
        _progress(version_id, 95, "Publishing")
        with transaction.atomic():
            version = ReportVersion.objects.select_for_update(of=("self",)).get(pk=version_id)
            if version.status != VersionStatus.DRAFT or version.render_state != RenderState.RUNNING:
                return "skipped"
            for previous in ReportVersion.objects.select_for_update(of=("self",)).filter(
                report_id=version.report_id, status=VersionStatus.PUBLISHED
            ):
                previous.status = VersionStatus.SUPERSEDED
                previous._history_user = acting_user
                previous.save(update_fields=["status"])
            for file_format, content in files.items():
                ReportFile.objects.create(
                    version=version,
                    format=file_format,
                    content=content,
                    sha256=hashlib.sha256(content).hexdigest(),
                    size=len(content),
                )
            version.figures = figures
            version.status = VersionStatus.PUBLISHED
            version.published_at = now
            version.published_by = acting_user
            version.render_state = RenderState.IDLE
            version.render_progress = 100
            version.render_step = "Published"
            version._history_user = acting_user
            version.save()
            _audit(acting_user, version, AuditAction.CHANGED, f"published version {version.number}")
        return "published"
    except Exception as error:
        # Nothing of the render was written (the files live in memory until the one
        # transaction above); record the failure so the page can say so, then let it be asked
        # again.
        logger.exception("Board report version %s failed to render", version_id)
        ReportVersion.objects.filter(pk=version_id, status=VersionStatus.DRAFT).update(
            render_state=RenderState.FAILED,
            render_step=f"Publishing failed ({type(error).__name__}); nothing was published. "
            "Try again, or ask an administrator if it fails again.",
        )
        return "failed"


@transaction.atomic
def version_start_correction(*, report: BoardReport, acting_user: User) -> ReportVersion:
    """A new draft that starts from the current publication's narrative; the publication stays
    as it is (and stays what the board sees) until the correction is published."""
    report = BoardReport.objects.select_for_update(of=("self",)).get(pk=report.pk)
    _require_edit(acting_user, report)
    versions = list(report.versions.order_by("-number"))
    if any(v.is_draft for v in versions):
        raise ValidationError("This report already has a draft: edit that one.")
    current = next((v for v in versions if v.status == VersionStatus.PUBLISHED), None)
    if current is None:
        raise ValidationError("Only a published report can be corrected.")
    version = ReportVersion(
        report=report,
        number=versions[0].number + 1,
        created_by=acting_user,
        summary=current.summary,
        going_well=current.going_well,
        risks=current.risks,
        next_steps=current.next_steps,
        cohort_date=current.cohort_date,
    )
    version._history_user = acting_user
    version.save()
    _audit(acting_user, version, AuditAction.CREATED, f"correction started (v{version.number})")
    return version


#: A queued render not started after this long is taken as lost (broker down, worker killed).
LOST_RENDER = timedelta(minutes=2)


def requeue_lost_renders(*, now=None) -> list[str]:
    """Send again the renders the database says are queued but no worker has started, and
    those a killed worker left running past the time limit. The database, not the broker, is
    the record of what is pending. Returns the ids of the tasks sent."""
    now = now or timezone.now()
    lost = ReportVersion.objects.filter(status=VersionStatus.DRAFT).filter(
        Q(render_state=RenderState.QUEUED, render_requested_at__lt=now - LOST_RENDER)
        | Q(render_state=RenderState.RUNNING, render_requested_at__lt=now - STALE_RENDER)
    )
    sent = []
    for version_id, user_id in lost.values_list("pk", "render_requested_by_id"):
        # Back to queued first (a conditional update), so the task's claim can succeed.
        ReportVersion.objects.filter(pk=version_id, status=VersionStatus.DRAFT).update(
            render_state=RenderState.QUEUED, render_requested_at=now
        )
        result = send_now(RENDER_TASK, version_id, user_id)
        if result is not None:
            sent.append(result.id)
    return sent
