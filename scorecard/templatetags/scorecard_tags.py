"""Template helpers for the dashboard."""

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``mapping|get_item:key``: a dictionary's value for a key held in a variable."""
    if not mapping:
        return None
    return mapping.get(key)
