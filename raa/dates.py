"""Calendar arithmetic as DOMAIN.md Part A.1 defines it."""

import calendar
import re
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later (or earlier, if negative); a day past the end
    of a short month clamps to its last day (31 Jan + 1 month = 28 or 29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


#: The earliest year any record of the service may be dated in: children born from 1990 on
#: (the Children Act 1989 came into force in October 1991), so no journey, return or report
#: is about an earlier year. Dates and years before it are refused where they are entered.
EARLIEST_YEAR = 1990
#: How many years ahead of today a date or year may be (a planned date, next year's return).
YEARS_AHEAD = 1
_FINANCIAL_YEAR = re.compile(r"^(\d{4})-(\d{2})$")


def latest_year(today: date) -> int:
    return today.year + YEARS_AHEAD


def parse_financial_year(text: str, *, today: date) -> int:
    """``"2024-25"`` -> 2024. Raises ValueError with a message for people when the text is not
    a financial year, or one before 1990-91 or after next year (so no date built from it can
    fall outside the calendar)."""
    match = _FINANCIAL_YEAR.match(text.strip())
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValueError("Write the financial year as 2024-25.")
    first = int(match.group(1))
    check_year(first, today=today)
    return first


def check_year(first: int, *, today: date) -> None:
    """Raises ValueError unless the financial year starting in ``first`` lies between 1990-91
    and the one after this year's."""
    last = latest_year(today)
    if not EARLIEST_YEAR <= first <= last:
        raise ValueError(
            f"Choose a financial year from {EARLIEST_YEAR}-{(EARLIEST_YEAR + 1) % 100:02d} to "
            f"{last}-{(last + 1) % 100:02d}."
        )


EARLIEST_DATE = date(EARLIEST_YEAR, 1, 1)
#: A child enters care before 18; a date of birth more than 25 years before is a typing error.
MAX_YEARS_BIRTH_TO_CARE = 25
#: The ages an adult applicant may plausibly be on the day the record is saved.
ADULT_AGES = (18, 100)


def dmy(day: date) -> str:
    """dd/mm/yyyy, the year with four digits even for year 1 (strftime writes "1")."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def before_earliest_message(what: str, value: date) -> str | None:
    """``"The date of birth (01/01/0001) is before 1990: …"`` for a date before 1990, else
    None. ``what`` names the date as the start of a sentence."""
    if value >= EARLIEST_DATE:
        return None
    return (
        f"{what} ({dmy(value)}) is before {EARLIEST_YEAR}: no record here is that old. "
        "Check the year."
    )


def implausible_date_message(what: str, value: date, *, today: date) -> str | None:
    """A message if ``value`` is before 1990 or after next year, else None."""
    if value.year > latest_year(today):
        return f"{what} ({dmy(value)}) is years in the future. Check the year."
    return before_earliest_message(what, value)


def adult_birth_message(born: date, *, today: date) -> str | None:
    """A message if someone born on ``born`` is not 18 to 100 years old today, else None."""
    youngest, oldest = ADULT_AGES
    if add_months(today, -12 * oldest) <= born <= add_months(today, -12 * youngest):
        return None
    return (
        f"The date of birth ({dmy(born)}) is not that of an adult. An applicant is "
        f"{youngest} to {oldest} years old: check the year."
    )
