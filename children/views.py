"""Children pages: thin views that scope, validate and call a service."""

from collections.abc import Callable
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from children import services
from children.forms import (
    ChildForm,
    CloseChildForm,
    JourneyEventForm,
    PeriodOfCareForm,
    WithdrawEventForm,
    social_workers_for,
)
from children.models import (
    Child,
    DataQualityFlag,
    EventKind,
    JourneyEvent,
    PeriodOfCare,
    Stage,
)
from children.selectors import (
    SHOWS,
    SORTS,
    ChildFilters,
    child_history_rows,
    child_timeline,
    children_list,
    quality_flags_list,
    quality_rule_counts,
)
from raa import access
from raa.models import AuditAction
from raa.services import audit_record, audit_search, audit_view

#: The steps a social worker most likely records next, by stage.
NEXT_STEPS = {
    Stage.NO_DECISION: [
        EventKind.PERMANENCE_DECISION,
        EventKind.ADM_DECISION,
        EventKind.FFA_DECISION,
    ],
    Stage.WAITING: [EventKind.PLACEMENT_ORDER, EventKind.LINKED, EventKind.PLAN_CEASED],
    Stage.WAITING_PO: [EventKind.LINKED, EventKind.MATCHED, EventKind.PLAN_CEASED],
    Stage.LINKED: [EventKind.MATCHED, EventKind.PLAN_CEASED],
    Stage.MATCHED: [EventKind.PLACED, EventKind.PLAN_CEASED],
    Stage.PLACED: [
        EventKind.ADOPTION_APPLICATION,
        EventKind.ADOPTION_ORDER,
        EventKind.DISRUPTION,
    ],
    Stage.PLAN_CHANGED: [EventKind.ADM_DECISION],
}


def get_visible_child(user, pk: int) -> Child:
    """The child if the person may see children at all (else 403) and this one is in their
    scope (else 404, so another council's child does not leak)."""
    access.require_role(user, access.CASE_VIEW_ROLES)
    return get_object_or_404(
        Child.objects.visible_to(user).select_related(
            "council", "allocated_social_worker", "sibling_group"
        ),
        pk=pk,
    )


def get_editable_child(user, pk: int) -> Child:
    """As :func:`get_visible_child`, and 403 unless the person may change this council's
    children."""
    child = get_visible_child(user, pk)
    access.require_edit(user, child.council_id)
    return child


def changes_since(child: Child, loaded_at: datetime | None) -> list[dict]:
    """What was saved to the child's record and journey after the form was opened."""
    rows = child_history_rows(child)
    if loaded_at is None:
        return rows[:5]
    return [row for row in rows if row["at"] > loaded_at]


def save_with(request, form, child: Child, call: Callable[[], object]) -> bool:
    """Run the service; put what it refuses on the form. True when it saved.

    When someone else saved the child after the form was opened, nothing is saved: the form is
    shown again with what the person typed, what the other person changed, and the newer version
    so that a second save goes through.
    """
    try:
        call()
    except services.RecordChanged as changed:
        form.conflict = changes_since(child, form.cleaned_data.get("loaded_at"))
        form.data = form.data.copy()
        form.data["version"] = changed.child.version
        form.data["loaded_at"] = timezone.now().isoformat()
        form.add_error(
            None,
            "Someone else saved a change to this child's record while you had this form open, "
            "so your entry has not been saved. Their change is shown below; check your entry "
            "still holds and save again.",
        )
        return False
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return False
    return True


def expected_version(form) -> int | None:
    return form.cleaned_data.get("version")


# -- list and record ----------------------------------------------------------------------------


def child_list(request):
    access.require_role(request.user, access.CASE_VIEW_ROLES)
    today = timezone.localdate()
    filters = ChildFilters.from_query(request.GET)
    councils = access.councils_for(request.user, access.CASE_VIEW_ROLES).order_by("name")
    page = Paginator(children_list(request.user, filters, today=today), 50).get_page(
        request.GET.get("page")
    )
    if filters.search:
        audit_search(user=request.user, object_type="child_list", found=page.paginator.count)
    for child in page:
        child.days_in_care = (
            (today - child.entered_care_date).days
            if child.entered_care_date and child.stage in (*NEXT_STEPS, Stage.PLACED)
            else None
        )
    return render(
        request,
        "children/child_list.html",
        {
            "page": page,
            "filters": filters,
            "councils": councils,
            "stages": Stage.choices,
            "shows": list(SHOWS.items()),
            "social_workers": social_workers_for(councils),
            "sorts": [(key, label) for key, (label, _) in SORTS.items()],
            "may_add": access.has_role(request.user, access.CASE_EDIT_ROLES),
        },
    )


