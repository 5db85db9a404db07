"""The few SQL fragments that differ between PostgreSQL and SQLite (the embedded demo).

Every measure query is written once in portable SQL with these helpers for date arithmetic.
Literal percent signs are doubled because the queries always run with parameters.
"""

from django.db import connection


class Dialect:
    def __init__(self, vendor: str | None = None) -> None:
        self.pg = (vendor or connection.vendor) == "postgresql"

    def date(self) -> str:
        """A date parameter."""
        return "CAST(%s AS date)" if self.pg else "%s"

    def param(self, value):
        return value if self.pg else value.isoformat()

    def days(self, later: str, earlier: str) -> str:
        """Calendar days from ``earlier`` to ``later`` (A.1: no +1)."""
        if self.pg:
            return f"({later} - {earlier})"
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"

    def part(self, name: str, value: str) -> str:
        if self.pg:
            # date_part (double precision) is much cheaper than EXTRACT (numeric)
            return f"CAST(date_part('{name.lower()}', {value}) AS INTEGER)"
        code = {"YEAR": "%%Y", "MONTH": "%%m", "DAY": "%%d"}[name]
        return f"CAST(strftime('{code}', {value}) AS INTEGER)"

    def month_index(self, value: str) -> str:
        return f"({self.part('YEAR', value)} * 12 + {self.part('MONTH', value)} - 1)"

    def last_day(self, value: str) -> str:
        if self.pg:
            return (
                f"CAST(date_part('day', (date_trunc('month', {value}) + interval '1 month' "
                f"- interval '1 day')) AS INTEGER)"
            )
        return f"CAST(strftime('%%d', {value}, 'start of month', '+1 month', '-1 day') AS INTEGER)"

    def whole_months(self, earlier: str, later: str) -> str:
        """Whole calendar months from ``earlier`` to ``later``: the largest k with
        ``earlier + k months <= later`` (a day past the end of a short month clamping to its last
        day). So "``later`` is less than N months after ``earlier``" (A.1) is ``k < N``."""
        day_later, day_earlier = self.part("DAY", later), self.part("DAY", earlier)
        return (
            f"({self.month_index(later)} - {self.month_index(earlier)} - CASE WHEN "
            f"{day_later} < {day_earlier} AND {day_later} < {self.last_day(later)} "
            "THEN 1 ELSE 0 END)"
        )

    def quarter_index(self, value: str) -> str:
        """4 * (first year of the financial year) + (quarter - 1)."""
        return f"(({self.month_index(value)} - 3) / 3)"

    def greatest(self, *values: str) -> str:
        """The largest of the values, ignoring NULLs (NULL if all are NULL)."""
        if self.pg:
            return f"GREATEST({', '.join(values)})"
        coalesced = ", ".join(f"COALESCE({v}, '0001-01-01')" for v in values)
        return f"NULLIF(MAX({coalesced}), '0001-01-01')"

    def least(self, *values: str) -> str:
        if self.pg:
            return f"LEAST({', '.join(values)})"
        coalesced = ", ".join(f"COALESCE({v}, '9999-12-31')" for v in values)
        return f"NULLIF(MIN({coalesced}), '9999-12-31')"

    def at_least_zero(self, value: str) -> str:
        return f"GREATEST(0, {value})" if self.pg else f"MAX(0, {value})"


def run(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def run_dicts(sql: str, params: list) -> list[dict]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
