"""Managers' dashboard, tracking list (and its exports) and board reports: thin views that check
the role, read through the scoped selectors and render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone

from raa import access
from raa.models import AuditAction
from raa.services import audit_record
from scorecard import alerts, exports, tracking
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
    access.require_role(request.user, access.DASHBOARD_ROLES)
    return render(request, "scorecard/dashboard.html", {})


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
        page = Paginator(tracking_children(user, filters, today=today, table=table), PER_PAGE)
        page = page.get_page(request.GET.get("page"))
        context.update(
            filters=filters,
            page=page,
            rows=child_rows(page.object_list, today=today, table=table),
            stages=TRACKING_STAGES,
            sorts=list(SORTS.items()),
            social_workers=tracking_social_workers(user),
            counts=status_counts(user, today=today, table=table, council_id=filters.council_id),
        )
    else:
        filters = HouseholdFilters.from_query(request.GET)
        page = Paginator(tracking_households(user, filters, today=today, table=table), PER_PAGE)
        page = page.get_page(request.GET.get("page"))
        context.update(
            filters=filters,
            page=page,
            rows=household_rows(page.object_list, today=today, table=table),
        )
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


def reports(request):
    access.require_role(request.user, access.REPORT_ROLES)
    return render(request, "scorecard/reports.html", {})
