"""Board reports at /reports/: the list, drafting and publishing (managers), reading and
downloading published versions (board members too).

Thin views: fetch through the scoped queryset (another scope's report answers 404, a draft is
invisible to board members), check the role (403), call one service, redirect.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from raa import access
from raa.models import AuditAction
from raa.services import audit_record
from scorecard.reports import rendering, services
from scorecard.reports.forms import NarrativeForm, NewReportForm
from scorecard.reports.models import (
    CONTENT_TYPES,
    BoardReport,
    FileFormat,
    ReportFile,
    ReportVersion,
    VersionStatus,
)

PUBLIC_STATUSES = (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)


def _report(request, pk: int) -> tuple[BoardReport, bool]:
    """The report if the person may see it (404 otherwise) and whether they may edit it."""
    access.require_role(request.user, access.REPORT_ROLES)
    report = get_object_or_404(
        BoardReport.objects.visible_to(request.user).select_related("region", "council"), pk=pk
    )
    return report, services.may_edit(request.user, report)


def _editable_report(request, pk: int) -> BoardReport:
    report, editable = _report(request, pk)
    if not editable:
        raise PermissionDenied("Only managers of the report's council or region may change it.")
    return report


def _visible_versions(report: BoardReport, editable: bool) -> list[ReportVersion]:
    versions = report.versions.order_by("-number").select_related("published_by")
    if not editable:
        versions = versions.filter(status__in=PUBLIC_STATUSES)
    return list(versions)


def _fragment(version: ReportVersion) -> str:
    """The version as the board reads it: the frozen page of a publication, or for a draft
    the page drawn now from the live figures."""
    if version.is_draft:
        return rendering.render_fragment(
            services.live_figures(version), services.version_meta(version)
        )
    stored = version.files.get(format=FileFormat.HTML)
    return bytes(stored.content).decode("utf-8")


def report_list(request):
    access.require_role(request.user, access.REPORT_ROLES)
    editable_ids = set(BoardReport.objects.editable_by(request.user).values_list("pk", flat=True))
    reports = list(
        BoardReport.objects.visible_to(request.user)
        .select_related("region", "council")
        .prefetch_related(Prefetch("versions", queryset=ReportVersion.objects.order_by("-number")))
    )
    rows = []
    for report in reports:
        versions = list(report.versions.all())
        published = next((v for v in versions if v.status == VersionStatus.PUBLISHED), None)
        draft = next((v for v in versions if v.is_draft), None)
        rows.append(
            {
                "report": report,
                "published": published,
                "draft": draft if report.pk in editable_ids else None,
            }
        )
    return render(
        request,
        "reports/report_list.html",
        {"rows": rows, "may_draft": access.has_role(request.user, access.REPORT_EDIT_ROLES)},
    )


@require_http_methods(["GET", "POST"])
def report_new(request):
    access.require_role(request.user, access.REPORT_EDIT_ROLES)
    form = NewReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        region, council = form.scope_objects()
        try:
            version = services.report_start(
                acting_user=request.user,
                region=region,
                council=council,
                year=form.cleaned_data["year"],
                quarter=form.cleaned_data["quarter"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, "Draft started: write the narrative, then publish.")
            return redirect("scorecard:report_detail", pk=version.report_id)
    return render(request, "reports/report_new.html", {"form": form})


def report_detail(request, pk: int):
    """The report: for its managers the draft (live figures) if there is one, else the
    current publication; for board members the current publication."""
    report, editable = _report(request, pk)
    versions = _visible_versions(report, editable)
    draft = next((v for v in versions if v.is_draft), None)
    current = next((v for v in versions if v.status == VersionStatus.PUBLISHED), None)
    shown = draft if (editable and draft) else current
    if shown is None:
        raise Http404("This report has no version you may read.")
    return _render_version(request, report, shown, versions, editable)


def report_version(request, pk: int, number: int):
    report, editable = _report(request, pk)
    versions = _visible_versions(report, editable)
    shown = next((v for v in versions if v.number == number), None)
    if shown is None:
        raise Http404("No such version of this report.")
    return _render_version(request, report, shown, versions, editable)


def _render_version(request, report, shown, versions, editable):
    return render(
        request,
        "reports/report_detail.html",
        {
            "report": report,
            "version": shown,
            "versions": versions,
            "editable": editable,
            "has_draft": any(v.is_draft for v in versions),
            "fragment": mark_safe(_fragment(shown)),  # noqa: S308 (rendered by our templates)
        },
    )


def report_download(request, pk: int, number: int, file_format: str):
    report, editable = _report(request, pk)
    if file_format not in (FileFormat.PDF, FileFormat.XLSX):
        raise Http404("Reports download as pdf or xlsx.")
    version = next((v for v in _visible_versions(report, editable) if v.number == number), None)
    if version is None:
        raise Http404("No such version of this report.")
    if version.is_draft:
        # A preview: drawn now from the live figures, marked as a draft.
        figures = services.live_figures(version)
        meta = services.version_meta(version)
        if file_format == FileFormat.PDF:
            content = rendering.render_pdf(rendering.render_fragment(figures, meta), meta)
        else:
            content = rendering.render_xlsx(figures, meta)
        name = "draft"
    else:
        stored = get_object_or_404(ReportFile, version=version, format=file_format)
        content = bytes(stored.content)
        name = f"v{version.number}"
    audit_record(
        user=request.user,
        action=AuditAction.EXPORTED,
        object_type="reportversion",
        object_id=version.pk,
        council=report.council,
        detail=f"downloaded {file_format}",
    )
    filename = (
        f"board-report-{slugify(report.scope_label)}-{report.year_label}"
        f"-q{report.quarter}-{name}.{file_format}"
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _draft_of(report: BoardReport) -> ReportVersion:
    draft = report.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is None:
        raise Http404("This report has no draft: start a correction to change it.")
    return draft


@require_http_methods(["GET", "POST"])
def report_edit(request, pk: int):
    report = _editable_report(request, pk)
    draft = _draft_of(report)
    form = NarrativeForm(request.POST or None, instance=ReportVersion.objects.get(pk=draft.pk))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields}
        try:
            changed = services.version_save_narrative(
                version=draft, acting_user=request.user, fields=fields
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, "Saved." if changed else "Nothing had changed.")
            return redirect("scorecard:report_detail", pk=report.pk)
    return render(
        request, "reports/report_edit.html", {"report": report, "version": draft, "form": form}
    )


@require_http_methods(["GET", "POST"])
def report_publish(request, pk: int):
    report = _editable_report(request, pk)
    draft = _draft_of(report)
    if request.method == "POST":
        try:
            services.version_request_publication(version=draft, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            draft.refresh_from_db()  # without a broker the render has already run
            if draft.status == VersionStatus.PUBLISHED:
                messages.success(request, f"Version {draft.number} is published.")
            elif draft.render_state == "failed":
                messages.error(request, draft.render_step)
            else:
                messages.info(
                    request, "Publishing: the figures are being frozen and the files made."
                )
        return redirect("scorecard:report_detail", pk=report.pk)
    return render(request, "reports/report_publish.html", {"report": report, "version": draft})


@require_http_methods(["GET", "POST"])
def report_correct(request, pk: int):
    report = _editable_report(request, pk)
    if request.method == "POST":
        try:
            services.version_start_correction(report=report, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                "Correction started as a new draft. The published version stays as it is "
                "until you publish the correction.",
            )
        return redirect("scorecard:report_detail", pk=report.pk)
    return render(request, "reports/report_correct.html", {"report": report})


def report_progress(request, pk: int):
    """The publishing progress of the draft, polled by the page (htmx). When the draft has
    been published it tells the page to reload."""
    report = _editable_report(request, pk)
    version = report.versions.order_by("-number").first()
    if version and not version.is_draft and request.headers.get("HX-Request"):
        response = HttpResponse("Published.")
        response["HX-Redirect"] = reverse("scorecard:report_detail", kwargs={"pk": report.pk})
        return response
    return render(request, "reports/_progress.html", {"report": report, "version": version})