def child_detail(request, pk: int):
    child = get_visible_child(request.user, pk)
    audit_view(user=request.user, obj=child, council=child.council)
    may_edit = access.may_edit_council_records(request.user, child.council_id) and not (
        child.is_closed
    )
    return render(
        request,
        "children/child_detail.html",
        {
            "child": child,
            # Against the tracking thresholds: the tracking app's panels (tracking_panels).
            "timeline": child_timeline(child),
            "periods": child.periods_of_care.all(),
            "flags": DataQualityFlag.objects.filter(child=child).order_by("-hard", "id"),
            "may_edit": may_edit,
            "may_reopen": child.is_closed
            and access.may_edit_council_records(request.user, child.council_id)
            and access.has_role_over(request.user, access.REOPEN_ROLES, child.council),
            "may_see_history": access.has_role_over(
                request.user, access.HISTORY_ROLES, child.council
            ),
            "next_steps": [(k, EventKind(k).label) for k in NEXT_STEPS.get(child.stage, [])],
            "all_steps": EventKind.choices,
            # Family finding (adopters app) is the region's adoption team's work.
            "may_find_family": may_edit
            and child.stage in (Stage.WAITING, Stage.WAITING_PO, Stage.LINKED, Stage.MATCHED)
            and access.has_region_role_over(
                request.user, access.CASE_EDIT_ROLES, child.council.region_id
            ),
            "tab": "record",
        },
    )


def child_history(request, pk: int):
    child = get_visible_child(request.user, pk)
    access.require_role_over(request.user, access.HISTORY_ROLES, child.council)
    audit_view(user=request.user, obj=child, council=child.council)
    return render(
        request,
        "children/child_history.html",
        {
            "child": child,
            "rows": child_history_rows(child),
            "may_see_history": True,
            "tab": "history",
        },
    )


def run_change(request, form, child: Child | None, save: Callable[[int | None], object]):
    """On a valid POST, call ``save(expected_version)`` through :func:`save_with`. Returns
    ``(saved, what the service returned)``."""
    if request.method != "POST" or not form.is_valid():
        return False, None
    result = []
    saved = save_with(request, form, child, lambda: result.append(save(expected_version(form))))
    return saved, (result[0] if result else None)


def done(request, child: Child, message: str | None):
    """Back to the record, saying what was saved (``None``: nothing had changed) and any
    data-quality warning the journey now carries."""
    if message is None:
        messages.info(request, "Nothing had changed, so nothing was saved.")
    else:
        flags = list(DataQualityFlag.objects.filter(child=child, hard=False))
        if flags:
            messages.warning(
                request, f"{message} Please check: " + " ".join(flag.message for flag in flags)
            )
        else:
            messages.success(request, message)
    return redirect("children:detail", pk=child.pk)


def form_page(request, form, title: str, child: Child | None = None, lead: str = ""):
    return render(
        request,
        "children/child_form.html",
        {"form": form, "title": title, "child": child, "lead": lead},
    )


def closed(request, child: Child):
    messages.warning(
        request,
        f"This record was closed on {child.closed_on:%d/%m/%Y}, so it cannot be changed. "
        "A team manager can reopen it.",
    )
    return redirect("children:detail", pk=child.pk)


def child_create_view(request):
    access.require_role(request.user, access.CASE_EDIT_ROLES)
    form = ChildForm(request.POST or None, user=request.user)
    saved, child = run_change(
        request,
        form,
        None,
        lambda version: services.child_create(
            council=form.cleaned_data["council"],
            acting_user=request.user,
            **form.service_fields(),
        ),
    )
    if saved:
        return done(request, child, f"{child.full_name} was added.")
    return form_page(request, form, "Add a child")


def child_edit_view(request, pk: int):
    child = get_editable_child(request.user, pk)
    if child.is_closed:
        return closed(request, child)
    # The form edits its own copy, so the service can see what changed against the stored row.
    form = ChildForm(
        request.POST or None, instance=get_visible_child(request.user, pk), user=request.user
    )
    saved, changed = run_change(
        request,
        form,
        child,
        lambda version: services.child_update(
            child=child, acting_user=request.user, expected_version=version, **form.service_fields()
        ),
    )
    if saved:
        return done(request, child, "Saved." if changed else None)
    # The form shows the whole record, so showing it is a read of the record.
    audit_record(
        user=request.user,
        action=AuditAction.VIEWED,
        object_type="child",
        object_id=child.pk,
        council=child.council,
        detail="edit form",
    )
    return form_page(request, form, f"Change {child.full_name}'s details", child)


# -- periods of care -----------------------------------------------------------------------------


