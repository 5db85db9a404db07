"""The children's measures (DOMAIN.md A.3, A.4, A.7; A.5 is in waiting.py), each family one
aggregate query over every council asked for at once (GROUP BY council and period), never a
loop over children.

Sources: the journey events (withdrawn ones never count) and the periods of care, not the
summary fields on Child, because the measures need dates the summary does not hold: the period
of care that contains the adoption (not the latest one), the placement on or before the order,
and the foster-carer fields of that placement.

Each function takes ``periods`` (a list of :class:`scorecard.periods.Period`), the threshold
row for each (``thresholds[i]``) and optionally ``council_ids``; it returns
``{(council_id, period_index): {code: raw figure}}``.
"""

from collections import defaultdict
from contextlib import contextmanager
from datetime import date

from django.db import DatabaseError, connection

from children.querysets import placement_disrupted_sql
from scorecard.measures import add, raw
from scorecard.measures.sql import Dialect, run_dicts
from scorecard.periods import QUARTER, Period, quarter

EVENTS = "children_journeyevent"
ORDER_AUTHORITIES = "('placement_order', 'freeing_order')"

#: A3's numerator (DOMAIN.md A.3): a child A1 counts, placed for adoption less than N calendar
#: months after entering care (N, the ``%s``, from the threshold row). On ``measured``.
A3_UNDER = "m.a1_reason IS NULL AND m.months_to_placed < %s"
A1_REASONS = ("no placed date", "no date entered care", "placed before entered care")
# In the order of A.3's table: a child left out for several reasons is reported under the first.
A2_REASONS = (
    "no placement order",
    "no match date",
    "not placed for adoption before the order",
)


def _council_filter(council_ids, column: str = "c.council_id") -> tuple[str, list]:
    if council_ids is None:
        return "", []
    ids = sorted(council_ids) or [0]
    return f" AND {column} IN ({', '.join(['%s'] * len(ids))})", ids


def _child_join(alias: str, where: str) -> str:
    """The join to the child a council filter needs (none without a filter)."""
    return f" JOIN children_child c ON c.id = {alias}.child_id" if where else ""


def _periods_cte(sql: Dialect, periods: list[Period], thresholds: list) -> tuple[str, list]:
    rows, params = [], []
    for i, (period, threshold) in enumerate(zip(periods, thresholds, strict=True)):
        rows.append(f"(%s, {sql.date()}, {sql.date()}, %s)")
        params += [i, sql.param(period.start), sql.param(period.end), threshold.a3_months]
    return f"periods(idx, p_start, p_end, a3) AS (VALUES {', '.join(rows)})", params


#: The columns of a journey step the A1, A10, A2, A3 query reads.
STEP_COLUMNS = (
    "id, child_id, kind, date, authority, foster_carer_adoption, living_with_carers_since, "
    "entered_in_error"
)


def with_hypothetical_steps(sql: Dialect, steps, about=None) -> tuple[str, list]:
    """The journey steps as a table expression for :func:`adopted_children_cte`: the stored
    steps of the children ``steps`` are about, plus ``steps`` (dicts with ``child_id``,
    ``kind``, ``date`` and optionally ``foster_carer_adoption`` and
    ``living_with_carers_since``), which exist only in this query (a what-if or a projection:
    nothing is written). Without steps, the stored table itself.

    Only those children's stored steps: the query that reads this table is limited to them
    (:func:`scorecard` counts every other child from the stored table, where the indexes
    serve), so the union stays as small as the what-if, not the size of the whole table."""
    if not steps:
        return EVENTS, []
    cast = (lambda kind: f"CAST(%s AS {kind})") if sql.pg else (lambda kind: "%s")
    row = (
        f"({cast('bigint')}, {cast('bigint')}, {cast('varchar')}, {sql.date()}, "
        f"{cast('varchar')}, {cast('boolean')}, {sql.date()}, {cast('boolean')})"
    )
    params: list = []
    for i, step in enumerate(steps):
        since = step.get("living_with_carers_since")
        params += [
            -(i + 1),  # ids of their own, below every stored one
            step["child_id"],
            step["kind"],
            sql.param(step["date"]),
            step.get("authority", ""),
            bool(step.get("foster_carer_adoption", False)),
            sql.param(since) if since else None,
            False,
        ]
    values = ", ".join([row] * len(steps))
    # VALUES names its columns column1, column2, ... in both PostgreSQL and SQLite
    named = ", ".join(
        f"column{i} AS {name.strip()}" for i, name in enumerate(STEP_COLUMNS.split(","), 1)
    )
    # ``about``: the children whose stored steps join them (default: the ones steps are about)
    children = sorted(set(about or ()) | {int(step["child_id"]) for step in steps})
    table = (
        f"(SELECT {STEP_COLUMNS} FROM {EVENTS} "
        f"WHERE child_id IN ({', '.join(['%s'] * len(children))}) UNION ALL "
        f"SELECT {named} FROM (VALUES {values}) AS hypothetical)"
    )
    return table, [*children, *params]


