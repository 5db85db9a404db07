"""The tracking meeting's list (DOMAIN.md A.8), its exports and the person's notifications:
thin views that check the role, read through the scoped selectors and render."""

from dataclasses import replace

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone

from raa import access
from raa.models import AuditAction
from raa.safe_export import csv_text
from raa.services import audit_record
from tracking import checks, exports, services
from tracking.selectors import (
    CHILD_CHECKS,
    HOUSEHOLD_CHECKS,
    SORTS,
    TRACKING_STAGES,
    HouseholdFilters,
    TrackingFilters,
    child_rows,
    household_rows,
    recent_notifications,
    status_counts,
    statuses,
    tracking_children,
    tracking_councils,
    tracking_households,
    tracking_social_workers,
)

PER_PAGE = 100


def child_checks(table) -> list[tuple[str, str]]:
    """The thresholds the children's list filters on, as (code, label)."""
    return [(code, table[code].label) for code in CHILD_CHECKS]


def household_checks(table) -> list[tuple[str, str]]:
    return [(code, table[code].label) for code in HOUSEHOLD_CHECKS]


PRINT_ALL = 2000


def tracking_list(request):
    """The tracking meeting's list: children (or, with ``?list=households``, households) in the
    process against the A.8 thresholds, filtered and most overdue first."""
    access.require_role(request.user, access.TRACKING_ROLES)
    user = request.user
    today = timezone.localdate()
    table = checks.thresholds()
    showing = "households" if request.GET.get("list") == "households" else "children"
    councils = list(tracking_councils(user))
    context = {
        "showing": showing,
        "today": today,
        "councils": councils,
        "statuses": list(statuses(table).items()),
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
            tracking_children(user, unfiltered, today=today, table=table),
            today=today,
            table=table,
            check=filters.check,
        )
        context.update(
            filters=filters,
            stages=TRACKING_STAGES,
            sorts=list(SORTS.items()),
            social_workers=tracking_social_workers(user),
            counts=counts,
            checks=child_checks(table),
        )
        rows = child_rows
    else:
        filters = HouseholdFilters.from_query(request.GET)
        listed = tracking_households(user, filters, today=today, table=table)
        counts = status_counts(
            tracking_households(user, replace(filters, status=""), today=today, table=table),
            today=today,
            table=table,
            check=filters.check,
        )
        context.update(filters=filters, counts=counts, checks=household_checks(table))
        rows = household_rows
    # "All on one page" for printing the meeting's list (bounded, like any page).
    paginator = Paginator(listed, PRINT_ALL if request.GET.get("all") == "1" else PER_PAGE)
    paginator.count = counts[filters.status] if filters.status else sum(counts.values())
    page = paginator.get_page(request.GET.get("page"))
    context.update(page=page, rows=rows(page.object_list, today=today, table=table))
    return render(request, "tracking/tracking.html", context)


def _export_tables(request):
    """Check the role, read every row of the list the page shows, log the export."""
    access.require_role(request.user, access.TRACKING_ROLES)
    access.require_role(request.user, access.TRACKING_EXPORT_ROLES)
    user = request.user
    today = timezone.localdate()
    table = checks.thresholds()
    showing = "households" if request.GET.get("list") == "households" else "children"
    if showing == "children":
        filters = TrackingFilters.from_query(request.GET)
        # scoped to the councils where the person may export, not all they may track
        scoped = tracking_children(
            user, filters, today=today, table=table, roles=access.TRACKING_EXPORT_ROLES
        )
        rows = child_rows(scoped, today=today, table=table)
        header, body = exports.child_table(rows)
        title = "Children"
    else:
        filters = HouseholdFilters.from_query(request.GET)
        scoped = tracking_households(
            user, filters, today=today, table=table, roles=access.TRACKING_EXPORT_ROLES
        )
        rows = household_rows(scoped, today=today, table=table)
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
    response = HttpResponse(csv_text(header, body), content_type="text/csv; charset=utf-8")
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
        count = services.mark_notifications_read(request.user)
        messages.success(request, f"{count} notification{pluralize(count)} marked as read.")
        return redirect("home")
    return render(
        request,
        "tracking/notifications.html",
        {"notifications": recent_notifications(request.user)},
    )
