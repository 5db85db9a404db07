"""Calendar arithmetic as DOMAIN.md Part A.1 defines it."""

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later (or earlier, if negative); a day past the end
    of a short month clamps to its last day (31 Jan + 1 month = 28 or 29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