def _children_filter(children, column: str) -> tuple[str, list]:
    """``children``: None (every child), ``("in", ids)`` or ``("not in", ids)``."""
    if children is None or (children[0] == "not in" and not children[1]):
        return "", []
    how, ids = children
    ids = sorted(ids) or [0]
    operator = "IN" if how == "in" else "NOT IN"
    return f" AND {column} {operator} ({', '.join(['%s'] * len(ids))})", ids


def adopted_children_cte(
    sql: Dialect, *, start, end, council_ids=None, steps=None, children=None
) -> tuple[str, list]:
    """``WITH`` clauses ending in ``measured``: one row per child whose (latest) adoption order is
    dated from ``start`` to ``end``, with the dates behind A1, A10, A2, A3, each measure's days
    and its exclusion reason (NULL when the child counts). ``steps``: hypothetical journey
    steps counted as if recorded (:func:`with_hypothetical_steps`; the forecast's what-if).
    ``children``: ``("in", ids)`` or ``("not in", ids)`` to count only those children or all
    but them (:func:`scorecard` with steps)."""
    where, ids = _council_filter(council_ids)
    only, only_ids = _children_filter(children, "e.child_id")
    about = children[1] if children and children[0] == "in" else None
    table, step_params = with_hypothetical_steps(sql, steps, about)
    params = [*step_params, *ids, *only_ids, sql.param(start), sql.param(end)]
    # the hypothetical steps join the stored ones in a CTE of their own, read three times below
    events = "journey_steps" if steps else EVENTS
    head = f"journey_steps AS {table}," if steps else ""
    d = sql.days
    end_a10 = (
        "CASE WHEN f.fca AND f.living_since IS NOT NULL THEN f.living_since ELSE f.placed_date END"
    )
    cte = f"""{head}
    ao AS (
      SELECT e.child_id, MAX(e.date) AS ao_date
      FROM {events} e{_child_join("e", where)}
      WHERE e.kind = 'adoption_order' AND NOT e.entered_in_error{where}{only}
      GROUP BY e.child_id
      HAVING MAX(e.date) BETWEEN {sql.date()} AND {sql.date()}
    ),
    pl AS (
      SELECT child_id, placed_date, fca, living_since FROM (
        SELECT e.child_id, e.date AS placed_date, e.foster_carer_adoption AS fca,
               e.living_with_carers_since AS living_since,
               ROW_NUMBER() OVER (PARTITION BY e.child_id ORDER BY e.date DESC, e.id DESC) AS rn
        FROM {events} e JOIN ao ON ao.child_id = e.child_id
        WHERE e.kind = 'placed' AND NOT e.entered_in_error AND e.date <= ao.ao_date
          AND NOT {placement_disrupted_sql("e", until="ao.ao_date")}
      ) latest WHERE rn = 1
    ),
    steps AS (
      SELECT e.child_id,
        MAX(CASE WHEN e.kind = 'matched' THEN e.date END) AS match_date,
        MAX(CASE WHEN e.kind = 'placement_order' AND e.authority IN {ORDER_AUTHORITIES}
            THEN e.date END) AS po_date
      FROM {events} e JOIN ao ON ao.child_id = e.child_id
      WHERE e.kind IN ('matched', 'placement_order') AND NOT e.entered_in_error
        AND e.date <= ao.ao_date
      GROUP BY e.child_id
    ),
    base AS (
      SELECT ao.child_id, ao.ao_date, pl.placed_date, pl.fca, pl.living_since,
             steps.match_date, steps.po_date
      FROM ao LEFT JOIN pl ON pl.child_id = ao.child_id
              LEFT JOIN steps ON steps.child_id = ao.child_id
    ),
    care AS (
      SELECT b.child_id,
        MAX(CASE WHEN p.entered_care <= COALESCE(b.placed_date, b.ao_date)
            THEN p.entered_care END) AS entered,
        MIN(p.entered_care) AS first_entered
      FROM base b JOIN children_periodofcare p ON p.child_id = b.child_id
      GROUP BY b.child_id
    ),
    facts AS (
      SELECT b.*, c.council_id, COALESCE(care.entered, care.first_entered) AS entered
      FROM base b JOIN children_child c ON c.id = b.child_id
                  LEFT JOIN care ON care.child_id = b.child_id
    ),
    measured AS (
      SELECT f.*,
        CASE WHEN f.placed_date IS NULL THEN 'no placed date'
             WHEN f.entered IS NULL THEN 'no date entered care'
             WHEN f.placed_date < f.entered THEN 'placed before entered care' END AS a1_reason,
        {d("f.placed_date", "f.entered")} AS a1_days,
        {sql.at_least_zero(d(end_a10, "f.entered"))} AS a10_days,
        {sql.whole_months("f.entered", "f.placed_date")} AS months_to_placed,
        CASE WHEN f.po_date IS NULL THEN 'no placement order'
             WHEN f.match_date IS NULL THEN 'no match date'
             WHEN f.placed_date IS NULL THEN 'not placed for adoption before the order'
             END AS a2_reason,
        {sql.at_least_zero(d("f.match_date", "f.po_date"))} AS a2_days
      FROM facts f
    )"""
    return cte, params