def period_form_view(request, pk: int, period_pk: int | None = None):
    child = get_editable_child(request.user, pk)
    if child.is_closed:
        return closed(request, child)
    period = get_object_or_404(PeriodOfCare, pk=period_pk, child=child) if period_pk else None
    form = PeriodOfCareForm(request.POST or None, instance=period, child=child)

    def save(version):
        if period is None:
            return services.period_of_care_add(
                child=child,
                acting_user=request.user,
                expected_version=version,
                **form.service_fields(),
            )
        return services.period_of_care_update(
            period=period,
            acting_user=request.user,
            expected_version=version,
            **form.service_fields(),
        )

    saved, result = run_change(request, form, child, save)
    if saved:
        return done(request, child, "The period of care was saved." if result else None)
    title = "Correct a period of care" if period else "Record that the child entered care"
    return form_page(request, form, title, child)


# -- journey steps -------------------------------------------------------------------------------


def event_add_view(request, pk: int, kind: str):
    child = get_editable_child(request.user, pk)
    if kind not in EventKind.values:
        raise Http404("No such journey step.")
    if child.is_closed:
        return closed(request, child)
    form = JourneyEventForm(request.POST or None, child=child, kind=kind, user=request.user)
    saved, _ = run_change(
        request,
        form,
        child,
        lambda version: services.child_record_milestone(
            child=child,
            kind=kind,
            acting_user=request.user,
            expected_version=version,
            left_care_reason=form.cleaned_data.get("left_care_reason", ""),
            **form.service_fields(),
        ),
    )
    if saved:
        return done(request, child, f"{EventKind(kind).label} recorded.")
    return form_page(request, form, EventKind(kind).label, child)


def get_event(child: Child, event_pk: int) -> JourneyEvent:
    return get_object_or_404(JourneyEvent.objects.filter(child=child), pk=event_pk)


def event_edit_view(request, pk: int, event_pk: int):
    child = get_editable_child(request.user, pk)
    event = get_event(child, event_pk)
    if child.is_closed:
        return closed(request, child)
    form = JourneyEventForm(
        request.POST or None, instance=event, child=child, kind=event.kind, user=request.user
    )
    saved, changed = run_change(
        request,
        form,
        child,
        lambda version: services.journey_event_correct(
            event=event, acting_user=request.user, expected_version=version, **form.service_fields()
        ),
    )
    if saved:
        return done(request, child, "The correction was saved." if changed else None)
    return form_page(request, form, f"Correct: {event.get_kind_display()}", child)


def event_withdraw_view(request, pk: int, event_pk: int):
    child = get_editable_child(request.user, pk)
    event = get_event(child, event_pk)
    if child.is_closed:
        return closed(request, child)
    form = WithdrawEventForm(request.POST or None, child=child)
    saved, _ = run_change(
        request,
        form,
        child,
        lambda version: services.journey_event_withdraw(
            event=event,
            acting_user=request.user,
            reason=form.cleaned_data["reason"],
            expected_version=version,
        ),
    )
    what = f"{event.get_kind_display().lower()} of {event.date:%d/%m/%Y}"
    if saved:
        return done(request, child, f"The {what} was withdrawn. It stays in the record's history.")
    return form_page(
        request,
        form,
        f"Withdraw the {what}",
        child,
        lead="Withdraw a step only if it was recorded by mistake. It is kept in the record's "
        "history but no longer counts anywhere. To change its date or details, correct it "
        "instead.",
    )


# -- closing -------------------------------------------------------------------------------------


def child_close_view(request, pk: int):
    child = get_editable_child(request.user, pk)
    if child.is_closed:
        return closed(request, child)
    form = CloseChildForm(request.POST or None, child=child)
    saved, _ = run_change(
        request,
        form,
        child,
        lambda version: services.child_close(
            child=child,
            acting_user=request.user,
            reason=form.cleaned_data["reason"],
            expected_version=version,
        ),
    )
    if saved:
        return done(request, child, "The record was closed. It stays for reporting and history.")
    return form_page(
        request,
        form,
        f"Close {child.full_name}'s record",
        child,
        lead="A closed record is never deleted: it stays in the figures and its history, and "
        "can no longer be changed unless a team manager reopens it.",
    )


def child_reopen_view(request, pk: int):
    child = get_editable_child(request.user, pk)
    access.require_role_over(request.user, access.REOPEN_ROLES, child.council)
    if request.method == "POST":
        try:
            services.child_reopen(child=child, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The record was reopened.")
        return redirect("children:detail", pk=child.pk)
    return render(request, "children/child_reopen.html", {"child": child})


# -- data quality --------------------------------------------------------------------------------


def data_quality(request):
    access.require_role(request.user, access.CASE_VIEW_ROLES)
    councils = access.councils_for(request.user, access.CASE_VIEW_ROLES).order_by("name")
    council_id = request.GET.get("council", "")
    council_id = int(council_id) if council_id.isdigit() else None
    flags = quality_flags_list(request.user, council_id=council_id)
    page = Paginator(flags, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "children/data_quality.html",
        {
            "page": page,
            "rule_counts": quality_rule_counts(flags),
            "councils": councils,
            "council_id": council_id,
        },
    )
