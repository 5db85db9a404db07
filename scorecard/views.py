"""Managers' dashboard, tracking list (and its exports) and board reports: thin views that check
the role, read through the scoped selectors and render."""

from dataclasses import replace
from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone

from raa import access
from raa.models import AuditAction
from raa.services import audit_record
from scorecard import alerts, exports, tracking
from scorecard import periods as P
from scorecard import selectors as stored
from scorecard import selectors_dashboard as D
from scorecard.measures import MEASURES, SCORECARD_CODES
from scorecard.selectors_tracking import (
    SORTS,
    STATUSES,
    TRACKING_STAGES,
    HouseholdFilters,
    TrackingFilters,
    child_rows,
    household_rows,
    status_counts,
    tracking_children,
    tracking_councils,
    tracking_households,
    tracking_social_workers,
)

PER_PAGE = 100


def dashboard(request):
    """The managers' dashboard of one scope (the region or a council), from stored results."""
    access.require_role(request.user, access.DASHBOARD_ROLES)
    today = timezone.localdate()
    choices = D.scope_choices(request.user)
    scope = D.resolve_scope(choices, request.GET.get("council", ""))
    region_id, council_id = scope.region.pk, scope.council_id
    by_kind = D.stored_results(region_id=region_id, council_id=council_id)
    windows, years, quarters = by_kind[P.WINDOW], by_kind[P.YEAR], by_kind[P.QUARTER]
    national = D._national_figures()
    # Financial years on offer: those stored, newest first; the current one by default.
    year_choices = sorted({y.period.first_year for y in years}, reverse=True)
    wanted = request.GET.get("year", "")
    first_year = int(wanted) if wanted.isdigit() and int(wanted) in year_choices else P.fy_of(today)
    # The cohort comparison's date: the person's choice, or the start of last financial year.
    cohort_error = ""
    pivot = D.default_cohort_date(today)
    if request.GET.get("cohort_date"):
        try:
            pivot = date.fromisoformat(request.GET["cohort_date"])
            if not date(2000, 1, 1) <= pivot <= today:
                raise ValueError
        except ValueError:
            cohort_error = (
                "The cohort date must be a date between 01/01/2000 and today, like "
                f"{D.default_cohort_date(today):%d/%m/%Y}. Showing the default instead."
            )
            pivot = D.default_cohort_date(today)
    latest = D.headline_window(windows, today)
    n_months = (latest.measure("A3")["threshold"] if latest else None) or 14
    context = {
        "scope": scope,
        "choices": choices,
        "freshness": stored.freshness(region_id=region_id, council_id=council_id),
        "latest": latest,
        "headlines": D.headlines(windows, national, today),
        "trend_charts": D.trend_charts(windows, scope, national, today) if windows else [],
        "activity": D.activity_table(quarters, years, first_year, today),
        "year_choices": [(y, P.fy_label(y)) for y in year_choices],
        "waiting": D.waiting_section(quarters, today),
        "adopters": D.adopters_section(years, quarters, today),
        "timeline": D.timeline_section(years, today),
        "cohorts": D.cohort_section(scope, choices, pivot, today, int(n_months)),
        "cohort_error": cohort_error,
        "today": today,
        "sees_children": access.has_role(request.user, access.CASE_VIEW_ROLES),
    }
    if choices.region_wide and scope.council is None:
        context["compare_rows"], context["compare_chart"] = D.compare_councils(
            scope, choices, latest
        )
    return render(request, "scorecard/dashboard.html", context)


def figure(request, code: str):
    """One scorecard figure: its definition, its numbers for the scope and window, and (for
    roles that may see children) the children counted and left out. Reads the stored figure;
    the children come from the engine's :func:`scorecard.selectors.figure_children`."""
    access.require_role(request.user, access.DASHBOARD_ROLES)
    if code not in SCORECARD_CODES:
        raise Http404("No such figure.")
    choices = D.scope_choices(request.user)
    scope = D.resolve_scope(choices, request.GET.get("council", ""))
    try:
        period = P.period_from_label(request.GET.get("period", ""))
        result = stored.result(
            region_id=scope.region.pk, council_id=scope.council_id, period=period
        )
    except ValueError:
        result = stored.latest_window(region_id=scope.region.pk, council_id=scope.council_id)
    if result is None:
        return render(
            request,
            "scorecard/figure.html",
            {"code": code, "measure": MEASURES[code], "scope": scope, "not_stored": True},
        )
    period = result.period
    sees_children = access.has_role(request.user, access.CASE_VIEW_ROLES)
    rows = []
    if sees_children:
        days_key = {"A1": "a1_days", "A10": "a10_days", "A2": "a2_days"}.get(code)
        reason_key = "a2_reason" if code == "A2" else "a1_reason"
        for row in stored.figure_children(
            user=request.user, period=period, region_id=scope.region.pk, council_id=scope.council_id
        ):
            why = row.get(reason_key)
            if code == "A3":
                shown = None if why else ("yes" if row.get("a3_under") else "no")
            else:
                shown = None if why else row.get(days_key)
            rows.append({**row, "shown": shown, "why": why})
        audit_record(
            user=request.user,
            action=AuditAction.VIEWED,
            object_type="scorecard_figure",
            object_id=f"{code} {period.label}",
            council=scope.council,
            detail=f"{len(rows)} children listed",
        )
    return render(
        request,
        "scorecard/figure.html",
        {
            "code": code,
            "measure": MEASURES[code],
            "figure": result.measure(code),
            "verdict": result.passes(code),
            "period": period,
            "scope": scope,
            "rows": rows,
            "sees_children": sees_children,
            "freshness": stored.freshness(region_id=scope.region.pk, council_id=scope.council_id),
        },
    )