class Buckets:
    """How a family query groups dated facts so that each period's figure is a sum of groups.

    Stored periods are whole quarters (years and windows add their quarters up), so the query
    groups by quarter; a custom range gets a query of its own with one group. ``of[bucket]``
    lists the indexes of the periods a group counts in."""

    def __init__(self, sql: Dialect, periods: list[Period], indexes: list[int], quarterly: bool):
        self.sql = sql
        self.quarterly = quarterly
        chosen = [periods[i] for i in indexes]
        self.start = min(p.start for p in chosen)
        self.end = max(p.end for p in chosen)
        self.of: dict[int, list[int]] = defaultdict(list)
        for i in indexes:
            if quarterly:
                for q in range(
                    _quarter_number(periods[i].start), _quarter_number(periods[i].end) + 1
                ):
                    self.of[q].append(i)
            else:
                self.of[0].append(i)

    def expr(self, column: str) -> str:
        return self.sql.quarter_index(column) if self.quarterly else "0"


def buckets(sql: Dialect, periods: list[Period]) -> list[Buckets]:
    aligned = [i for i, p in enumerate(periods) if _whole_quarters(p)]
    out = [Buckets(sql, periods, aligned, True)] if aligned else []
    out += [Buckets(sql, periods, [i], False) for i in range(len(periods)) if i not in aligned]
    return out


