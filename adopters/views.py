"""Household pages: thin views that scope, validate and call a service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render

from adopters.forms import HouseholdForm
from adopters.models import Household
from adopters.services import HOUSEHOLD_FIELDS, household_create, household_update
from children.models import JourneyEvent
from raa import access
from raa.history import history_rows
from raa.services import audit_view, region_get_or_create


def get_visible_household(user, pk: int) -> Household:
    access.require_role(user, access.CASE_VIEW_ROLES)
    return get_object_or_404(Household.objects.visible_to(user).with_progress(), pk=pk)


def may_edit_households(user) -> bool:
    """Households belong to the region, so only region-scope case staff change them."""
    return bool(access.region_ids_for(user, access.CASE_EDIT_ROLES))


def household_list(request):
    access.require_role(request.user, access.CASE_VIEW_ROLES)
    households = Household.objects.visible_to(request.user).with_progress()
    search = request.GET.get("q", "").strip()
    if search:
        households = households.filter(
            Q(reference__iexact=search)
            | Q(first_applicant__icontains=search)
            | Q(second_applicant__icontains=search)
        )
    page = Paginator(households.order_by("reference"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "adopters/household_list.html",
        {"page": page, "search": search, "may_add": may_edit_households(request.user)},
    )


def household_detail(request, pk: int):
    household = get_visible_household(request.user, pk)
    audit_view(user=request.user, obj=household, council=None)
    events = (
        JourneyEvent.objects.visible_to(request.user)
        .filter(household=household)
        .select_related("child", "child__council")
    )
    return render(
        request,
        "adopters/household_detail.html",
        {
            "household": household,
            "events": events,
            "may_edit": may_edit_households(request.user),
            "may_see_history": access.has_role(request.user, access.HISTORY_ROLES),
            "tab": "record",
        },
    )


def household_history(request, pk: int):
    household = get_visible_household(request.user, pk)
    access.require_role(request.user, access.HISTORY_ROLES)
    audit_view(user=request.user, obj=household, council=None)
    return render(
        request,
        "adopters/household_history.html",
        {
            "household": household,
            "rows": history_rows(household.history.all()),
            "may_see_history": True,
            "tab": "history",
        },
    )


def _save(request, form, household: Household | None):
    data = {k: v for k, v in form.cleaned_data.items() if k in HOUSEHOLD_FIELDS}
    try:
        if household is None:
            household = household_create(
                region=region_get_or_create(), acting_user=request.user, **data
            )
            messages.success(request, f"Household {household.reference} was added.")
        else:
            changed = household_update(household=household, acting_user=request.user, **data)
            messages.success(request, "Saved." if changed else "Nothing had changed.")
    except ValidationError as error:
        form.add_error(None, error)
        return None
    return redirect("adopters:detail", pk=household.pk)


def household_create_view(request):
    access.require_role(request.user, access.CASE_VIEW_ROLES)
    if not may_edit_households(request.user):
        raise PermissionDenied("Households are added by the region's adoption team.")
    form = HouseholdForm(request.POST or None, region=region_get_or_create())
    if request.method == "POST" and form.is_valid():
        response = _save(request, form, None)
        if response:
            return response
    return render(
        request, "adopters/household_form.html", {"form": form, "title": "Add a household"}
    )


def household_edit_view(request, pk: int):
    household = get_visible_household(request.user, pk)
    if not may_edit_households(request.user):
        raise PermissionDenied("Households are changed by the region's adoption team.")
    form = HouseholdForm(
        request.POST or None,
        instance=get_visible_household(request.user, pk),
        region=household.region,
    )
    if request.method == "POST" and form.is_valid():
        response = _save(request, form, household)
        if response:
            return response
    return render(
        request,
        "adopters/household_form.html",
        {"form": form, "title": f"Change household {household.reference}", "household": household},
    )
