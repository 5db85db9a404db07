"""Reads of the stored forecasts (pages never fit a model)."""

from forecast.models import ForecastModel, ForecastResult
from raa import access
from raa.models import Role

#: Who may ask "what if": the managers (team managers, heads of service, administrators).
WHAT_IF_ROLES = frozenset({Role.TEAM_MANAGER, Role.MANAGER, Role.ADMINISTRATOR})


def latest_model(region_id: int) -> ForecastModel | None:
    """The region's latest fit (one query)."""
    return ForecastModel.objects.filter(region_id=region_id).order_by("-fitted_at", "-id").first()


def child_forecast(child) -> ForecastResult | None:
    """The child's forecast from their region's latest fit, if they were waiting then (one
    query). The caller has already checked the person may see the child."""
    return (
        ForecastResult.objects.filter(child=child)
        .select_related("model")
        .order_by("-model__fitted_at")
        .first()
    )


def projection_for(region_id: int, council_id: int | None = None) -> dict | None:
    """The stored projection of the current window for the region or one of its councils,
    with ``fitted_at``, ``as_at`` and ``method``; None before the first fit or with too little
    history."""
    return projection_of(latest_model(region_id), council_id)


def projection_of(stored: ForecastModel | None, council_id: int | None = None) -> dict | None:
    """:func:`projection_for` from a fit already read (no query)."""
    if stored is None or not stored.projection:
        return None
    key = str(council_id) if council_id else "region"
    figures = stored.projection.get(key)
    if not figures:
        return None
    return {
        "window": stored.projection["window"],
        "end": stored.projection["end"],
        "draws": stored.projection["draws"],
        "figures": [(code, figures[code]) for code in ("A1", "A2", "A3")],
        "model": stored,
    }


def what_if_scope(user, region_id: int | None) -> tuple[int | None, list[int], list]:
    """The region a what-if is about (``region_id`` if the person has councils there, else
    their first) and the councils in it over which they hold a what-if role."""
    allowed = access.councils_for(user, WHAT_IF_ROLES).select_related("region").order_by("name")
    regions = []
    for council in allowed:
        if council.region not in regions:
            regions.append(council.region)
    if not regions:
        return None, [], []
    region = next((r for r in regions if r.pk == region_id), regions[0])
    council_ids = [c.pk for c in allowed if c.region_id == region.pk]
    return region.pk, council_ids, regions


def waiting_forecasts(region_id: int, council_ids: list[int]) -> list[ForecastResult]:
    """The latest fit's forecasts for the waiting children of these councils, most likely to
    breach A2 first (one query)."""
    stored = latest_model(region_id)
    if stored is None:
        return []
    return list(
        ForecastResult.objects.filter(model=stored, child__council_id__in=council_ids)
        .select_related("child", "child__council")
        .order_by("-p_breach_a2", "-p_breach_a1", "child__child_id")
    )