def rolled(
    bucket: Buckets, query: str, params: list, *, keys: tuple[str, ...], sums: tuple[str, ...]
) -> list[dict]:
    """Run a query grouped by ``keys`` and bucket ``b`` and add its groups up into periods in
    the database: one row per ``keys`` and period index ``idx`` with each column of ``sums``
    summed over the period's buckets."""
    pairs = [(b, i) for b, indexes in bucket.of.items() for i in indexes]
    values = ", ".join("(%s, %s)" for _ in pairs)
    key_list = ", ".join(f"g.{k}" for k in keys)
    sum_list = ", ".join(f"SUM(g.{c}) AS {c}" for c in sums)
    outer = f"""WITH bmap(b, idx) AS (VALUES {values})
      SELECT {key_list}, bmap.idx, {sum_list}
      FROM ({query}) g JOIN bmap ON bmap.b = g.b
      GROUP BY {key_list}, bmap.idx"""
    return run_dicts(outer, [*(x for pair in pairs for x in pair), *params])


def scorecard(periods, thresholds, council_ids=None, *, steps=None) -> dict:
    """A1, A10, A2, A3 for every council and period: one query (per custom range). ``steps``:
    hypothetical journey steps counted as if recorded, written nowhere (the forecast's
    projection and what-if read the windows through this same code).

    With steps, two queries of this same code, over two sets of children that share none: the
    children the steps are about (their stored steps plus the hypothetical ones) and every
    other child (the stored table and its indexes); each figure is the sum of the two (a raw
    figure is sums and counts, added as the stored quarters are)."""
    if not periods:
        return {}
    if steps:
        return scorecard_draws(periods, thresholds, council_ids, [steps])[0]
    return _scorecard(periods, thresholds, council_ids)


def scorecard_draws(periods, thresholds, council_ids, draws, about=()) -> list[dict]:
    """:func:`scorecard` with each list of hypothetical steps in ``draws`` (the forecast's
    projection: one list per draw), the children none of them is about counted once: the
    children any draw is about (and ``about``) are counted in each draw with their stored
    steps plus the draw's, every other child once from the stored table; each figure the sum
    of the two."""
    touched = set(about) | {int(step["child_id"]) for steps in draws for step in steps}
    rest = _scorecard(periods, thresholds, council_ids, children=("not in", touched))
    out = []
    for steps in draws:
        figures = dict(rest)
        if touched:
            with _hash_joins():
                mine = _scorecard(
                    periods, thresholds, council_ids, steps=steps or None, children=("in", touched)
                )
            for key, theirs in mine.items():
                figures[key] = (
                    {code: add(figures[key][code], figure) for code, figure in theirs.items()}
                    if key in figures
                    else theirs
                )
        out.append(figures)
    return out


@contextmanager
def _hash_joins():
    """PostgreSQL without nested loops for one query: over the few children a what-if or a
    draw is about, the planner guesses one adopted child from the HAVING clause and would scan
    the union of their steps once per adopted child (0.4 s a draw nationally, not 0.05 s)."""
    if not Dialect().pg:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET enable_nestloop = off")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET enable_nestloop")
        except DatabaseError:
            # the query failed inside a transaction: its rollback undoes the SET as well, and
            # the query's own error is the one to report
            pass


