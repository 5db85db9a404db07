"""Managers' dashboard, tracking list and board reports.

The pages exist with their access rules; their figures arrive with the scorecard engine
(stored results), the dashboards and the board reports.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render

from raa import access
from raa.models import Council, Region
from scorecard import periods as P
from scorecard import selectors
from scorecard.measures import MEASURES, SCORECARD_CODES
from scorecard.models import NationalFigure
from scorecard.services import mark_councils_pending


def tracking(request):
    access.require_role(request.user, access.TRACKING_ROLES)
    return render(request, "scorecard/tracking.html", {})


def reports(request):
    access.require_role(request.user, access.REPORT_ROLES)
    return render(request, "scorecard/reports.html", {})


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
        Council.objects.filter(pk__in=access.council_ids_for(request.user, roles))
        .select_related("region")
        .order_by("name")
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


def dashboard(request):
    """The latest window's A1, A10, A2, A3 from the stored results, with their freshness.
    (A placeholder: the managers' dashboard proper is built on the same selectors.)"""
    access.require_role(request.user, access.DASHBOARD_ROLES)
    scope = _scope(request, access.DASHBOARD_ROLES)
    latest = selectors.latest_window(region_id=scope.region.pk, council_id=scope.council_id)
    fresh = selectors.freshness(region_id=scope.region.pk, council_id=scope.council_id)
    rows = []
    if latest:
        for code in SCORECARD_CODES:
            rows.append(
                {
                    "code": code,
                    "measure": MEASURES[code],
                    "figure": latest.measure(code),
                    "passes": latest.passes(code),
                }
            )
    return render(
        request,
        "scorecard/dashboard.html",
        {
            "scope": scope,
            "latest": latest,
            "rows": rows,
            "freshness": fresh,
            "may_recompute": access.is_administrator(request.user),
            "so_far": bool(latest and latest.period.end > selectors.today()),
        },
    )


def figure(request):
    """One figure opened: its definition, the stored numbers and, for people who may see
    children, the children it counted and those it left out, with why."""
    access.require_role(request.user, FIGURE_ROLES)
    scope = _scope(request, FIGURE_ROLES)
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
    children = None
    if res and measure.per_child and access.has_role(request.user, access.CASE_VIEW_ROLES):
        children = _figure_children(request.user, code, res, scope)
    national = NationalFigure.objects.filter(measure=code)
    return render(
        request,
        "scorecard/figure.html",
        {
            "scope": scope,
            "code": code,
            "measure": measure,
            "result": res,
            "figure": res.measure(code) if res else None,
            "children": children,
            "national": national,
            "error": error,
            "freshness": selectors.freshness(
                region_id=scope.region.pk, council_id=scope.council_id
            ),
        },
        status=400 if error else 200,
    )


def _figure_children(user, code: str, res, scope: Scope) -> dict:
    """The children behind an A1/A10/A2/A3 figure, split into counted and left out."""
    rows = selectors.figure_children(
        user=user, period=res.period, region_id=scope.region.pk, council_id=scope.council_id
    )
    reason_key = "a2_reason" if code == "A2" else "a1_reason"
    counted, excluded = [], []
    for row in rows:
        days = {"A1": row["a1_days"], "A10": row["a10_days"], "A2": row["a2_days"]}.get(code)
        item = {**row, "days": days}
        if code == "A3":
            item["under"] = row["a3_under"]
        (excluded if row[reason_key] else counted).append(item)
    return {"counted": counted, "excluded": excluded, "reason_key": reason_key}


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
