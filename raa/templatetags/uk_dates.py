"""``{{ a_date|uk_date }}``: a date as 05/12/2026, what ``|date:"d/m/Y"`` gives, for long lists.

Django's ``date`` filter looks up the active language and parses its format string on every
call (about 30 µs); the tracking list shows some 300 dates a page. This one formats directly.
"""

from datetime import date, datetime

from django import template

register = template.Library()


@register.filter(expects_localtime=True)
def uk_date(value: date | datetime | None) -> str:
    """Day/month/year with leading zeros; "" for no date (as ``date`` gives)."""
    if value in (None, ""):
        return ""
    try:
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    except AttributeError:
        return ""
