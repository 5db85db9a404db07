"""The forecast's panels for other apps' pages, so that tracking, children and the scorecard
never import the forecast: ``{% load forecast_panels %}`` then

- ``{% forecast_cell child %}``: the tracking list's forecast cell (reads the child's
  prefetched ``forecasts``: no query per row);
- ``{% child_forecast child %}``: the child record's "Likely wait for a match" section;
- ``{% scorecard_projection region_id council_id %}``: the dashboard's projected A1, A2, A3.

The board report's projection is not a panel: it is one of the report's figures, frozen when a
version is published (``forecast.board_report``, through the report's hook).
"""

from django import template

from forecast import selectors
from raa import access

register = template.Library()


@register.inclusion_tag("forecast/_cell.html")
def forecast_cell(child) -> dict:
    found = list(child.forecasts.all())
    return {"forecast": found[0] if found else None}


@register.inclusion_tag("forecast/_child_panel.html")
def child_forecast(child) -> dict:
    return {"forecast": selectors.child_forecast(child), "child": child}


@register.inclusion_tag("forecast/_projection.html", takes_context=True)
def scorecard_projection(context, region_id, council_id=None) -> dict:
    user = context["request"].user
    return {
        "projection": selectors.projection_for(region_id, council_id),
        "may_what_if": access.has_role(user, selectors.WHAT_IF_ROLES),
    }


@register.filter
def percent(value) -> str:
    """A chance as a whole percentage ("–" when there is none)."""
    return "–" if value is None else f"{round(value * 100)}%"
