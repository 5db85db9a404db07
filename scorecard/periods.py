"""Financial years, quarters, scorecard windows and custom ranges (DOMAIN.md A.1): the one
place for them, their dates, their labels ("2018-19", "2014-17", "2018-19 Q3") and the parsing
of those labels. The financial year itself (1 April to 31 March, and its label) is written in
:mod:`raa.dates`, below every app, because the 903 import names its collection year with it;
the rest of the project reads it here.

A :class:`Period` is a pair of dates, both included, with a kind and a label. The periods the
engine stores are those the data spans: every financial year from the first dated fact to the
current year, its four quarters, and every three-year scorecard window ending in one of them.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from raa.dates import (
    EARLIEST_YEAR,
    add_months,
    financial_year_dates,
    financial_year_label,
    financial_year_of,
    latest_year,
)

WINDOW = "window"
YEAR = "year"
QUARTER = "quarter"
CUSTOM = "custom"
KINDS = (WINDOW, YEAR, QUARTER, CUSTOM)
#: A scorecard window is three financial years (DOMAIN.md A.1).
WINDOW_YEARS = 3
#: The quarters of a financial year as they are named: Q1 Apr-Jun ... Q4 Jan-Mar.
QUARTER_NAMES = ("Q1", "Q2", "Q3", "Q4")


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date
    kind: str = CUSTOM
    label: str = ""

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def first_year(self) -> int:
        """The starting year of the financial year the period begins in (2018 for 2018-19)."""
        return fy_of(self.start)

    def as_json(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def fy_of(day: date) -> int:
    """The first calendar year of the financial year holding ``day`` (1 Apr to 31 Mar)."""
    return financial_year_of(day)


def fy_label(first_year: int, years: int = 1) -> str:
    """``"2018-19"``, or with ``years=3`` the scorecard window ``"2018-21"``."""
    return financial_year_label(first_year, years)


def financial_year(first_year: int) -> Period:
    return Period(*financial_year_dates(first_year), YEAR, fy_label(first_year))


def window(first_year: int) -> Period:
    """The scorecard window of three financial years starting 1 April ``first_year``."""
    return Period(
        *financial_year_dates(first_year, WINDOW_YEARS),
        WINDOW,
        fy_label(first_year, WINDOW_YEARS),
    )


def window_ending(last_year: int) -> Period:
    """The scorecard window whose last financial year starts in ``last_year``."""
    return window(last_year - WINDOW_YEARS + 1)


def quarter_name(number: int) -> str:
    """``"Q3"`` for quarter 3 (ValueError for a number that is not 1 to 4)."""
    if number not in (1, 2, 3, 4):
        raise ValueError(f"The quarter {number!r} is not 1, 2, 3 or 4.")
    return QUARTER_NAMES[number - 1]


def quarter(first_year: int, number: int) -> Period:
    """Quarter ``number`` (1..4) of the financial year: Q1 Apr-Jun ... Q4 Jan-Mar, labelled
    ``"2018-19 Q3"``. ValueError for a number that is not 1 to 4."""
    name = quarter_name(number)
    start = add_months(financial_year(first_year).start, 3 * (number - 1))
    return Period(
        start, add_months(start, 3) - timedelta(days=1), QUARTER, f"{fy_label(first_year)} {name}"
    )


def quarter_in_words(number: int) -> str:
    """``"Q1 (April to June)"``: a quarter's name and months, the same every year."""
    months = quarter(EARLIEST_YEAR, number)
    return f"{quarter_name(number)} ({months.start:%B} to {months.end:%B})"


def quarters(first_year: int) -> list[Period]:
    return [quarter(first_year, n) for n in (1, 2, 3, 4)]


def quarter_of(day: date) -> tuple[int, int]:
    """(first year of the financial year, quarter 1..4) of the quarter holding ``day``."""
    first = fy_of(day)
    return first, next(n for n in (1, 2, 3, 4) if day <= quarter(first, n).end)


def previous_quarter(first_year: int, number: int) -> tuple[int, int]:
    """The quarter before quarter ``number`` of the financial year (Q4 of the year before Q1)."""
    return (first_year, number - 1) if number > 1 else (first_year - 1, 4)


