"""Children pages: thin views that scope, validate and call a service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from children.forms import ChildForm
from children.models import Child, JourneyEvent, PeriodOfCare
from children.selectors import child_timeline, children_list, stage_label
from children.services import CHILD_FIELDS, child_create, child_update
from raa import access
from raa.history import history_rows
from raa.services import audit_view


def get_visible_child(user, pk: int) -> Child:
    """The child if the person may see children at all (else 403) and this one is in their
    scope (else 404, so another council's child does not leak)."""
    access.require_role(user, access.CASE_VIEW_ROLES)
    return get_object_or_404(Child.objects.visible_to(user).select_related("council"), pk=pk)


def child_list(request):
    access.require_role(request.user, access.CASE_VIEW_ROLES)
    councils = access.councils_for(request.user, access.CASE_VIEW_ROLES)
    council_id = request.GET.get("council")
    council_id = int(council_id) if council_id and council_id.isdigit() else None
    search = request.GET.get("q", "")
    children = children_list(request.user, search=search, council_id=council_id)
    page = Paginator(children, 50).get_page(request.GET.get("page"))
    for child in page:
        child.stage = stage_label(child.latest_event_kind)
    return render(
        request,
        "children/child_list.html",
        {
            "page": page,
            "search": search,
            "councils": councils,
            "council_id": council_id,
            "may_add": access.has_role(request.user, access.CASE_EDIT_ROLES),
        },
    )


def child_detail(request, pk: int):
    child = get_visible_child(request.user, pk)
    audit_view(user=request.user, obj=child, council=child.council)
    return render(
        request,
        "children/child_detail.html",
        {
            "child": child,
            "timeline": child_timeline(child),
            "may_edit": access.may_edit_council_records(request.user, child.council_id),
            "may_see_history": access.has_role(request.user, access.HISTORY_ROLES),
            "tab": "record",
        },
    )


def child_history(request, pk: int):
    child = get_visible_child(request.user, pk)
    access.require_role(request.user, access.HISTORY_ROLES)
    audit_view(user=request.user, obj=child, council=child.council)
    rows = history_rows(
        child.history.all(),
        PeriodOfCare.history.filter(child_id=child.pk),
        JourneyEvent.history.filter(child_id=child.pk),
    )
    return render(
        request,
        "children/child_history.html",
        {"child": child, "rows": rows, "may_see_history": True, "tab": "history"},
    )


def child_create_view(request):
    access.require_role(request.user, access.CASE_EDIT_ROLES)
    form = ChildForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in CHILD_FIELDS}
        try:
            child = child_create(
                council=form.cleaned_data["council"], acting_user=request.user, **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{child.full_name} was added.")
            return redirect("children:detail", pk=child.pk)
    return render(request, "children/child_form.html", {"form": form, "title": "Add a child"})


def child_edit_view(request, pk: int):
    child = get_visible_child(request.user, pk)
    access.require_edit(request.user, child.council_id)
    # The form edits its own copy, so the service can see what changed against the stored row.
    form = ChildForm(
        request.POST or None, instance=get_visible_child(request.user, pk), user=request.user
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k in CHILD_FIELDS}
        try:
            changed = child_update(child=child, acting_user=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "Saved." if changed else "Nothing had changed, so nothing was saved."
            )
            return redirect("children:detail", pk=child.pk)
    return render(
        request,
        "children/child_form.html",
        {"form": form, "title": f"Change {child.full_name}'s details", "child": child},
    )