def _scorecard(periods, thresholds, council_ids=None, *, steps=None, children=None) -> dict:
    sql = Dialect()
    out: dict = {}
    n_values = sorted({t.a3_months for t in thresholds})

    def when(condition: str, then: str = "1") -> str:
        return f"SUM(CASE WHEN {condition} THEN {then} ELSE 0 END)"

    reasons_a1 = ", ".join(f"{when('m.a1_reason = %s')} AS a1_x{i}" for i in range(len(A1_REASONS)))
    reasons_a2 = ", ".join(f"{when('m.a2_reason = %s')} AS a2_x{i}" for i in range(len(A2_REASONS)))
    under = ", ".join(f"{when(A3_UNDER)} AS a3_under{i}" for i in range(len(n_values)))
    for bucket in buckets(sql, periods):
        cte, c_params = adopted_children_cte(
            sql,
            start=bucket.start,
            end=bucket.end,
            council_ids=council_ids,
            steps=steps,
            children=children,
        )
        query = f"""
        WITH {cte}
        SELECT m.council_id, {bucket.expr("m.ao_date")} AS b,
          {when("m.a1_reason IS NULL")} AS a1_n,
          {when("m.a1_reason IS NULL", "m.a1_days")} AS a1_sum,
          {when("m.a1_reason IS NULL", "m.a10_days")} AS a10_sum,
          {when("m.a2_reason IS NULL")} AS a2_n,
          {when("m.a2_reason IS NULL", "m.a2_days")} AS a2_sum,
          {under}, {reasons_a1}, {reasons_a2}
        FROM measured m
        GROUP BY m.council_id, b"""
        params = c_params + n_values + list(A1_REASONS) + list(A2_REASONS)
        columns = (
            "a1_n",
            "a1_sum",
            "a10_sum",
            "a2_n",
            "a2_sum",
            *(f"a3_under{i}" for i in range(len(n_values))),
            *(f"a1_x{i}" for i in range(len(A1_REASONS))),
            *(f"a2_x{i}" for i in range(len(A2_REASONS))),
        )
        for row in rolled(bucket, query, params, keys=("council_id",), sums=columns):
            x1 = {r: row[f"a1_x{i}"] for i, r in enumerate(A1_REASONS)}
            x2 = {r: row[f"a2_x{i}"] for i, r in enumerate(A2_REASONS)}
            i = row["idx"]
            under_n = row[f"a3_under{n_values.index(thresholds[i].a3_months)}"]
            out[(row["council_id"], i)] = {
                "A1": raw(row["a1_sum"], 0, row["a1_n"], x1),
                "A10": raw(row["a10_sum"], 0, row["a1_n"], x1),
                "A2": raw(row["a2_sum"], 0, row["a2_n"], x2),
                "A3": raw(0, under_n, row["a1_n"], x1),
            }
    return out


def scorecard_children(period: Period, threshold, council_ids) -> list[dict]:
    """The children behind A1, A10, A2, A3 for one period: one row per child with the dates,
    days, the reason each measure left them out (None when counted) and ``a3_under`` (in A3's
    numerator), by the figures' own conditions."""
    sql = Dialect()
    cte, params = adopted_children_cte(
        sql, start=period.start, end=period.end, council_ids=council_ids
    )
    query = f"""WITH {cte}
    SELECT m.*, CASE WHEN {A3_UNDER} THEN 1 ELSE 0 END AS a3_under
    FROM measured m ORDER BY m.council_id, m.ao_date, m.child_id"""

    rows = run_dicts(query, [*params, threshold.a3_months])
    for row in rows:
        row["a3_under"] = bool(row["a3_under"])
        for key in ("ao_date", "placed_date", "living_since", "match_date", "po_date", "entered"):
            if isinstance(row[key], str):  # SQLite returns computed dates as text
                row[key] = date.fromisoformat(row[key])
        row["fca"] = bool(row["fca"])
    return rows


ACTIVITY_KINDS = {
    "adm_decision": "adm_decisions",
    "placement_order": "placement_orders",
    "matched": "matched",
    "placed": "placed",
    "adoption_order": "adoption_orders",
    "plan_ceased": "plan_changes",
    "disruption": "disruptions",
}


def activity(periods, thresholds, council_ids=None) -> dict:
    """A.4 counts by the date of each event: one query, grouped by council, kind and quarter
    (one more per custom range)."""
    if not periods:
        return {}
    sql = Dialect()
    where, ids = _council_filter(council_ids)
    out: dict = {}
    for bucket in buckets(sql, periods):
        counts = ", ".join(
            f"SUM(CASE WHEN e.kind = '{kind}' THEN 1 ELSE 0 END) AS {code}"
            for kind, code in ACTIVITY_KINDS.items()
        )
        query = f"""SELECT c.council_id, {bucket.expr("e.date")} AS b, {counts}
          {_activity_events(sql, where)}
          GROUP BY c.council_id, b"""
        params = [sql.param(bucket.start), sql.param(bucket.end), *ids]
        codes = tuple(ACTIVITY_KINDS.values())
        for row in rolled(bucket, query, params, keys=("council_id",), sums=codes):
            out[(row["council_id"], row["idx"])] = {code: raw(row[code]) for code in codes}
    return out