def year_to_date(first_year: int, number: int) -> Period:
    """1 April to the last day of quarter ``number``: the financial year to date at the
    quarter's end (Q4: the whole year)."""
    return custom(financial_year(first_year).start, quarter(first_year, number).end)


_LABEL = re.compile(r"^(\d{4})-(\d{2})$")


def _years_named(first: int, last_two_digits: int) -> int:
    """How many financial years the label ``first``-``last_two_digits`` spans (2018-19: 1)."""
    return (last_two_digits - first % 100) % 100


def check_year(first: int, *, today: date) -> None:
    """Raises ValueError unless the financial year starting in ``first`` lies between 1990-91
    and the one after this year's (so no date built from it can fall outside the calendar)."""
    last = latest_year(today)
    if not EARLIEST_YEAR <= first <= last:
        raise ValueError(
            f"Choose a financial year from {fy_label(EARLIEST_YEAR)} to {fy_label(last)}."
        )


def parse_label(text: str) -> tuple[int, int]:
    """``"2014-17"`` -> (2014, 3); ``"2018-19"`` -> (2018, 1). Raises ValueError with a message
    saying what is wrong."""
    match = _LABEL.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a period like 2018-19 or 2014-17.")
    first = int(match.group(1))
    years = _years_named(first, int(match.group(2)))
    if years not in (1, WINDOW_YEARS):
        raise ValueError(
            f"'{text}' is neither a financial year (like 2018-19) nor a three-year scorecard "
            "window (like 2014-17)."
        )
    check_year(first, today=timezone.localdate())
    return first, years


def parse_financial_year(text: str, *, today: date) -> int:
    """``"2024-25"`` -> 2024, as the statutory returns ask for it. Raises ValueError with a
    message for people when the text is not a financial year, or one before 1990-91 or after
    next year."""
    match = _LABEL.match(text.strip())
    if not match or _years_named(int(match.group(1)), int(match.group(2))) != 1:
        raise ValueError("Write the financial year as 2024-25.")
    first = int(match.group(1))
    check_year(first, today=today)
    return first


def parse_year(text: str) -> int:
    """``"2018-19"`` -> 2018, as board reports ask for it. Raises ValueError with a message
    naming what is wrong (including a year before 1990-91 or after next year)."""
    parts = text.strip().split("-")
    if len(parts) != 2 or not (parts[0].isdigit() and len(parts[0]) == 4):
        raise ValueError(f"The year {text!r} is not a financial year like 2018-19.")
    first = int(parts[0])
    label = fy_label(first)
    if parts[1] != label[-2:]:
        raise ValueError(
            f"The year {text!r} is not a financial year: after {first} comes "
            f"{label[-2:]} (write {label})."
        )
    check_year(first, today=timezone.localdate())
    return first


def period_from_label(text: str) -> Period:
    """A financial year ("2018-19"), a scorecard window ("2014-17") or a quarter ("2018-19 Q3",
    as quarters are labelled)."""
    text = text.strip()
    if len(text) > 3 and text[-3] == " " and text[-2:] in QUARTER_NAMES:
        first, years = parse_label(text[:-3])
        if years == 1:
            return quarter(first, QUARTER_NAMES.index(text[-2:]) + 1)
        raise ValueError(f"'{text}': a quarter is of a financial year, like 2018-19 Q3.")
    first, years = parse_label(text)
    return financial_year(first) if years == 1 else window(first)


def custom(start: date, end: date) -> Period:
    if end < start:
        raise ValueError(f"The range ends ({end:%d/%m/%Y}) before it starts ({start:%d/%m/%Y}).")
    return Period(start, end, CUSTOM, f"{start:%d/%m/%Y} to {end:%d/%m/%Y}")


def spanning(first_day: date | None, last_day: date) -> list[Period]:
    """Every stored period from the financial year of ``first_day`` to that of ``last_day``:
    windows (each ending in one of those years), then years, then quarters, oldest first."""
    if first_day is None:
        first_day = last_day
    first, last = fy_of(first_day), fy_of(last_day)
    years = range(first, last + 1)
    periods = [window_ending(y) for y in years]
    periods += [financial_year(y) for y in years]
    periods += [q for y in years for q in quarters(y)]
    return periods
