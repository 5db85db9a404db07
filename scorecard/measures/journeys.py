"""The children's measures (DOMAIN.md A.3, A.4, A.5, A.7), each family one aggregate query over
every council asked for at once (GROUP BY council and period), never a loop over children.

Sources: the journey events (withdrawn ones never count) and the periods of care, not the
summary fields on Child, because the measures need dates the summary does not hold: the period
of care that contains the adoption (not the latest one), the placement on or before the order,
and the foster-carer fields of that placement.

Each function takes ``periods`` (a list of :class:`scorecard.periods.Period`), the threshold
row for each (``thresholds[i]``) and optionally ``council_ids``; it returns
``{(council_id, period_index): {code: raw figure}}``.
"""

from collections import defaultdict
from datetime import date

from scorecard.measures import raw
from scorecard.measures.sql import Dialect, run, run_dicts
from scorecard.periods import QUARTER, Period

EVENTS = "children_journeyevent"
ORDER_AUTHORITIES = "('placement_order', 'freeing_order')"

A1_REASONS = ("no placed date", "no date entered care", "placed before entered care")
A2_REASONS = (
    "no placement order",
    "not placed for adoption before the order",
    "no match date",
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


def adopted_children_cte(sql: Dialect, *, start, end, council_ids=None) -> tuple[str, list]:
    """``WITH`` clauses ending in ``measured``: one row per child whose (latest) adoption order is
    dated from ``start`` to ``end``, with the dates behind A1, A10, A2, A3, each measure's days
    and its exclusion reason (NULL when the child counts)."""
    where, ids = _council_filter(council_ids)
    params = [*ids, sql.param(start), sql.param(end)]
    d = sql.days
    end_a10 = (
        "CASE WHEN f.fca AND f.living_since IS NOT NULL THEN f.living_since ELSE f.placed_date END"
    )
    cte = f"""
    ao AS (
      SELECT e.child_id, MAX(e.date) AS ao_date
      FROM {EVENTS} e{_child_join("e", where)}
      WHERE e.kind = 'adoption_order' AND NOT e.entered_in_error{where}
      GROUP BY e.child_id
      HAVING MAX(e.date) BETWEEN {sql.date()} AND {sql.date()}
    ),
    pl AS (
      SELECT child_id, placed_date, fca, living_since FROM (
        SELECT e.child_id, e.date AS placed_date, e.foster_carer_adoption AS fca,
               e.living_with_carers_since AS living_since,
               ROW_NUMBER() OVER (PARTITION BY e.child_id ORDER BY e.date DESC, e.id DESC) AS rn
        FROM {EVENTS} e JOIN ao ON ao.child_id = e.child_id
        WHERE e.kind = 'placed' AND NOT e.entered_in_error AND e.date <= ao.ao_date
      ) latest WHERE rn = 1
    ),
    steps AS (
      SELECT e.child_id,
        MAX(CASE WHEN e.kind = 'matched' THEN e.date END) AS match_date,
        MAX(CASE WHEN e.kind = 'placement_order' AND e.authority IN {ORDER_AUTHORITIES}
            THEN e.date END) AS po_date
      FROM {EVENTS} e JOIN ao ON ao.child_id = e.child_id
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
             WHEN f.placed_date IS NULL THEN 'not placed for adoption before the order'
             WHEN f.match_date IS NULL THEN 'no match date' END AS a2_reason,
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


def scorecard(periods, thresholds, council_ids=None) -> dict:
    """A1, A10, A2, A3 for every council and period: one query (per custom range)."""
    if not periods:
        return {}
    sql = Dialect()
    out: dict = {}
    n_values = sorted({t.a3_months for t in thresholds})

    def when(condition: str, then: str = "1") -> str:
        return f"SUM(CASE WHEN {condition} THEN {then} ELSE 0 END)"

    reasons_a1 = ", ".join(f"{when('m.a1_reason = %s')} AS a1_x{i}" for i in range(len(A1_REASONS)))
    reasons_a2 = ", ".join(f"{when('m.a2_reason = %s')} AS a2_x{i}" for i in range(len(A2_REASONS)))
    under = ", ".join(
        f"{when('m.a1_reason IS NULL AND m.months_to_placed < %s')} AS a3_under{i}"
        for i in range(len(n_values))
    )
    for bucket in buckets(sql, periods):
        cte, c_params = adopted_children_cte(
            sql, start=bucket.start, end=bucket.end, council_ids=council_ids
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
    days and the reason each measure left them out (None when counted)."""
    sql = Dialect()
    cte, params = adopted_children_cte(
        sql, start=period.start, end=period.end, council_ids=council_ids
    )
    query = f"WITH {cte} SELECT m.* FROM measured m ORDER BY m.council_id, m.ao_date, m.child_id"

    rows = run_dicts(query, params)
    for row in rows:
        row["a3_under"] = row["a1_reason"] is None and row["months_to_placed"] < threshold.a3_months
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
    kinds = ", ".join(f"'{k}'" for k in ACTIVITY_KINDS)
    out: dict = {}
    for bucket in buckets(sql, periods):
        counts = ", ".join(
            f"SUM(CASE WHEN e.kind = '{kind}' THEN 1 ELSE 0 END) AS {code}"
            for kind, code in ACTIVITY_KINDS.items()
        )
        query = f"""SELECT c.council_id, {bucket.expr("e.date")} AS b, {counts}
          FROM {EVENTS} e JOIN children_child c ON c.id = e.child_id
          WHERE NOT e.entered_in_error AND e.kind IN ({kinds})
            AND (e.kind <> 'placement_order' OR e.authority IN {ORDER_AUTHORITIES})
            AND e.date BETWEEN {sql.date()} AND {sql.date()}{where}
          GROUP BY c.council_id, b"""
        params = [sql.param(bucket.start), sql.param(bucket.end), *ids]
        codes = tuple(ACTIVITY_KINDS.values())
        for row in rolled(bucket, query, params, keys=("council_id",), sums=codes):
            out[(row["council_id"], row["idx"])] = {code: raw(row[code]) for code in codes}
    return out


def _quarter_number(day) -> int:
    return (day.year * 12 + day.month - 1 - 3) // 3


def _whole_quarters(period: Period) -> bool:
    from scorecard.periods import quarter

    if period.kind == QUARTER or period.kind in ("year", "window"):
        return True
    q_start = quarter(*_fy_q(period.start))
    q_end = quarter(*_fy_q(period.end))
    return q_start.start == period.start and q_end.end == period.end


def _fy_q(day):
    n = _quarter_number(day)
    return n // 4, n % 4 + 1


WAITING_CODES = (
    "waiting",
    "waiting_with_po",
    "waiting_18m_in_care",
    "waiting_12m_po",
    "waiting_18m_po",
    "waiting_aged_5",
    "waiting_minority",
    "waiting_disabled",
    "waiting_siblings",
)


#: How many times :func:`_spells_cte` repeats the council filter.
SPELL_FILTERS = 3


def _spells_cte(sql: Dialect, where: str) -> str:
    """``spells``: the separate stretches of time a child waits (DOMAIN.md A.5). A child waits
    from each ADM decision or disruption (``ds``) until the next placement, change of plan,
    adoption order or leaving care (``de``, NULL while still waiting); stretches ending at the
    same step are one. Each carries what the breakdown needs: the council, the date the child
    entered care (latest entry on or before the start), the placement (or freeing) order (the
    latest on or before the start in that period of care, else the first after it), date of
    birth, ethnicity, disability and sibling group.

    One pass: each child's entries into care, orders, starts and ends in date order (on one
    day: entering care, the order, the start, then the end), with window aggregates looking
    back and forward from each start."""
    return f"""
    stream AS (
      SELECT e.child_id, e.date,
        CASE WHEN e.kind = 'placement_order' THEN 1
             WHEN e.kind IN ('adm_decision', 'disruption') THEN 2 ELSE 3 END AS step
      FROM {EVENTS} e{_child_join("e", where)}
      WHERE NOT e.entered_in_error{where}
        AND (e.kind IN ('adm_decision', 'disruption', 'placed', 'plan_ceased', 'adoption_order')
             OR (e.kind = 'placement_order' AND e.authority IN {ORDER_AUTHORITIES}))
      UNION ALL
      SELECT p.child_id, p.entered_care, 0 FROM children_periodofcare p{_child_join("p", where)}
        WHERE 1 = 1{where}
      UNION ALL
      SELECT p.child_id, p.left_care, 3 FROM children_periodofcare p{_child_join("p", where)}
        WHERE p.left_care IS NOT NULL{where}
    ),
    marked AS (
      SELECT child_id, date, step,
        MIN(CASE WHEN step = 3 THEN date END) OVER (
          PARTITION BY child_id ORDER BY date, step
          ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS de,
        MAX(CASE WHEN step = 0 THEN date END) OVER (
          PARTITION BY child_id ORDER BY date, step ROWS UNBOUNDED PRECEDING) AS entered,
        MAX(CASE WHEN step = 1 THEN date END) OVER (
          PARTITION BY child_id ORDER BY date, step ROWS UNBOUNDED PRECEDING) AS po_before,
        MIN(CASE WHEN step = 1 THEN date END) OVER (
          PARTITION BY child_id ORDER BY date, step
          ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS po_after
      FROM stream
    ),
    merged AS (
      SELECT child_id, de, MIN(date) AS ds, MIN(entered) AS entered,
        MIN(CASE WHEN po_before >= entered OR (po_before IS NOT NULL AND entered IS NULL)
            THEN po_before ELSE po_after END) AS po
      FROM marked WHERE step = 2
      GROUP BY child_id, de
    ),
    spells AS (
      SELECT m.child_id, c.council_id, m.ds, m.de, m.entered, m.po, c.date_of_birth,
        c.ethnicity, c.disabled, CASE WHEN sg.to_be_placed_together THEN 1 ELSE 0 END AS siblings
      FROM merged m JOIN children_child c ON c.id = m.child_id
        LEFT JOIN children_siblinggroup sg ON sg.id = c.sibling_group_id
    )"""


def waiting(periods, thresholds, council_ids=None) -> dict:
    """A.5 at the last day of each period. For periods ending on a quarter's last day (every
    stored one): one query that turns each waiting stretch into +1 at the first quarter end it
    covers and -1 at the first it does not, for each breakdown (which may start later: with an
    order from the order's quarter, 18+ months in care from that quarter, aged 5 from the
    fifth birthday's), summed per council and quarter; the running total is the number waiting
    at each quarter end. A custom range ending mid-quarter gets one direct count."""
    if not periods:
        return {}
    sql = Dialect()
    where, ids = _council_filter(council_ids)
    out: dict = {}
    quarter_ends = [i for i, p in enumerate(periods) if _is_quarter_end(p.end)]
    others = [i for i in range(len(periods)) if i not in quarter_ends]
    if quarter_ends:
        _waiting_by_quarter(sql, periods, quarter_ends, where, ids, out)
    for i in others:
        _waiting_at(sql, periods[i].end, i, where, ids, out)
    return out


def _waiting_by_quarter(sql, periods, indexes, where, ids, out) -> None:
    q = sql.quarter_index

    def q_after(column: str, months: int) -> str:
        # the quarter holding ``column + months`` calendar months: its end is the first
        # quarter end at or after that day
        return f"(({sql.month_index(column)} + {months} - 3) / 3)"

    def later(a: str, b: str) -> str:
        return f"CASE WHEN ({a}) > ({b}) THEN ({a}) ELSE ({b}) END"

    # For each breakdown: which spells it counts (a condition) and the first quarter end it
    # counts them at (a column of ``qs``, computed once per spell).
    starts = {
        "waiting": ("1 = 1", "q0"),
        "waiting_with_po": ("po IS NOT NULL", "q_po"),
        "waiting_18m_in_care": ("entered IS NOT NULL", "q_care18"),
        "waiting_12m_po": ("po IS NOT NULL", "q_po12"),
        "waiting_18m_po": ("po IS NOT NULL", "q_po18"),
        "waiting_aged_5": ("1 = 1", "q_age5"),
        "waiting_minority": (
            "ethnicity NOT LIKE 'W%%' AND ethnicity NOT IN ('REFU', 'NOBT')",
            "q0",
        ),
        "waiting_disabled": ("disabled", "q0"),
        "waiting_siblings": ("siblings = 1", "q0"),
    }
    q0 = q("s.ds")
    columns = {
        "q_po": later(q0, q("s.po")),
        "q_care18": later(q0, q_after("s.entered", 18)),
        "q_po12": later(q0, q_after("s.po", 12)),
        "q_po18": later(q0, q_after("s.po", 18)),
        "q_age5": later(q0, q_after("s.date_of_birth", 60)),
    }
    branches = []
    for n, (condition, start) in enumerate(starts.values()):
        branches.append(
            f"""SELECT council_id, {n} AS code, {start} AS q, 1 AS delta FROM qs
              WHERE {condition} AND (eq IS NULL OR {start} < eq)
            UNION ALL
            SELECT council_id, {n}, eq, -1 FROM qs
              WHERE {condition} AND eq IS NOT NULL AND {start} < eq"""
        )
    computed = ", ".join(f"{expression} AS {name}" for name, expression in columns.items())
    query = f"""
    WITH {_spells_cte(sql, where)},
    qs AS (SELECT s.*, {q0} AS q0, {computed}, {q("s.de")} AS eq FROM spells s)
    SELECT council_id, code, q, SUM(delta) FROM (
      {" UNION ALL ".join(branches)}
    ) deltas GROUP BY council_id, code, q"""
    changes: dict = defaultdict(lambda: defaultdict(int))
    for council_id, code, quarter_number, delta in run(query, ids * SPELL_FILTERS):
        changes[(council_id, code)][quarter_number] += delta
    codes = list(starts)
    wanted = {_quarter_number(periods[i].end): [] for i in indexes}
    for i in indexes:
        wanted[_quarter_number(periods[i].end)].append(i)
    for (council_id, code), by_quarter in changes.items():
        running, steps = 0, sorted(by_quarter.items())
        position = 0
        for quarter_number in sorted(wanted):
            while position < len(steps) and steps[position][0] <= quarter_number:
                running += steps[position][1]
                position += 1
            if running:
                for i in wanted[quarter_number]:
                    out.setdefault((council_id, i), {})[codes[code]] = raw(running)


def _waiting_at(sql, day, index, where, ids, out) -> None:
    months = sql.whole_months
    d = sql.date()
    select = f"""
    SELECT council_id, COUNT(*) AS waiting,
      SUM(CASE WHEN po <= {d} THEN 1 ELSE 0 END) AS with_po,
      SUM(CASE WHEN {months("entered", d)} >= 18 THEN 1 ELSE 0 END) AS care_18,
      SUM(CASE WHEN po <= {d} AND {months("po", d)} >= 12 THEN 1 ELSE 0 END) AS po_12,
      SUM(CASE WHEN po <= {d} AND {months("po", d)} >= 18 THEN 1 ELSE 0 END) AS po_18,
      SUM(CASE WHEN {months("date_of_birth", d)} >= 60 THEN 1 ELSE 0 END) AS aged_5,
      SUM(CASE WHEN ethnicity NOT LIKE 'W%%' AND ethnicity NOT IN ('REFU', 'NOBT')
          THEN 1 ELSE 0 END) AS minority,
      SUM(CASE WHEN disabled THEN 1 ELSE 0 END) AS disabled,
      SUM(siblings) AS siblings
    FROM spells WHERE ds <= {d} AND (de IS NULL OR de > {d})
    GROUP BY council_id"""
    query = f"WITH {_spells_cte(sql, where)} {select}"
    # placeholders in reading order: the council filter (in the CTE), then the date
    n_dates = select.count("%s")
    day_param = sql.param(day)
    for row in run_dicts(query, [*(ids * SPELL_FILTERS), *([day_param] * n_dates)]):
        out[(row["council_id"], index)] = {
            code: raw(row[key])
            for code, key in zip(
                WAITING_CODES,
                (
                    "waiting",
                    "with_po",
                    "care_18",
                    "po_12",
                    "po_18",
                    "aged_5",
                    "minority",
                    "disabled",
                    "siblings",
                ),
                strict=True,
            )
        }


def _is_quarter_end(day) -> bool:
    from datetime import timedelta

    following = day + timedelta(days=1)
    return following.day == 1 and following.month in (1, 4, 7, 10)


TIMELINE = (
    ("T_adm", "adm"),
    ("T_po", "po"),
    ("T_match", "match_date"),
    ("T_placed", "placed_date"),
    ("T_ao", "ao"),
)


def timeline(periods, thresholds, council_ids=None) -> dict:
    """A.7: children placed for adoption in the period (each placement dated in it), mean days
    from entering care (the period of care holding the placement) to each milestone that has a
    date on or after it (the adoption order: the first on or after the placement). One query
    (per custom range)."""
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
    out: dict = {}
    for bucket in buckets(sql, periods):
        query = f"""
        WITH pl AS (
          SELECT e.id, e.child_id, c.council_id, e.date AS placed_date
          FROM {EVENTS} e JOIN children_child c ON c.id = e.child_id
          WHERE e.kind = 'placed' AND NOT e.entered_in_error
            AND e.date BETWEEN {sql.date()} AND {sql.date()}{where}
        ),
        care AS (
          SELECT pl.id, MAX(p.entered_care) AS entered
          FROM pl JOIN children_periodofcare p ON p.child_id = pl.child_id
          WHERE p.entered_care <= pl.placed_date GROUP BY pl.id
        ),
        m AS (
          SELECT pl.id, pl.council_id, pl.placed_date, care.entered,
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
              AND e.kind IN ('adm_decision', 'placement_order', 'matched', 'adoption_order')
              AND e.date >= care.entered
          GROUP BY pl.id, pl.council_id, pl.placed_date, care.entered
        )
        SELECT m.council_id, {bucket.expr("m.placed_date")} AS b, {sums}
        FROM m GROUP BY m.council_id, b"""
        params = [sql.param(bucket.start), sql.param(bucket.end), *ids]
        columns = tuple(f"{code.lower()}_{part}" for code, _ in TIMELINE for part in ("n", "sum"))
        for row in rolled(bucket, query, params, keys=("council_id",), sums=columns):
            out[(row["council_id"], row["idx"])] = {
                code: raw(row[f"{code.lower()}_sum"], 0, row[f"{code.lower()}_n"])
                for code, _ in TIMELINE
            }
    return out
