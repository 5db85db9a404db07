"""The tracking meeting's list (DOMAIN.md A.8), its exports and the person's notifications:
thin views that check the role, read through the scoped selectors and render."""

from dataclasses import replace
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from adopters.models import Household
from children.models import Child
from raa import access
from raa.models import AuditAction
from raa.safe_export import csv_text
from raa.services import audit_record
from tracking import checks, exports, services
from tracking.forms import ActionForm, MeetingForm
from tracking.models import TrackingMeeting
from tracking.selectors import (
    CHILD_CHECKS,
    HOUSEHOLD_CHECKS,
    SORTS,
    TRACKING_STAGES,
    HouseholdFilters,
    TrackingFilters,
    actions_by_record,
    actions_visible_to,
    child_rows,
    household_rows,
    meetings_visible_to,
    possible_owners,
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
        "council_choices": [(c.pk, c.name) for c in councils],
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
            worker_choices=[
                (w.pk, w.get_full_name() or w.username) for w in tracking_social_workers(user)
            ],
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
        actions = actions_by_record(
            actions_visible_to(user).filter(child_id__in=[r.record.pk for r in rows]),
            field="child_id",
        )
        header, body = exports.child_table(rows, actions)
        title = "Children"
    else:
        filters = HouseholdFilters.from_query(request.GET)
        scoped = tracking_households(
            user, filters, today=today, table=table, roles=access.TRACKING_EXPORT_ROLES
        )
        rows = household_rows(scoped, today=today, table=table)
        actions = actions_by_record(
            actions_visible_to(user).filter(household_id__in=[r.record.pk for r in rows]),
            field="household_id",
        )
        header, body = exports.household_table(rows, actions)
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


# The tracking meeting ---------------------------------------------------------------------------

MEETING_PER_PAGE = 50


def _meeting_for(request, pk: int):
    """The meeting, if the person may see it (404 otherwise)."""
    access.require_role(request.user, access.TRACKING_ROLES)
    return get_object_or_404(meetings_visible_to(request.user), pk=pk)


def _may_run_meetings(user) -> bool:
    return access.has_role(user, access.MEETING_ROLES)


def _require_meeting_role(request) -> None:
    if not _may_run_meetings(request.user):
        raise PermissionDenied("Your role does not record tracking meetings.")


def meetings(request):
    """The tracking meetings the person can see, and (for those who run them) the form that
    starts a new one: its date, who attended and, for someone tracking several councils, which
    council (or the whole region)."""
    access.require_role(request.user, access.TRACKING_ROLES)
    user = request.user
    councils = access.councils_for(user, access.MEETING_ROLES).order_by("name")
    region_ids = access.region_ids_for(user, access.MEETING_ROLES)
    several = councils.count() > 1 or bool(region_ids)
    form_kwargs = {"councils": councils if several else None, "region_wide": bool(region_ids)}
    form = None
    if _may_run_meetings(user):
        form = MeetingForm(
            request.POST or None, initial={"meeting_date": timezone.localdate()}, **form_kwargs
        )
    if request.method == "POST":
        _require_meeting_role(request)
        if form.is_valid():
            council = form.cleaned_data.get("council") if several else councils.first()
            region_id = council.region_id if council else min(region_ids)
            try:
                meeting = services.meeting_record(
                    acting_user=user,
                    region_id=region_id,
                    council=council,
                    meeting_date=form.cleaned_data["meeting_date"],
                    attendees=form.cleaned_data["attendees"],
                )
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field, errors)
            else:
                messages.success(request, "Meeting recorded: go down the list and add actions.")
                return redirect("tracking:meeting", meeting.pk)
    listed = meetings_visible_to(user).annotate(
        n_actions=Count("actions"),
        n_open=Count("actions", filter=Q(actions__done_on__isnull=True)),
    )[:50]
    return render(request, "tracking/meetings.html", {"meetings": listed, "form": form})


