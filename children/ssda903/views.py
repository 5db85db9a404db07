"""The 903 import pages: upload, then a report page that shows progress until the job ends.
For data officers and administrators (IMPORT_ROLES), over their councils."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from children.models import Child, ImportRun
from children.ssda903.forms import BY_LA, ImportForm
from children.ssda903.multi_council import councils_named
from children.ssda903.report import finding_groups, findings_csv, summary_rows
from children.ssda903.runs import import_run_start, run_progress
from raa import access
from raa.middleware import quiet_session
from raa.models import AuditAction
from raa.services import audit_record


def _visible_runs(user):
    return ImportRun.objects.filter(
        council_id__in=access.council_ids_for(user, access.IMPORT_ROLES)
    ).select_related("council", "started_by")


def import_page(request):
    access.require_role(request.user, access.IMPORT_ROLES)
    posted = request.method == "POST"
    form = ImportForm(
        request.POST if posted else None, request.FILES if posted else None, user=request.user
    )
    if posted and form.is_valid():
        files = form.files_by_name()
        councils = [form.cleaned_data["council"]]
        if councils[0] == BY_LA:
            # One run per council the LA column names (of those this person may import for).
            councils, _, has_la = councils_named(files, allowed=form.councils)
            if not councils:
                form.add_error(
                    "council",
                    "No row of these files has an LA that names a council you may import for"
                    if has_la
                    else "These files have no LA column (or could not be read as 903 files): "
                    "choose the council they are for.",
                )
        if not form.errors:
            runs = [
                import_run_start(
                    council=council,
                    files=files,
                    dry_run=form.cleaned_data["dry_run"],
                    strict=form.cleaned_data["strict"],
                    acting_user=request.user,
                )
                for council in councils
            ]
            if len(runs) > 1:
                messages.success(
                    request,
                    f"{len(runs)} imports started, one for each council the LA column names: "
                    + ", ".join(c.name for c in councils)
                    + ".",
                )
                return redirect("children:import")
            return redirect("children:import_run", pk=runs[0].pk)
    runs = list(_visible_runs(request.user)[:20])
    for run in runs:
        if not run.finished:
            run.percent, run.label = run_progress(run)
    return render(
        request,
        "children/import/upload.html",
        {"form": form, "runs": runs},
        status=400 if form.errors else 200,
    )


def import_run_detail(request, pk: int):
    access.require_role(request.user, access.IMPORT_ROLES)
    run = get_object_or_404(_visible_runs(request.user), pk=pk)
    report = run.report or {}
    open_rule = request.GET.get("rule", "")[:80]
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        page = 1
    groups = finding_groups(report, open_rule=open_rule, page=page)
    # Link each finding to the record only if it (still) exists and the person may see it:
    # one query for the rows on the pages shown.
    pks = {f["pk"] for group in groups for f in group.page if f.get("pk")}
    visible = set(
        Child.objects.visible_to(request.user).filter(pk__in=pks).values_list("pk", flat=True)
    )
    held = list(
        Child.objects.visible_to(request.user)
        .filter(council=run.council, child_id__in=report.get("held_without_plan", []))
        .order_by("child_id")
        .values_list("pk", "child_id")
    )
    percent, label = run_progress(run)
    return render(
        request,
        "children/import/report.html",
        {
            "run": run,
            "report": report,
            "summary_rows": summary_rows(report),
            "groups": groups,
            "findings_total": len(report.get("findings", [])),
            "visible": visible,
            "held": held,
            "percent": percent,
            "label": label,
        },
    )


def import_run_findings_csv(request, pk: int):
    """Every finding of the run as CSV (the same scope as the report page; logged as an
    export)."""
    access.require_role(request.user, access.IMPORT_ROLES)
    run = get_object_or_404(_visible_runs(request.user), pk=pk)
    report = run.report or {}
    count = len(report.get("findings", []))
    response = HttpResponse(findings_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="import-{run.pk}-{run.council.la_code}-findings.csv"'
    )
    audit_record(
        user=request.user,
        action=AuditAction.EXPORTED,
        object_type="importrun",
        object_id=run.pk,
        council=run.council,
        detail=f"findings csv: {count} findings",
    )
    return response


@quiet_session
def import_run_progress(request, pk: int):
    """The progress fragment the report page polls (htmx); once the run has finished it asks
    the browser to reload, which shows the report."""
    access.require_role(request.user, access.IMPORT_ROLES)
    run = get_object_or_404(_visible_runs(request.user), pk=pk)
    if run.finished:
        response = HttpResponse("")
        response["HX-Refresh"] = "true"
        return response
    percent, label = run_progress(run)
    return render(
        request,
        "children/import/_progress.html",
        {"run": run, "percent": percent, "label": label},
    )
