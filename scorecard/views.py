"""Managers' dashboard and the scorecard engine's pages (a figure opened, "recompute now"):
thin views that check the role, read through the scoped selectors and render."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from adopters.models import Household
from children.models import Child
from raa import access
from raa.freshness import mark_councils_pending
from raa.models import AuditAction, Council, Region
from raa.services import audit_record
from scorecard import dashboard as D
from scorecard import periods as P
from scorecard import selectors
from scorecard.cohorts import (
    DEFAULT_IN_CARE_MONTHS,
    DEFAULT_ORDER_MONTHS,
    THRESHOLD_MONTHS_MAX,
    THRESHOLD_MONTHS_MIN,
    cohort_dates,
)
from scorecard.forms import COHORT_DATES_FROM, CohortForm
from scorecard.measures import MEASURES
from scorecard.measures.members import unit
from scorecard.models import NationalFigure
from scorecard.reference import A3_MONTHS_FALLBACK

PER_PAGE = 100
PRINT_ALL = 2000


# -- the scorecard engine's pages -----------------------------------------------------------------

FIGURE_ROLES = access.DASHBOARD_ROLES | access.REPORT_ROLES


@dataclass
class Scope:
    region: Region
    council: Council | None
    councils: list[Council]  # every council the person may pick

    @property
    def council_id(self) -> int | None:
        return self.council.pk if self.council else None

    @property
    def name(self) -> str:
        return self.council.name if self.council else self.region.name


def _scope(request, roles) -> Scope:
    """The region or council a scorecard page is about: ``?council=CODE`` (404 outside the
    person's councils), else the person's only council, else their region."""
    allowed = list(
        access.councils_for(request.user, roles).select_related("region").order_by("name")
    )
    if not allowed:
        raise Http404("No council in your scope.")
    code = request.GET.get("council", "").strip()
    if code:
        council = next((c for c in allowed if c.la_code == code), None)
        if council is None:
            raise Http404("No such council in your scope.")
        return Scope(council.region, council, allowed)
    if len(allowed) == 1 and not access.region_wide(request.user, roles):
        return Scope(allowed[0].region, allowed[0], allowed)
    return Scope(allowed[0].region, None, allowed)


def _sees_children(user, scope: Scope) -> bool:
    """Whether the person may see the children behind the scope's figures: a role that sees
    children over the council, or over every council of the region for the region's figures.
    A role that sees children in another council does not count (the list would be another
    council's children, or an incomplete list presented as the whole)."""
    if scope.council is not None:
        return access.has_role_over(user, access.CASE_VIEW_ROLES, scope.council)
    return access.has_region_role_over(user, access.CASE_VIEW_ROLES, scope.region.pk)


def dashboard(request):
    """The managers' dashboard of one scope (the region or a council), from stored results."""
    access.require_role(request.user, access.DASHBOARD_ROLES)
    today = timezone.localdate()
    scope = _scope(request, access.DASHBOARD_ROLES)
    may_see_region = access.region_wide(request.user, access.DASHBOARD_ROLES)
    if scope.council is None and not may_see_region:
        # A manager of several councils (not the region) opens on their first council: the
        # region's figures include councils outside their scope.
        scope = Scope(scope.councils[0].region, scope.councils[0], scope.councils)
    region_wide = scope.council is None
    region_id, council_id = scope.region.pk, scope.council_id
    by_kind, by_council = D.stored_results(
        region_id=region_id, council_id=council_id, with_councils=region_wide
    )
    windows, years, quarters = by_kind[P.WINDOW], by_kind[P.YEAR], by_kind[P.QUARTER]
    national = D._national_figures()
    # A council's figures sit beside the region's for the same window.
    region_windows = (
        [] if region_wide else D.stored_results(region_id=region_id, council_id=None)[0][P.WINDOW]
    )
    # Financial years on offer: those stored, newest first; the current one by default.
    year_choices = sorted({y.period.first_year for y in years}, reverse=True)
    wanted = request.GET.get("year", "")
    first_year = int(wanted) if wanted.isdigit() and int(wanted) in year_choices else P.fy_of(today)
    latest = D.headline_window(windows, today)
    # The cohort comparison: the date and the two thresholds are the person's choice, each
    # defaulting (DOMAIN.md A.7: the start of last financial year; A3's N and 12 months).
    a3_months = int((latest.measure("A3")["threshold"] if latest else None) or A3_MONTHS_FALLBACK)
    cohort_form = CohortForm(
        request.GET,
        today=today,
        default_date=D.default_cohort_date(today),
        default_in_care_months=a3_months,
    )
    cohort = cohort_form.choice()
    context = {
        "scope": scope,
        "region_wide": region_wide,
        "may_see_region": may_see_region,
        "may_recompute": access.is_administrator(request.user),
        "latest_running": bool(latest and latest.period.end >= today),
        "freshness": D.freshness(by_kind, region_id=region_id, council_id=council_id),
        "latest": latest,
        "headlines": D.headlines(windows, national, today, region_windows),
        "trend_charts": D.trend_charts(windows, scope, national, today) if windows else [],
        "activity": D.activity_table(quarters, years, first_year, today),
        "year_choices": [(y, P.fy_label(y)) for y in year_choices],
        "waiting": D.waiting_section(quarters, today),
        "adopters": D.adopters_section(years, quarters, today),
        "timeline": D.timeline_section(years, today),
        "cohorts": D.cohort_section(
            scope, cohort.pivot, today, cohort.in_care_months, cohort.order_months
        ),
        "cohort_form": cohort_form,
        "cohort_bounds": (THRESHOLD_MONTHS_MIN, THRESHOLD_MONTHS_MAX),
        "cohort_errors": cohort_form.problems(),
        "today": today,
        "sees_children": _sees_children(request.user, scope),
    }
    if region_wide:
        context["compare_rows"], context["compare_chart"] = D.compare_councils(
            scope, by_council, latest, today, national
        )
    return render(request, "scorecard/dashboard.html", context)


#: The dates the figure page shows for each member, by measure family: (heading, key).
MEMBER_DATES = {
    "scorecard": (
        ("Entered care", "entered"),
        ("Placement order", "po_date"),
        ("Matched", "match_date"),
        ("Placed", "placed_date"),
        ("Adoption order", "ao_date"),
    ),
    "activity": (("Dated", "date"),),
    "waiting": (
        ("Waiting since", "ds"),
        ("Entered care", "entered"),
        ("Placement order", "po"),
        ("Born", "date_of_birth"),
    ),
    "timeline": (
        ("Entered care", "entered"),
        ("Permanence decision", "perm"),
        ("ADM decision", "adm"),
        ("Placement order", "po"),
        ("Matched", "match_date"),
        ("Placed", "placed_date"),
        ("Adoption order", "ao"),
    ),
    "adopters": (
        ("Enquiry", "enquiry_date"),
        ("Registered", "registration_date"),
        ("Stage 1 ended", "stage1_end_date"),
        ("Stage 2 started", "stage2_start_date"),
        ("Approved", "approval_date"),
        ("First match", "first_match"),
        ("Left", "left_date"),
    ),
    "cohort": (
        ("Entered care", "entered"),
        ("ADM decision", "adm"),
        ("Placement order", "po"),
        ("Placed", "placed_date"),
    ),
}


def figure(request):
    """One figure opened: its definition, the stored numbers and, for people who may see
    children, the children (or households) it counted and those it left out, with why."""
    access.require_role(request.user, FIGURE_ROLES)
    scope = _scope(request, FIGURE_ROLES)
    today = timezone.localdate()
    code = request.GET.get("code", "A1").strip()
    if code not in MEASURES:
        raise Http404("No such measure.")
    measure = MEASURES[code]
    label = request.GET.get("period", "").strip()
    error = None
    res = None
    if label:
        try:
            period = P.period_from_label(label)
        except ValueError as problem:
            error = f"Period: {problem}"
        else:
            res = selectors.scorecard_result(
                period=period, region_id=scope.region.pk, council_id=scope.council_id
            )
    else:
        res = selectors.latest_window(region_id=scope.region.pk, council_id=scope.council_id)
    members = None
    if res and _sees_children(request.user, scope):
        rows = selectors.figure_members(
            user=request.user,
            code=code,
            period=res.period,
            region_id=scope.region.pk,
            council_id=scope.council_id,
        )
        members = _members(request, rows, family=measure.group, unit=unit(code), kind=measure.kind)
        audit_record(
            user=request.user,
            action=AuditAction.VIEWED,
            object_type="figure_children",
            object_id=code,
            council=scope.council,
            detail=f"{res.period.label}: members listed",
        )
    national = NationalFigure.objects.filter(measure=code)
    return render(
        request,
        "scorecard/figure.html",
        {
            "scope": scope,
            "code": code,
            "measure": measure,
            "measure_label": measure.label_for(res.measure(code)["threshold"] if res else None),
            "result": res,
            "figure": res.measure(code) if res else None,
            "members": members,
            "national": national,
            "england_same": next(
                (n for n in national if res and n.period == res.period.label), None
            ),
            "today": today,
            "running": bool(res and res.period.start <= today <= res.period.end),
            "error": error,
            "freshness": selectors.freshness(
                region_id=scope.region.pk, council_id=scope.council_id
            ),
        },
        status=400 if error else 200,
    )


def _as_date(value):
    return date.fromisoformat(value[:10]) if isinstance(value, str) and value else value


def _members(request, rows: list[dict], *, family: str, unit: str, kind: str) -> dict:
    """A figure's members for the page: counted and left out, each paginated (``page``,
    ``xpage``), with the records of the rows shown only (one query for the page, whatever the
    figure's size). A member the person may not open (a household recruited by their council
    but never linked with one of its children) is listed without a name, so the list still adds
    up to the figure."""
    counted = [r for r in rows if r["counted"]]
    left_out = [r for r in rows if not r["counted"]]
    pages = {
        "counted": Paginator(counted, PER_PAGE).get_page(request.GET.get("page")),
        "left_out": Paginator(left_out, PER_PAGE).get_page(request.GET.get("xpage")),
    }
    shown = [r for page in pages.values() for r in page.object_list]
    if unit == "households":
        key = "household_id"
        records = Household.objects.visible_to(request.user).in_bulk({r[key] for r in shown})
    else:
        key = "child_id"
        records = Child.objects.visible_to(request.user).in_bulk({r[key] for r in shown})
    dates = MEMBER_DATES[family]

    def item(row: dict) -> dict:
        return {
            **row,
            "record": records.get(row[key]),
            "cells": [_as_date(row.get(k)) for _, k in dates],
        }

    def nav(param: str, page) -> dict:
        def link(number: int) -> str:
            query = request.GET.copy()
            query[param] = str(number)
            return "?" + query.urlencode()

        return {
            "page": page,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "next": link(page.next_page_number()) if page.has_next() else None,
        }

    excluded: dict[str, int] = {}
    for row in left_out:
        excluded[row["reason"]] = excluded.get(row["reason"], 0) + 1
    return {
        "unit": unit,
        "kind": kind,
        "headings": [heading for heading, _ in dates],
        "counted": [item(r) for r in pages["counted"].object_list],
        "left_out": [item(r) for r in pages["left_out"].object_list],
        "counted_nav": nav("page", pages["counted"]),
        "left_out_nav": nav("xpage", pages["left_out"]),
        "n_counted": len(counted),
        "n_numerator": sum(1 for r in counted if r["in_numerator"]),
        "n_left_out": len(left_out),
        "excluded": excluded,
    }


COHORT_LABELS = {
    "placed": "Mean days, entering care to placed",
    "placed_n_months": "Placed in less than {n} months of entering care",
    "adm": "Mean days, entering care to ADM decision",
    "po_m_months": "Placed less than {m} months after the placement order",
}


def _months(request, name: str, default: int, *, old: str = "") -> int:
    """A threshold of the cohort comparison from the query string (``old``: the name earlier
    links used), within the dashboard form's bounds; else ValueError."""
    text = request.GET.get(name) or (request.GET.get(old) if old else None)
    value = int(text) if text else default
    if not THRESHOLD_MONTHS_MIN <= value <= THRESHOLD_MONTHS_MAX:
        raise ValueError(name)
    return value


def cohort_figure(request):
    """One figure of the dashboard's cohort comparison opened: the children on one side
    (``side=before|after``) behind one of its figures (``measure``), around ``cohort_date``
    with the thresholds ``in_care_months`` (N) and ``order_months`` (M), as the dashboard
    computed it. Same people and scope as the figure
    page; only those who may see children see them."""
    access.require_role(request.user, FIGURE_ROLES)
    scope = _scope(request, FIGURE_ROLES)
    today = timezone.localdate()
    measure = request.GET.get("measure", "placed")
    side = request.GET.get("side", "before")
    if measure not in COHORT_LABELS or side not in ("before", "after"):
        raise Http404("No such figure.")
    pivot = D.default_cohort_date(today)
    try:
        if request.GET.get("cohort_date"):
            pivot = date.fromisoformat(request.GET["cohort_date"])
        n_months = _months(request, "in_care_months", DEFAULT_IN_CARE_MONTHS, old="n")
        m_months = _months(request, "order_months", DEFAULT_ORDER_MONTHS)
        if not COHORT_DATES_FROM <= pivot <= today:
            raise ValueError
    except ValueError:
        raise Http404("No such cohort.") from None
    members = None
    if _sees_children(request.user, scope):
        rows = selectors.cohort_members(
            user=request.user,
            region_id=scope.region.pk,
            council_id=scope.council_id,
            pivot=pivot,
            today=today,
            n_months=n_months,
            m_months=m_months,
            side=side,
            measure=measure,
        )
        kind = "mean" if measure in ("placed", "adm") else "percent"
        members = _members(request, rows, family="cohort", unit="children", kind=kind)
    start, end = cohort_dates(pivot, today)
    return render(
        request,
        "scorecard/cohort_figure.html",
        {
            "scope": scope,
            "label": COHORT_LABELS[measure].format(n=n_months, m=m_months),
            "side": side,
            "pivot": pivot,
            "n_months": n_months,
            "m_months": m_months,
            "start": start if side == "before" else pivot,
            "end": pivot - timedelta(days=1) if side == "before" else end,
            "members": members,
            "freshness": selectors.freshness(
                region_id=scope.region.pk, council_id=scope.council_id
            ),
        },
    )


def recompute(request):
    """An administrator's "recompute now": every council's figures, in the background."""
    access.require_role(request.user, access.ADMIN_ROLES)
    if request.method == "POST":
        council_ids = list(Council.objects.values_list("pk", flat=True))
        with transaction.atomic():
            # pending markers: the pages say "updating…", jobs are queued after commit, and
            # the sweep picks up any the queue misses
            mark_councils_pending(council_ids)
        messages.success(
            request,
            f"Recompute queued for {len(council_ids)} councils: the figures show “updating…” "
            "until it is done.",
        )
        return redirect("scorecard:dashboard")
    return render(request, "scorecard/recompute.html", {})