def _activity_events(sql: Dialect, where: str) -> str:
    """The events A.4 counts, dated from a first to a second date parameter (then the council
    filter's): the FROM and WHERE that both :func:`activity` and :func:`activity_members` read."""
    kinds = ", ".join(f"'{k}'" for k in ACTIVITY_KINDS)
    return f"""FROM {EVENTS} e JOIN children_child c ON c.id = e.child_id
          WHERE NOT e.entered_in_error AND e.kind IN ({kinds})
            AND (e.kind <> 'placement_order' OR e.authority IN {ORDER_AUTHORITIES})
            AND e.date BETWEEN {sql.date()} AND {sql.date()}{where}"""


def activity_members(code: str, period: Period, council_ids) -> list[dict]:
    """The events behind an A.4 count of one period: one row per event (a child placed twice
    in the period is two rows), with ``child_id``, ``council_id`` and ``date``, from the same
    FROM and WHERE as :func:`activity`."""
    sql = Dialect()
    where, ids = _council_filter(council_ids)
    kind = next(k for k, c in ACTIVITY_KINDS.items() if c == code)
    query = f"""SELECT e.child_id, c.council_id, e.date
      {_activity_events(sql, where)} AND e.kind = %s
      ORDER BY e.date, e.child_id, e.id"""
    params = [sql.param(period.start), sql.param(period.end), *ids, kind]
    return _dates(run_dicts(query, params), ("date",))


def _dates(rows: list[dict], keys) -> list[dict]:
    """SQLite returns computed dates as text: make them dates."""
    for row in rows:
        for key in keys:
            if isinstance(row.get(key), str):
                row[key] = date.fromisoformat(row[key][:10])
    return rows


def _quarter_number(day) -> int:
    return (day.year * 12 + day.month - 1 - 3) // 3


def _whole_quarters(period: Period) -> bool:
    if period.kind == QUARTER or period.kind in ("year", "window"):
        return True
    q_start = quarter(*_fy_q(period.start))
    q_end = quarter(*_fy_q(period.end))
    return q_start.start == period.start and q_end.end == period.end


def _fy_q(day):
    n = _quarter_number(day)
    return n // 4, n % 4 + 1


def _is_quarter_end(day) -> bool:
    from datetime import timedelta

    following = day + timedelta(days=1)
    return following.day == 1 and following.month in (1, 4, 7, 10)


TIMELINE = (
    ("T_perm", "perm"),
    ("T_adm", "adm"),
    ("T_po", "po"),
    ("T_match", "match_date"),
    ("T_placed", "placed_date"),
    ("T_ao", "ao"),
)


