"""Calendar arithmetic as DOMAIN.md Part A.1 defines it, the plausible range of dates, and the
financial year's three primitives (the rest of periods is :mod:`scorecard.periods`)."""

import calendar
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


def latest_year(today: date) -> int:
    return today.year + YEARS_AHEAD


# The financial year (DOMAIN.md A.1): 1 April to 31 March, named by the two calendar years it
# spans ("2018-19" starts on 1 April 2018). Written here, below every app, because the 903
# import (children) names its collection year with it; :mod:`scorecard.periods` builds the
# years, quarters and scorecard windows on these three and is where everything else reads them.


def financial_year_of(day: date) -> int:
    """The calendar year the financial year holding ``day`` starts in (2018 for 2018-19)."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_dates(first_year: int, years: int = 1) -> tuple[date, date]:
    """1 April ``first_year`` to 31 March ``years`` later: one financial year, or several."""
    return date(first_year, 4, 1), date(first_year + years, 3, 31)


def financial_year_label(first_year: int, years: int = 1) -> str:
    """``"2018-19"`` for the financial year starting in 2018; ``"2014-17"`` for the three
    starting in 2014 (a scorecard window)."""
    return f"{first_year}-{(first_year + years) % 100:02d}"


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
