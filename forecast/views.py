"""The managers' what-if page: pick waiting children (or every child linked today) and the
dates they would be matched, placed and adopted; see the window's A1, A2 and A3 before and
after, through the scorecard's own measure code. Nothing is written (a GET form)."""

import calendar
from datetime import date, timedelta

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from children.models import Stage
from forecast import selectors
from forecast.projection import current_window, what_if
from raa import access
from raa.models import AuditAction
from raa.services import audit_record
from scorecard.periods import window

#: Typical days from match to placed and from placed to the order, where no fit says better.
DEFAULT_PLACED_LAG = 21
DEFAULT_ADOPTION_LAG = 200


def _date(query, name: str, label: str, errors: list) -> date | None:
    text = query.get(name, "").strip()
    if not text:
        return None
    try:
        value = date.fromisoformat(text)
    except ValueError:
        errors.append(f"{label}: “{text[:20]}” is not a date (give it as YYYY-MM-DD).")
        return None
    if not 1990 <= value.year <= 2100:
        errors.append(f"{label}: {value:%d/%m/%Y} is outside 1990 to 2100.")
        return None
    return value


def what_if_page(request):
    access.require_role(request.user, selectors.WHAT_IF_ROLES)
    query = request.GET
    region_id = int(query["region"]) if query.get("region", "").isdigit() else None
    region_id, council_ids, regions = selectors.what_if_scope(request.user, region_id)
    if region_id is None:
        raise Http404("No council in your scope.")
    today = timezone.localdate()
    current = current_window(today)
    windows = [current, window(current.first_year + 1)]
    chosen = next((w for w in windows if w.label == query.get("window")), current)
    stored = selectors.latest_model(region_id)
    placed_lag = (stored.placed_lag_days if stored else None) or DEFAULT_PLACED_LAG
    adoption_lag = (stored.adoption_lag_days if stored else None) or DEFAULT_ADOPTION_LAG
    forecasts = selectors.waiting_forecasts(region_id, council_ids)
    errors: list[str] = []
    month_end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    match = _date(query, "match", "Match date", errors) or month_end
    placed = _date(query, "placed", "Placed date", errors)
    adopted = _date(query, "adopted", "Adoption order date", errors)
    if placed and placed < match:
        errors.append(f"Placed date {placed:%d/%m/%Y} is before the match date {match:%d/%m/%Y}.")
    if adopted and adopted < (placed or match):
        errors.append("Adoption order date is before the placed (or match) date.")
    waiting_ids = {f.child_id for f in forecasts}
    picked = {int(v) for v in query.getlist("child") if v.isdigit() and int(v) in waiting_ids}
    all_linked = query.get("all_linked") == "1"
    if all_linked:
        picked |= {f.child_id for f in forecasts if f.child.stage == Stage.LINKED}
    answer = None
    if (picked or "match" in query) and not errors:
        answer = what_if(
            period=chosen,
            council_ids=council_ids,
            children=[(pk, match, placed, adopted) for pk in sorted(picked)],
            placed_lag=placed_lag,
            ao_lag=adoption_lag,
        )
        audit_record(
            user=request.user,
            action=AuditAction.VIEWED,
            object_type="forecast_what_if",
            object_id=str(region_id),
            detail=f"window {chosen.label}; {len(picked)} children",
        )
    rows = []
    if answer:
        for code in ("A1", "A2", "A3"):
            before, after = answer["before"][code], answer["after"][code]
            change = (
                round(after["value"] - before["value"], 1)
                if before["value"] is not None and after["value"] is not None
                else None
            )
            rows.append({"code": code, "before": before, "after": after, "change": change})
    return render(
        request,
        "forecast/what_if.html",
        {
            "regions": regions,
            "region_id": region_id,
            "windows": windows,
            "chosen": chosen,
            "forecasts": forecasts,
            "picked": picked,
            "all_linked": all_linked,
            "match": match,
            "placed": placed,
            "adopted": adopted,
            "placed_lag": placed_lag,
            "adoption_lag": adoption_lag,
            "typical_adopted": match + timedelta(days=placed_lag + adoption_lag),
            "errors": errors,
            "rows": rows,
            "model": stored,
            "linked_count": sum(1 for f in forecasts if f.child.stage == Stage.LINKED),
        },
    )
