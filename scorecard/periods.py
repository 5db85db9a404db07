"""Financial years, quarters, scorecard windows and custom ranges (DOMAIN.md A.1).

A :class:`Period` is a pair of dates, both included, with a kind and a label. The periods the
engine stores are those the data spans: every financial year from the first dated fact to the
current year, its four quarters, and every three-year scorecard window ending in one of them.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from raa.dates import check_year

WINDOW = "window"
YEAR = "year"
QUARTER = "quarter"
CUSTOM = "custom"
KINDS = (WINDOW, YEAR, QUARTER, CUSTOM)


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
    return day.year if day.month >= 4 else day.year - 1


def fy_label(first_year: int, years: int = 1) -> str:
    return f"{first_year}-{(first_year + years) % 100:02d}"


def financial_year(first_year: int) -> Period:
    return Period(date(first_year, 4, 1), date(first_year + 1, 3, 31), YEAR, fy_label(first_year))


def window(first_year: int) -> Period:
    """The scorecard window of three financial years starting 1 April ``first_year``."""
    return Period(
        date(first_year, 4, 1), date(first_year + 3, 3, 31), WINDOW, fy_label(first_year, 3)
    )


def quarter(first_year: int, number: int) -> Period:
    """Quarter ``number`` (1..4) of the financial year: Q1 Apr-Jun ... Q4 Jan-Mar."""
    start_month = 4 + 3 * (number - 1)
    year = first_year + (start_month - 1) // 12
    month = (start_month - 1) % 12 + 1
    end_month = month + 2
    ends = {3: 31, 6: 30, 9: 30, 12: 31}
    return Period(
        date(year, month, 1),
        date(year, end_month, ends[end_month]),
        QUARTER,
        f"{fy_label(first_year)} Q{number}",
    )


def quarters(first_year: int) -> list[Period]:
    return [quarter(first_year, n) for n in (1, 2, 3, 4)]


_LABEL = re.compile(r"^(\d{4})-(\d{2})$")


def parse_label(text: str) -> tuple[int, int]:
    """``"2014-17"`` -> (2014, 3); ``"2018-19"`` -> (2018, 1). Raises ValueError with a message
    saying what is wrong."""
    match = _LABEL.match(text.strip())
    if not match:
        raise ValueError(f"'{text}' is not a period like 2018-19 or 2014-17.")
    first, last = int(match.group(1)), int(match.group(2))
    years = (last - first % 100) % 100
    if years not in (1, 3):
        raise ValueError(
            f"'{text}' is neither a financial year (like 2018-19) nor a three-year scorecard "
            "window (like 2014-17)."
        )
    check_year(first, today=timezone.localdate())
    return first, years


def period_from_label(text: str) -> Period:
    """A financial year ("2018-19"), a scorecard window ("2014-17") or a quarter ("2018-19 Q3",
    as quarters are labelled)."""
    text = text.strip()
    if len(text) > 3 and text[-3] == " " and text[-2] == "Q" and text[-1] in "1234":
        first, years = parse_label(text[:-3])
        if years == 1:
            return quarter(first, int(text[-1]))
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
    periods = [window(y - 2) for y in years]
    periods += [financial_year(y) for y in years]
    periods += [q for y in years for q in quarters(y)]
    return periods