def timeline(periods, thresholds, council_ids=None, *, members: bool = False):
    """A.7: children placed for adoption in the period (each placement dated in it that did not
    end in a disruption: one that did is never the one measured), mean days
    from entering care (the period of care holding the placement) to each milestone that has a
    date on or after it (the adoption order: the first on or after the placement). The
    permanence decision (A.2: the plan for adoption made at the 2nd review, the stored
    ``permanence_decision`` step) is, like the ADM decision, the latest one from entering care
    to the placement. One query (per custom range).

    With ``members`` (and one period): instead of the figures, the placements they count, one
    row each (``child_id``, ``council_id``, ``entered``, each milestone's date and its days),
    selected from the same CTE as the figures (:func:`timeline_members`)."""
    if not periods:
        return {}
    sql = Dialect()
    where, ids = _council_filter(council_ids)
    d = sql.days
    sums = ", ".join(
        f"SUM(CASE WHEN m.{col} IS NOT NULL THEN 1 ELSE 0 END) AS {code.lower()}_n, "
        f"SUM(CASE WHEN m.{col} IS NOT NULL THEN {d('m.' + col, 'm.entered')} ELSE 0 END) "
        f"AS {code.lower()}_sum"
        for code, col in TIMELINE
    )
    each = ", ".join(
        f"{d('m.' + col, 'm.entered')} AS {code.lower()}_days" for code, col in TIMELINE
    )
    out: dict = {}
    for bucket in buckets(sql, periods):
        select = (
            f"""SELECT m.*, pl.child_id, {each}
        FROM m JOIN pl ON pl.id = m.id ORDER BY m.placed_date, pl.child_id, m.id"""
            if members
            else f"""SELECT m.council_id, {bucket.expr("m.placed_date")} AS b, {sums}
        FROM m GROUP BY m.council_id, b"""
        )
        query = f"""
        WITH pl AS (
          SELECT e.id, e.child_id, c.council_id, e.date AS placed_date
          FROM {EVENTS} e JOIN children_child c ON c.id = e.child_id
          WHERE e.kind = 'placed' AND NOT e.entered_in_error
            AND NOT {placement_disrupted_sql("e")}
            AND e.date BETWEEN {sql.date()} AND {sql.date()}{where}
        ),
        care AS (
          SELECT pl.id, MAX(p.entered_care) AS entered
          FROM pl JOIN children_periodofcare p ON p.child_id = pl.child_id
          WHERE p.entered_care <= pl.placed_date GROUP BY pl.id
        ),
        m AS (
          SELECT pl.id, pl.council_id, pl.placed_date, care.entered,
            MAX(CASE WHEN e.kind = 'permanence_decision' AND e.date <= pl.placed_date
                THEN e.date END) AS perm,
            MAX(CASE WHEN e.kind = 'adm_decision' AND e.date <= pl.placed_date
                THEN e.date END) AS adm,
            MAX(CASE WHEN e.kind = 'placement_order' AND e.authority IN {ORDER_AUTHORITIES}
                AND e.date <= pl.placed_date THEN e.date END) AS po,
            MAX(CASE WHEN e.kind = 'matched' AND e.date <= pl.placed_date THEN e.date END)
              AS match_date,
            MIN(CASE WHEN e.kind = 'adoption_order' AND e.date >= pl.placed_date
                THEN e.date END) AS ao
          FROM pl JOIN care ON care.id = pl.id
            LEFT JOIN {EVENTS} e ON e.child_id = pl.child_id AND NOT e.entered_in_error
              AND e.kind IN ('permanence_decision', 'adm_decision', 'placement_order',
                'matched', 'adoption_order')
              AND e.date >= care.entered
          GROUP BY pl.id, pl.council_id, pl.placed_date, care.entered
        )
        {select}"""
        params = [sql.param(bucket.start), sql.param(bucket.end), *ids]
        if members:
            dated = ("placed_date", "entered", *(col for _, col in TIMELINE))
            return _dates(run_dicts(query, params), dated)
        columns = tuple(f"{code.lower()}_{part}" for code, _ in TIMELINE for part in ("n", "sum"))
        for row in rolled(bucket, query, params, keys=("council_id",), sums=columns):
            out[(row["council_id"], row["idx"])] = {
                code: raw(row[f"{code.lower()}_sum"], 0, row[f"{code.lower()}_n"])
                for code, _ in TIMELINE
            }
    return out


def timeline_members(period: Period, council_ids) -> list[dict]:
    """The placements behind the timeline of one period (every milestone: a row counts in a
    milestone's figure when that milestone has a date): :func:`timeline`'s own CTE."""
    return timeline([period], [None], council_ids, members=True)


