"""Template helpers for the dashboard."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping|get_item:key``: a dictionary's value for a key held in a variable."""
    if not mapping:
        return None
    return mapping.get(key)


@register.filter
def england_missing(headlines) -> list[str]:
    """``headlines|england_missing``: the codes of the headline figures with no England figure
    published for their window."""
    return [h.code for h in headlines or () if h.national is None]