def meeting_detail(request, pk: int):
    """One screen for the meeting: its date and who attended, then the tracking list (children,
    then households; most overdue first), each record with its actions and a line to add one."""
    meeting = _meeting_for(request, pk)
    user = request.user
    today = timezone.localdate()
    table = checks.thresholds()
    may_run = _may_run_meetings(user)
    query = request.GET.copy()
    if meeting.council_id:
        query["council"] = str(meeting.council_id)
    filters = TrackingFilters.from_query(query)
    children = tracking_children(user, filters, today=today, table=table)
    page = Paginator(children, MEETING_PER_PAGE).get_page(request.GET.get("page"))
    rows = child_rows(page.object_list, today=today, table=table)
    household_filters = HouseholdFilters.from_query(query)
    household_list = household_rows(
        tracking_households(user, household_filters, today=today, table=table)[:MEETING_PER_PAGE],
        today=today,
        table=table,
    )
    visible_actions = actions_visible_to(user)
    child_actions = actions_by_record(
        visible_actions.filter(child_id__in=[r.record.pk for r in rows]), field="child_id"
    )
    household_actions = actions_by_record(
        visible_actions.filter(household_id__in=[r.record.pk for r in household_list]),
        field="household_id",
    )
    owners = list(possible_owners(meeting.council, meeting.region_id)) if may_run else []
    audit_record(
        user=user,
        action=AuditAction.VIEWED,
        object_type="tracking_meeting",
        object_id=meeting.pk,
        council=meeting.council,
    )
    return render(
        request,
        "tracking/meeting.html",
        {
            "meeting": meeting,
            "today": today,
            "page": page,
            "child_rows": [(r, child_actions.get(r.record.pk, [])) for r in rows],
            "household_rows": [(r, household_actions.get(r.record.pk, [])) for r in household_list],
            "owners": owners,
            "may_run": may_run,
            "edit_form": MeetingForm(instance=meeting) if may_run else None,
            "default_due": today + timedelta(days=28),
        },
    )


def meeting_edit(request, pk: int):
    """POST: correct the meeting's date or who attended (kept with history)."""
    meeting = _meeting_for(request, pk)
    _require_meeting_role(request)
    if request.method != "POST":
        return redirect("tracking:meeting", meeting.pk)
    form = MeetingForm(request.POST, instance=TrackingMeeting.objects.get(pk=meeting.pk))
    if form.is_valid():
        try:
            services.meeting_update(
                meeting=meeting,
                acting_user=request.user,
                meeting_date=form.cleaned_data["meeting_date"],
                attendees=form.cleaned_data["attendees"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "The meeting's date and attendees were saved.")
    else:
        for field, errors in form.errors.items():
            for message in errors:
                messages.error(request, f"{form.fields[field].label}: {message}")
    return redirect("tracking:meeting", meeting.pk)


def meeting_action_add(request, pk: int):
    """POST: add an action for one child (``child``) or household (``household``) of the
    meeting's list; back to the same place in the list."""
    meeting = _meeting_for(request, pk)
    _require_meeting_role(request)
    if request.method != "POST":
        return redirect("tracking:meeting", meeting.pk)
    user = request.user
    child = household = None
    if request.POST.get("child", "").isdigit():
        child = get_object_or_404(
            Child.objects.visible_to(user, access.TRACKING_ROLES), pk=request.POST["child"]
        )
        name, anchor = f"{child.first_name} {child.last_name}", f"child-{child.pk}"
    else:
        household = get_object_or_404(
            Household.objects.visible_to(user, access.TRACKING_ROLES),
            pk=request.POST.get("household") or 0,
        )
        name, anchor = f"household {household.reference}", f"household-{household.pk}"
    council = child.council if child else meeting.council
    form = ActionForm(request.POST, owners=possible_owners(council, meeting.region_id))
    problems = []
    if form.is_valid():
        try:
            services.action_add(
                meeting=meeting,
                acting_user=user,
                child=child,
                household=household,
                **form.cleaned_data,
            )
        except ValidationError as error:
            problems = [
                f"{ActionForm.base_fields[field].label}: {m}"
                for field, msgs in error.message_dict.items()
                for m in msgs
            ]
    else:
        problems = [
            f"{form.fields[field].label}: {m}" for field, msgs in form.errors.items() for m in msgs
        ]
    if problems:
        messages.error(request, f"The action for {name} was not saved. " + " ".join(problems))
    else:
        messages.success(request, f"Action recorded for {name}.")
    back = reverse("tracking:meeting", args=[meeting.pk])
    page = request.POST.get("page", "")
    return redirect(f"{back}{'?page=' + page if page.isdigit() else ''}#{anchor}")


def action_done(request, pk: int):
    """POST: mark an action done (its owner, or someone who runs meetings); back where the
    person came from."""
    access.require_role(request.user, access.TRACKING_ROLES)
    action = get_object_or_404(actions_visible_to(request.user), pk=pk)
    if request.method == "POST":
        services.action_mark_done(action=action, acting_user=request.user)
        messages.success(request, "Action marked done.")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("home")
    return redirect(back)