def cohort_comparison(
    *,
    split: date,
    n_months: int,
    m_months: int,
    council_ids,
    start=None,
    end=None,
    members: bool = False,
):
    """A.7's cohort comparison: children placed for adoption before ``split`` against those
    placed on or after it (each placement dated from ``start`` to ``end`` when given), in one
    query (a placement that ended in a disruption is left out, as in A1). For each side, raw
    figures: ``placed`` (mean days entering care -> placed),
    ``placed_n_months`` (% placed less than ``n_months`` after entering care), ``adm`` (mean
    days entering care -> ADM decision), ``po_m_months`` (% placed less than ``m_months`` after
    the placement order). Returns ``{"before": {...}, "after": {...}}``.

    With ``members``: instead, the placements it counts, one row each (``child_id``, ``side``
    0 before / 1 after, the dates, and ``n_under`` / ``po_under`` 1 when counted in a
    percentage), selected from the same CTE with the same expressions as the figures."""
    sql = Dialect()
    where, ids = _council_filter(council_ids)
    d = sql.days
    months = sql.whole_months
    dates = ""
    params: list = []
    if start:
        dates += f" AND e.date >= {sql.date()}"
        params.append(sql.param(start))
    if end:
        dates += f" AND e.date <= {sql.date()}"
        params.append(sql.param(end))
    side = f"CASE WHEN placed_date < {sql.date()} THEN 0 ELSE 1 END"
    n_under = f"CASE WHEN {months('entered', 'placed_date')} < %s THEN 1 ELSE 0 END"
    po_under = f"CASE WHEN po IS NOT NULL AND {months('po', 'placed_date')} < %s THEN 1 ELSE 0 END"
    if members:
        select = f"""SELECT f.*, pl.child_id, c.council_id FROM (
      SELECT m.*, {side} AS side, {d("placed_date", "entered")} AS placed_days,
        {n_under} AS n_under, {d("adm", "entered")} AS adm_days, {po_under} AS po_under
      FROM m) f JOIN pl ON pl.id = f.id JOIN children_child c ON c.id = pl.child_id
    ORDER BY f.placed_date, pl.child_id, f.id"""
    else:
        select = f"""SELECT {side} AS side,
      COUNT(*) AS placed_n,
      SUM({d("placed_date", "entered")}) AS placed_sum,
      SUM({n_under}) AS n_under,
      SUM(CASE WHEN adm IS NOT NULL THEN 1 ELSE 0 END) AS adm_n,
      SUM(CASE WHEN adm IS NOT NULL THEN {d("adm", "entered")} ELSE 0 END) AS adm_sum,
      SUM(CASE WHEN po IS NOT NULL THEN 1 ELSE 0 END) AS po_n,
      SUM({po_under}) AS po_under
    FROM m GROUP BY side"""
    query = f"""
    WITH pl AS (
      SELECT e.id, e.child_id, e.date AS placed_date
      FROM {EVENTS} e JOIN children_child c ON c.id = e.child_id
      WHERE e.kind = 'placed' AND NOT e.entered_in_error
        AND NOT {placement_disrupted_sql("e")}{dates}{where}
    ),
    care AS (
      SELECT pl.id, MAX(p.entered_care) AS entered
      FROM pl JOIN children_periodofcare p ON p.child_id = pl.child_id
      WHERE p.entered_care <= pl.placed_date GROUP BY pl.id
    ),
    m AS (
      SELECT pl.id, pl.placed_date, care.entered,
        MAX(CASE WHEN e.kind = 'adm_decision' THEN e.date END) AS adm,
        MAX(CASE WHEN e.kind = 'placement_order' AND e.authority IN {ORDER_AUTHORITIES}
            THEN e.date END) AS po
      FROM pl JOIN care ON care.id = pl.id
        LEFT JOIN {EVENTS} e ON e.child_id = pl.child_id AND NOT e.entered_in_error
          AND e.kind IN ('adm_decision', 'placement_order')
          AND e.date >= care.entered AND e.date <= pl.placed_date
      GROUP BY pl.id, pl.placed_date, care.entered
    )
    {select}"""
    out = {side: {} for side in ("before", "after")}
    rows = run_dicts(query, [*params, *ids, sql.param(split), n_months, m_months])
    if members:
        return _dates(rows, ("placed_date", "entered", "adm", "po"))
    for row in rows:
        side = "before" if row["side"] == 0 else "after"
        out[side] = {
            "placed": raw(row["placed_sum"], 0, row["placed_n"]),
            "placed_n_months": raw(0, row["n_under"], row["placed_n"]),
            "adm": raw(row["adm_sum"], 0, row["adm_n"]),
            "po_m_months": raw(0, row["po_under"], row["po_n"]),
        }
    return out
