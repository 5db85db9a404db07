"""Date arithmetic inside the database, exactly as DOMAIN.md A.1 and :mod:`tracking.checks`
do it in Python, so lists can filter and sort on "the day a threshold is passed" in SQL.

* :class:`AddDays` is ``date + n days``.
* :class:`AddMonths` is ``date + n calendar months``, a day past the end of a short month
  clamping to its last day (31 Jan + 1 month = 28 or 29 Feb), as :func:`raa.dates.add_months`.

PostgreSQL (production, tests) and SQLite (the embedded demo) are supported.
"""

from django.db.models import DateField, Func


class AddDays(Func):
    output_field = DateField()
    arity = 1

    def __init__(self, expression, days: int, **extra):
        self.days = int(days)
        super().__init__(expression, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql})::date + %s::integer)", (*params, self.days)

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date({sql}, %s)", (*params, f"{self.days:+d} days")


class AddMonths(Func):
    output_field = DateField()
    arity = 1

    def __init__(self, expression, months: int, **extra):
        self.months = int(months)
        super().__init__(expression, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        # date + interval clamps to the end of a short month, as A.1 asks.
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(({sql})::date + make_interval(months => %s::integer))::date", (
            *params,
            self.months,
        )

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite rolls 31 Jan + 1 month over to 3 Mar; when the day of the month changed, step
        # back to the last day of the month before.
        sql, params = compiler.compile(self.source_expressions[0])
        shift = f"{self.months:+d} months"
        moved = f"date({sql}, %s)"
        return (
            f"CASE WHEN strftime('%%d', {moved}) = strftime('%%d', {sql}) THEN {moved} "
            f"ELSE date({sql}, %s, 'start of month', '-1 day') END",
            (*params, shift, *params, *params, shift, *params, shift),
        )
