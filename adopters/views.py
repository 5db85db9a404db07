"""Household pages: thin views that scope, validate and call a service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from adopters import rules, selectors, services
from adopters.forms import (
    NEXT_STEPS,
    STEPS,
    ChildNeedsForm,
    FamilyFindingForm,
    HoldForm,
    HouseholdForm,
    step_form_class,
)
from adopters.models import ContactLevel, HoldPeriod, Household, NeedLevel, StageCode
from children.models import EventKind, JourneyEvent
from children.selectors import harder_to_place_reasons
from children.views import get_visible_child
from raa import access
from raa.history import history_rows
from raa.models import AuditAction, Region
from raa.services import audit_record, audit_search, audit_view, region_get_or_create


def get_visible_household(user, pk: int) -> Household:
    access.require_role(user, access.CASE_VIEW_ROLES)
    return get_object_or_404(
        Household.objects.visible_to(user)
        .with_progress()
        .with_early_link()
        .select_related("recruiting_council"),
        pk=pk,
    )


def may_add_households(user) -> bool:
    return access.may_add_households(user)


def adding_region(user) -> Region:
    """The region a new household belongs to: the one over which the person is region-scope
    case staff (not merely the first region there is)."""
    region = (
        Region.objects.filter(pk__in=access.region_ids_for(user, access.CASE_EDIT_ROLES))
        .order_by("pk")
        .first()
    )
    return region or region_get_or_create()


def may_edit_household(user, household: Household) -> bool:
    return access.may_edit_household(user, household.region_id)


def get_editable_household(user, pk: int) -> Household:
    household = get_visible_household(user, pk)
    if not may_edit_household(user, household):
        raise PermissionDenied("Households are changed by the region's adoption team.")
    return household


def put_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def saved_message(request, household: Household, message: str) -> None:
    """Say what was saved, and any warning the household's record now carries (read again:
    the service saved a fresh copy)."""
    household.refresh_from_db()
    warnings = services.household_warnings(household)
    if warnings:
        messages.warning(request, f"{message} Please check: " + " ".join(warnings))
    else:
        messages.success(request, message)


# -- list -----------------------------------------------------------------------------------------


#: The households list's default: registered and not yet matched, not left.
ON_THE_WAY = "on_the_way"
ON_THE_WAY_STAGES = (
    StageCode.STAGE1,
    StageCode.BETWEEN,
    StageCode.STAGE2,
    StageCode.APPROVED,
    StageCode.ON_HOLD,
    StageCode.LINKED,
)


def household_list(request):
    access.require_role(request.user, access.CASE_VIEW_ROLES)
    visible = Household.objects.visible_to(request.user)
    households = visible.with_progress()
    search = request.GET.get("q", "").strip()
    if search:
        households = households.filter(
            Q(reference__iexact=search)
            | Q(first_applicant__icontains=search)
            | Q(second_applicant__icontains=search)
        )
    # Opens on households on the way to a match (a search looks at every stage).
    stage = request.GET.get("stage", "" if search else ON_THE_WAY)
    if stage in StageCode.values:
        households = households.filter(derived_stage=stage)
    elif stage == ON_THE_WAY:
        households = households.filter(derived_stage__in=ON_THE_WAY_STAGES)
    else:
        stage = ""
    page = Paginator(households.order_by("reference"), 50).get_page(request.GET.get("page"))
    if search:
        audit_search(user=request.user, object_type="household_list", found=page.paginator.count)
    return render(
        request,
        "adopters/household_list.html",
        {
            "page": page,
            "search": search,
            "stage": stage,
            "stages": [(ON_THE_WAY, "On the way to a match"), *StageCode.choices],
            "pipeline": selectors.pipeline_counts(visible),
            # Who is over or near a target: the tracking app's panel (tracking_panels).
            "visible_households": visible,
            "may_add": may_add_households(request.user),
        },
    )


# -- one household --------------------------------------------------------------------------------


def household_detail(request, pk: int):
    household = get_visible_household(request.user, pk)
    audit_view(user=request.user, obj=household, council=None)
    today = timezone.localdate()
    events = list(
        JourneyEvent.objects.visible_to(request.user)
        .filter(household=household)
        .select_related("child", "child__council", "household")
    )
    first_match = min((e.date for e in events if e.kind == EventKind.MATCHED), default=None)
    holds = list(household.hold_periods.all())
    may_edit = may_edit_household(request.user, household)
    stage = household.stage_code
    next_steps = (
        [] if household.left_date or stage == StageCode.ON_HOLD else NEXT_STEPS.get(stage, [])
    )
    if household.fast_track and stage in ("enquiry", "information_event"):
        next_steps = [*next_steps, "stage2_start"]
    return render(
        request,
        "adopters/household_detail.html",
        {
            "household": household,
            "events": events,
            # The stage targets are put against the steps by the tracking app (tracking_panels).
            "timeline": timeline(household, holds, first_match),
            "first_match": first_match,
            "holds": holds,
            "open_hold": next((h for h in holds if h.end_date is None), None),
            "warnings": services.household_warnings(household, today=today),
            "expected": rules.expected_approval(household, today=today)
            if household.early_linked_since
            else None,
            "stage2_late": rules.stage2_late(services.household_values(household)),
            "next_steps": [(s, STEPS[s][1]) for s in next_steps],
            "may_edit": may_edit,
            # A household caring for (or matched with) a child is not put on hold.
            "may_hold": stage not in (StageCode.MATCHED, StageCode.PLACED, StageCode.ADOPTED),
            "may_see_history": selectors.has_role_over(
                request.user, access.HISTORY_ROLES, household
            ),
            "tab": "record",
        },
    )


def timeline(household: Household, holds: list[HoldPeriod], first_match=None) -> list[dict]:
    """The household's steps in date order, each with the code of the stage target it finishes
    (if any): ``closes``."""
    rows = [
        ("Enquiry", household.enquiry_date, None),
        ("Information event", household.information_event_date, None),
        ("Registration of interest: Stage 1 starts", household.registration_date, None),
        ("Stage 1 ends", household.stage1_end_date, "household_stage1"),
        ("Stage 2 starts", household.stage2_start_date, None),
        ("Approval panel", household.panel_date, None),
        ("Approved by the ADM", household.approval_date, "household_stage2"),
        ("Left the process", household.left_date, None),
        ("Matched with a child", first_match, "household_approval_to_match"),
    ]
    for hold in holds:
        rows.append((f"On hold: {hold.get_reason_display()}", hold.start_date, None))
        if hold.end_date:
            rows.append(("Hold ended", hold.end_date, None))
    result = [{"label": label, "date": day, "closes": code} for label, day, code in rows if day]
    result.sort(key=lambda row: row["date"])
    return result


def household_history(request, pk: int):
    household = get_visible_household(request.user, pk)
    if not selectors.has_role_over(request.user, access.HISTORY_ROLES, household):
        raise PermissionDenied("Your role over this household does not include its history.")
    audit_view(user=request.user, obj=household, council=None)
    return render(
        request,
        "adopters/household_history.html",
        {
            "household": household,
            "rows": history_rows(
                household.history.all(), HoldPeriod.history.filter(household_id=household.pk)
            ),
            "may_see_history": True,
            "tab": "history",
        },
    )


# -- changes --------------------------------------------------------------------------------------


def form_page(request, form, title: str, household: Household | None = None, lead: str = ""):
    return render(
        request,
        "adopters/household_form.html",
        {"form": form, "title": title, "household": household, "lead": lead},
    )


def household_create_view(request):
    access.require_role(request.user, access.CASE_VIEW_ROLES)
    if not may_add_households(request.user):
        raise PermissionDenied("Households are added by the region's adoption team.")
    region = adding_region(request.user)
    form = HouseholdForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        try:
            household = services.household_create(
                region=region, acting_user=request.user, **form.service_fields()
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            saved_message(request, household, f"Household {household.reference} was added.")
            return redirect("adopters:detail", pk=household.pk)
    return form_page(request, form, "Add a household")


def household_edit_view(request, pk: int):
    household = get_editable_household(request.user, pk)
    form = HouseholdForm(
        request.POST or None,
        instance=Household.objects.get(pk=household.pk),
        region=household.region,
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.household_update(
                household=household, acting_user=request.user, **form.service_fields()
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            if changed:
                saved_message(request, household, "Saved.")
            else:
                messages.info(request, "Nothing had changed, so nothing was saved.")
            return redirect("adopters:detail", pk=household.pk)
    # The form shows the whole household, so showing it is a read of the record.
    audit_record(
        user=request.user,
        action=AuditAction.VIEWED,
        object_type="household",
        object_id=household.pk,
        detail="edit form",
    )
    return form_page(request, form, f"Change household {household.reference}", household)


def household_step_view(request, pk: int, step: str):
    household = get_editable_household(request.user, pk)
    if step not in STEPS:
        raise Http404("No such step.")
    if step == "stage2_late" and not rules.stage2_late(services.household_values(household)):
        raise Http404("Stage 2 did not start more than 6 months after Stage 1 ended.")
    form = step_form_class(step)(
        request.POST or None, instance=Household.objects.get(pk=household.pk), step=step
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.household_update(
                household=household, acting_user=request.user, **form.service_fields()
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            what = form.title.removeprefix("Record ")
            saved_message(request, household, f"{what[0].upper()}{what[1:]}: recorded.")
            return redirect("adopters:detail", pk=household.pk)
    return form_page(request, form, form.title, household)


def household_hold_view(request, pk: int):
    """Put the household on hold, or end the hold it is on."""
    household = get_editable_household(request.user, pk)
    open_hold = household.hold_periods.filter(end_date__isnull=True).first()
    form = HoldForm(request.POST or None, instance=open_hold, ending=open_hold is not None)
    if request.method == "POST" and form.is_valid():
        try:
            if open_hold:
                services.household_hold_change(
                    hold=open_hold,
                    acting_user=request.user,
                    end_date=form.cleaned_data["end_date"],
                )
            else:
                services.household_hold_start(
                    household=household,
                    acting_user=request.user,
                    start_date=form.cleaned_data["start_date"],
                    reason=form.cleaned_data["reason"],
                )
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(
                request, "The hold ended." if open_hold else "The household is on hold."
            )
            return redirect("adopters:detail", pk=household.pk)
    title = "End the hold" if open_hold else "Put the household on hold"
    return form_page(request, form, title, household)


# -- family finding -------------------------------------------------------------------------------


def get_family_finding_child(user, pk: int, *, edit: bool):
    """The child (404 outside the person's scope). Family finding is the region's adoption
    team's work: it needs a region-scope role (403 otherwise)."""
    child = get_visible_child(user, pk)
    if not access.may_do_family_finding(user, child.council.region_id, edit=edit):
        raise PermissionDenied("Family finding is done by the region's adoption team.")
    return child


def family_finding(request, pk: int):
    child = get_family_finding_child(request.user, pk, edit=False)
    today = timezone.localdate()
    needs = selectors.Needs.for_child(child)
    may_record = access.may_do_family_finding(
        request.user, child.council.region_id, edit=True
    ) and not (child.is_closed)
    group = services.children_placed_together(child)
    ffa = JourneyEvent.objects.filter(child=child, kind=EventKind.FFA_DECISION).exists()
    # Households still in assessment, for an early link: only for a child harder to place.
    harder = harder_to_place_reasons(child, today)
    asked = request.GET.get("assessment") == "1"
    in_assessment = asked and bool(harder)
    ranked = selectors.rank_households(
        child,
        needs=needs,
        today=today,
        group_size=len(group),
        ffa=ffa,
        in_assessment=in_assessment,
    )
    audit_view(user=request.user, obj=child, council=child.council)
    return render(
        request,
        "adopters/family_finding.html",
        {
            "child": child,
            "age": selectors.age_in_years(child.date_of_birth, today),
            "group": group,
            "needs": [
                ("Health needs", NeedLevel(needs.health_needs).label),
                ("Disability", NeedLevel(needs.disability_needs).label),
                ("Developmental uncertainty", NeedLevel(needs.developmental_uncertainty).label),
                ("Contact in the plan", ContactLevel(needs.contact).label),
            ],
            "needs_form": ChildNeedsForm(initial=vars(needs)) if may_record else None,
            "ranked": ranked,
            "ffa": ffa,
            "may_record": may_record,
            "harder": harder,
            "in_assessment": in_assessment,
            "early_link_refusal": selectors.early_link_refusal(child, today=today),
        },
    )


def child_needs_view(request, pk: int):
    """Save what the child needs of a family; the ranking then uses it."""
    child = get_family_finding_child(request.user, pk, edit=True)
    if child.is_closed:
        raise PermissionDenied("This record is closed.")
    form = ChildNeedsForm(request.POST or None, initial=vars(selectors.Needs.for_child(child)))
    if request.method == "POST" and form.is_valid():
        changed = services.child_needs_save(
            child=child, acting_user=request.user, **form.cleaned_data
        )
        messages.success(
            request, "The child's needs were saved." if changed else "Nothing had changed."
        )
        return redirect("adopters:family_finding", pk=child.pk)
    return render(
        request,
        "adopters/family_finding_form.html",
        {"form": form, "child": child, "title": "The child's needs for family finding"},
    )


def family_finding_record_view(request, pk: int, kind: str):
    child = get_family_finding_child(request.user, pk, edit=True)
    if kind not in services.FAMILY_FINDING_STEPS:
        raise Http404("Family finding records a link, match or placement.")
    group = services.children_placed_together(child)
    if kind == "linked":
        # An early link (a household still in assessment) only for a child harder to place.
        households = selectors.family_finding_candidates(
            child,
            in_assessment=request.GET.get("assessment") == "1"
            and bool(harder_to_place_reasons(child, timezone.localdate())),
        )
    else:
        linked = JourneyEvent.objects.filter(child=child, kind__in=("linked", "matched")).values(
            "household_id"
        )
        households = Household.objects.filter(pk__in=linked)
    chosen = request.GET.get("household", "")
    latest = (
        JourneyEvent.objects.filter(child=child, kind__in=("linked", "matched"))
        .order_by("-date", "-id")
        .values_list("household_id", flat=True)
        .first()
    )
    initial = {"household": int(chosen) if chosen.isdigit() else latest}
    form = FamilyFindingForm(
        request.POST or None,
        initial=initial,
        kind=kind,
        households=households.order_by("reference"),
        siblings=len(group),
    )
    if request.method == "POST" and form.is_valid():
        try:
            events = services.family_finding_record(
                household=form.cleaned_data["household"],
                child=child,
                kind=kind,
                date=form.cleaned_data["date"],
                panel_date=form.cleaned_data.get("panel_date"),
                with_siblings=form.cleaned_data.get("with_siblings", False),
                acting_user=request.user,
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            label = EventKind(kind).label
            who = f" for {len(events)} children" if len(events) > 1 else ""
            if events and events[0].early_link:
                household = events[0].household
                label = (
                    f"Early link with household {household.reference} "
                    f"({household.stage}, not yet approved)"
                )
            messages.success(request, f"{label} recorded{who}.")
            return redirect("children:detail", pk=child.pk)
    return render(
        request,
        "adopters/family_finding_form.html",
        {"form": form, "child": child, "title": EventKind(kind).label, "group": group},
    )