def tracking_list(request):
    """The tracking meeting's list: children (or, with ``?list=households``, households) in the
    process against the A.8 thresholds, filtered and most overdue first."""
    access.require_role(request.user, access.TRACKING_ROLES)
    user = request.user
    today = timezone.localdate()
    table = tracking.thresholds()
    showing = "households" if request.GET.get("list") == "households" else "children"
    councils = list(tracking_councils(user))
    context = {
        "showing": showing,
        "today": today,
        "councils": councils,
        "statuses": list(STATUSES.items()),
        "table": table,
        "may_export": access.has_role(user, access.TRACKING_EXPORT_ROLES),
        "query": request.GET.urlencode(),
    }
    if showing == "children":
        filters = TrackingFilters.from_query(request.GET)
        listed = tracking_children(user, filters, today=today, table=table)
        # The cards count every status under the other filters; the list's length is one of
        # them (or their sum), so the list needs no COUNT query of its own.
        unfiltered = replace(filters, status="")
        counts = status_counts(
            tracking_children(user, unfiltered, today=today, table=table), today=today, table=table
        )
        context.update(
            filters=filters,
            stages=TRACKING_STAGES,
            sorts=list(SORTS.items()),
            social_workers=tracking_social_workers(user),
            counts=counts,
        )
        rows = child_rows
    else:
        filters = HouseholdFilters.from_query(request.GET)
        listed = tracking_households(user, filters, today=today, table=table)
        counts = status_counts(
            tracking_households(user, replace(filters, status=""), today=today, table=table),
            today=today,
            table=table,
        )
        context.update(filters=filters, counts=counts)
        rows = household_rows
    paginator = Paginator(listed, PER_PAGE)
    paginator.count = counts[filters.status] if filters.status else sum(counts.values())
    page = paginator.get_page(request.GET.get("page"))
    context.update(page=page, rows=rows(page.object_list, today=today, table=table))
    return render(request, "scorecard/tracking.html", context)


def _export_tables(request):
    """Check the role, read every row of the list the page shows, log the export."""
    access.require_role(request.user, access.TRACKING_ROLES)
    access.require_role(request.user, access.TRACKING_EXPORT_ROLES)
    user = request.user
    today = timezone.localdate()
    table = tracking.thresholds()
    showing = "households" if request.GET.get("list") == "households" else "children"
    if showing == "children":
        filters = TrackingFilters.from_query(request.GET)
        rows = child_rows(
            tracking_children(user, filters, today=today, table=table), today=today, table=table
        )
        header, body = exports.child_table(rows)
        title = "Children"
    else:
        filters = HouseholdFilters.from_query(request.GET)
        rows = household_rows(
            tracking_households(user, filters, today=today, table=table), today=today, table=table
        )
        header, body = exports.household_table(rows)
        title = "Households"
    return today, showing, filters, title, header, body


def _log_export(request, fmt: str, showing: str, filters, count: int) -> None:
    audit_record(
        user=request.user,
        action=AuditAction.EXPORTED,
        object_type="tracking_list",
        object_id=showing,
        detail=f"{fmt}: {count} {showing}; {filters.describe()}",
    )


def tracking_export_csv(request):
    today, showing, filters, _, header, body = _export_tables(request)
    response = HttpResponse(exports.as_csv(header, body), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="tracking-{showing}-{today:%Y-%m-%d}.csv"'
    )
    _log_export(request, "csv", showing, filters, len(body))
    return response


def tracking_export_xlsx(request):
    today, showing, filters, title, header, body = _export_tables(request)
    about = [
        ("Tracking list", title),
        ("As at", today.strftime("%d/%m/%Y")),
        ("Exported by", request.user.username),
        ("Filters", filters.describe()),
        ("Rows", str(len(body))),
        ("Handling", "Official – sensitive. Personal data: keep it on council systems."),
    ]
    content = exports.as_xlsx([(title, header, body)], about=about)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="tracking-{showing}-{today:%Y-%m-%d}.xlsx"'
    )
    _log_export(request, "xlsx", showing, filters, len(body))
    return response


def notifications(request):
    """The person's tracking notifications; POST marks them all read."""
    access.require_role(request.user, access.TRACKING_ROLES)
    if request.method == "POST":
        count = alerts.mark_notifications_read(request.user)
        messages.success(request, f"{count} notification{pluralize(count)} marked as read.")
        return redirect("home")
    return render(
        request,
        "scorecard/notifications.html",
        {"notifications": alerts.recent_notifications(request.user)},
    )
