"""Children waiting at a date (DOMAIN.md A.5): ADM decision made, not placed, plan not reversed,
not adopted, still in care; with a placement order; 18+ months in care; 12+ / 18+ months since
the order; and the harder-to-place breakdown. One query for every stored quarter end."""

from collections import defaultdict
from datetime import date

from scorecard.measures import raw
from scorecard.measures.journeys import (
    EVENTS,
    ORDER_AUTHORITIES,
    _child_join,
    _council_filter,
    _is_quarter_end,
    _quarter_number,
)
from scorecard.measures.sql import Dialect, run, run_dicts

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
SPELL_FILTERS = 4


def _spells_cte(sql: Dialect, where: str) -> str:
    """``spells``: the separate stretches of time a child waits (DOMAIN.md A.5). A child waits
    from each ADM decision or disruption (``ds``) until the next placement, change of plan,
    adoption order or leaving care (``de``, NULL while still waiting); stretches ending at the
    same step are one. A disruption starts a stretch only while the plan stands (no change of
    plan on or before it since the last ADM decision): the placement it ends is gone, so the
    child waits again. Each carries what the breakdown needs: the council, the date the child
    entered care (latest entry on or before the start), the placement (or freeing) order (the
    latest on or before the start in that period of care, else the first after it and before
    the end: one after the end is never counted), date of birth, ethnicity, disability and
    sibling group.

    One pass: each child's entries into care, orders, starts and ends in date order (on one
    day: entering care, the order, the start, then the end; a disruption after a placement
    and before any other end), with running aggregates (one
    sort, nothing looking forward): ``g``, the number of ends before a row, puts each end in
    the stretch it closes, with the starts before it; ``entered``, ``po_before``,
    ``last_start`` and ``last_end`` are the latest of each so far."""
    return f"""
    stream AS (
      SELECT e.child_id, e.date,
        CASE WHEN e.kind IN ('adm_decision', 'disruption') THEN 2 ELSE 3 END AS step,
        CASE e.kind WHEN 'adm_decision' THEN 2 WHEN 'placed' THEN 3 WHEN 'disruption' THEN 4
          ELSE 5 END AS o
      FROM {EVENTS} e{_child_join("e", where)}
      WHERE NOT e.entered_in_error{where}
        AND e.kind IN ('adm_decision', 'disruption', 'placed', 'plan_ceased', 'adoption_order')
        AND (e.kind <> 'disruption' OR NOT EXISTS (
          SELECT 1 FROM {EVENTS} pc WHERE pc.child_id = e.child_id AND pc.kind = 'plan_ceased'
            AND NOT pc.entered_in_error AND pc.date <= e.date
            AND NOT EXISTS (
              SELECT 1 FROM {EVENTS} a WHERE a.child_id = e.child_id
                AND a.kind = 'adm_decision' AND NOT a.entered_in_error
                AND a.date > pc.date AND a.date <= e.date)))
      UNION ALL
      SELECT e.child_id, e.date, 1, 1 FROM {EVENTS} e{_child_join("e", where)}
      WHERE NOT e.entered_in_error{where}
        AND e.kind = 'placement_order' AND e.authority IN {ORDER_AUTHORITIES}
      UNION ALL
      SELECT p.child_id, p.entered_care, 0, 0
        FROM children_periodofcare p{_child_join("p", where)}
        WHERE 1 = 1{where}
      UNION ALL
      SELECT p.child_id, p.left_care, 3, 5 FROM children_periodofcare p{_child_join("p", where)}
        WHERE p.left_care IS NOT NULL{where}
    ),
    marked AS (
      SELECT child_id, date, step,
        COUNT(CASE WHEN step = 3 THEN 1 END) OVER w - CASE WHEN step = 3 THEN 1 ELSE 0 END AS g,
        MAX(CASE WHEN step = 0 THEN date END) OVER w AS entered,
        MAX(CASE WHEN step = 1 THEN date END) OVER w AS po_before,
        MAX(CASE WHEN step = 2 THEN date END) OVER w AS last_start,
        MAX(CASE WHEN step = 3 THEN date END) OVER w AS last_end
      FROM stream
      WINDOW w AS (PARTITION BY child_id ORDER BY date, o ROWS UNBOUNDED PRECEDING)
    ),
    merged AS (
      -- running maxima never fall, so the smallest over a stretch's starts is its first
      -- start's; an order counts as "after the start" once a start follows the last end
      SELECT child_id, MIN(CASE WHEN step = 2 THEN date END) AS ds,
        MIN(CASE WHEN step = 3 THEN date END) AS de,
        MIN(CASE WHEN step = 2 THEN entered END) AS entered,
        MIN(CASE WHEN step = 2 THEN po_before END) AS po_before,
        MIN(CASE WHEN step = 1 AND last_start IS NOT NULL
            AND (last_end IS NULL OR last_start > last_end) THEN date END) AS po_after
      FROM marked
      WHERE step = 2 OR (step <> 0 AND last_start IS NOT NULL)
      GROUP BY child_id, g
    ),
    spells AS (
      SELECT m.child_id, c.council_id, m.ds, m.de, m.entered,
        CASE WHEN m.po_before >= m.entered OR (m.po_before IS NOT NULL AND m.entered IS NULL)
          THEN m.po_before ELSE m.po_after END AS po,
        c.date_of_birth, c.ethnicity, c.disabled,
        CASE WHEN sg.to_be_placed_together THEN 1 ELSE 0 END AS siblings
      FROM merged m JOIN children_child c ON c.id = m.child_id
        LEFT JOIN children_siblinggroup sg ON sg.id = c.sibling_group_id
      WHERE m.ds IS NOT NULL
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


def _quarter_breakdowns(sql: Dialect) -> tuple[dict, dict, dict]:
    """How each breakdown counts a waiting stretch at a quarter end: ``starts[code]`` is
    (which stretches it counts, the column of ``qs`` holding the first quarter end it counts
    them at), ``bases`` the quarter numbers computed once per stretch, ``columns`` each first
    quarter end. A stretch counts at quarter end Q while ``column <= Q`` and ``Q < eq``. Read
    by both the figures (:func:`_waiting_by_quarter`) and the children (:func:`waiting_members`)."""
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
    # Each spell's quarter numbers are computed once (``qs`` is materialised: several
    # branches read it); each branch only compares those columns.
    bases = {
        "q0": q("s.ds"),
        "q_po_on": q("s.po"),
        "q_care18_on": q_after("s.entered", 18),
        "q_po12_on": q_after("s.po", 12),
        "q_po18_on": q_after("s.po", 18),
        "q_age5_on": q_after("s.date_of_birth", 60),
        "eq": q("s.de"),
    }
    columns = {
        "q0": "q0",
        "q_po": later("q0", "q_po_on"),
        "q_care18": later("q0", "q_care18_on"),
        "q_po12": later("q0", "q_po12_on"),
        "q_po18": later("q0", "q_po18_on"),
        "q_age5": later("q0", "q_age5_on"),
    }
    return starts, bases, columns


def _waiting_by_quarter(sql, periods, indexes, where, ids, out) -> None:
    starts, bases, columns = _quarter_breakdowns(sql)
    # A stretch adds 1 to each breakdown at the first quarter end it counts at and takes 1 away
    # at the first it no longer does (``eq``, the same for every breakdown): one grouped
    # branch per distinct first quarter, one for the ends; each gives every breakdown's count.
    names = list(starts)

    def counts(of: set[str], test: str) -> str:
        return ", ".join(
            f"SUM(CASE WHEN {starts[code][0]} AND {test.format(columns[starts[code][1]])} "
            f"THEN 1 ELSE 0 END) AS c{n}"
            if code in of
            else f"0 AS c{n}"
            for n, code in enumerate(names)
        )

    branches = [
        f"""SELECT council_id, {columns[start]} AS q,
            {counts({c for c in names if starts[c][1] == start}, "(eq IS NULL OR {0} < eq)")}
          FROM qs GROUP BY council_id, {columns[start]}"""
        for start in dict.fromkeys(start for _, start in starts.values())
    ]
    minus = ", ".join(f"-c{n} AS c{n}" for n in range(len(names)))
    branches.append(
        f"""SELECT council_id, q, {minus} FROM (
          SELECT council_id, eq AS q, {counts(set(names), "{0} < eq")}
          FROM qs WHERE eq IS NOT NULL GROUP BY council_id, eq) ends"""
    )
    computed = ", ".join(f"{expression} AS {name}" for name, expression in bases.items())
    sums = ", ".join(f"SUM(c{n})" for n in range(len(names)))
    query = f"""
    WITH {_spells_cte(sql, where)},
    qs AS (SELECT s.*, {computed} FROM spells s)
    SELECT council_id, q, {sums} FROM (
      {" UNION ALL ".join(branches)}
    ) deltas GROUP BY council_id, q"""
    changes: dict = defaultdict(lambda: defaultdict(int))
    for council_id, quarter_number, *deltas in run(query, ids * SPELL_FILTERS):
        for code, delta in enumerate(deltas):
            if delta:
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


def _at_date(sql: Dialect) -> tuple[str, dict]:
    """A.5 at a date parameter that is not a quarter end: which stretches cover the date, and
    for each breakdown which of those it counts (read by :func:`_waiting_at` and
    :func:`waiting_members`)."""
    months = sql.whole_months
    d = sql.date()
    covers = f"ds <= {d} AND (de IS NULL OR de > {d})"
    return covers, {
        "waiting": "1 = 1",
        "waiting_with_po": f"po <= {d}",
        "waiting_18m_in_care": f"{months('entered', d)} >= 18",
        "waiting_12m_po": f"po <= {d} AND {months('po', d)} >= 12",
        "waiting_18m_po": f"po <= {d} AND {months('po', d)} >= 18",
        "waiting_aged_5": f"{months('date_of_birth', d)} >= 60",
        "waiting_minority": "ethnicity NOT LIKE 'W%%' AND ethnicity NOT IN ('REFU', 'NOBT')",
        "waiting_disabled": "disabled",
        "waiting_siblings": "siblings = 1",
    }


def _waiting_at(sql, day, index, where, ids, out) -> None:
    covers, conditions = _at_date(sql)
    counts = ", ".join(
        f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END) AS {code}"
        for code, condition in conditions.items()
    )
    select = f"""
    SELECT council_id, {counts}
    FROM spells WHERE {covers}
    GROUP BY council_id"""
    query = f"WITH {_spells_cte(sql, where)} {select}"
    # placeholders in reading order: the council filter (in the CTE), then the date
    n_dates = select.count("%s")
    day_param = sql.param(day)
    for row in run_dicts(query, [*(ids * SPELL_FILTERS), *([day_param] * n_dates)]):
        out[(row["council_id"], index)] = {code: raw(row[code]) for code in WAITING_CODES}


def waiting_members(period, council_ids) -> list[dict]:
    """The children waiting at the period's last day: one row per waiting stretch that covers
    it (``child_id``, ``council_id``, ``ds`` waiting since, ``entered``, ``po``,
    ``date_of_birth``) with a 0/1 column per breakdown code (whether that figure counts the
    child). Built from :func:`_spells_cte` and the very conditions the figures use: the
    quarter-end ones (:func:`_quarter_breakdowns`) when the day ends a quarter, as every stored
    period does, else those of :func:`_at_date`."""
    sql = Dialect()
    where, ids = _council_filter(council_ids)
    keep = "child_id, council_id, ds, de, entered, po, date_of_birth"
    if _is_quarter_end(period.end):
        starts, bases, columns = _quarter_breakdowns(sql)
        at = int(_quarter_number(period.end))
        computed = ", ".join(f"{expression} AS {name}" for name, expression in bases.items())
        flags = ", ".join(
            f"CASE WHEN {condition} AND {columns[start]} <= {at} THEN 1 ELSE 0 END AS {code}"
            for code, (condition, start) in starts.items()
        )
        query = f"""WITH {_spells_cte(sql, where)},
        qs AS (SELECT s.*, {computed} FROM spells s)
        SELECT {keep}, {flags} FROM qs WHERE q0 <= {at} AND (eq IS NULL OR {at} < eq)
        ORDER BY ds, child_id"""
        params = ids * SPELL_FILTERS
    else:
        covers, conditions = _at_date(sql)
        flags = ", ".join(
            f"CASE WHEN {condition} THEN 1 ELSE 0 END AS {code}"
            for code, condition in conditions.items()
        )
        select = f"SELECT {keep}, {flags} FROM spells WHERE {covers} ORDER BY ds, child_id"
        query = f"WITH {_spells_cte(sql, where)} {select}"
        params = [*(ids * SPELL_FILTERS), *([sql.param(period.end)] * select.count("%s"))]
    rows = run_dicts(query, params)
    for row in rows:
        for key in ("ds", "de", "entered", "po", "date_of_birth"):
            if isinstance(row[key], str):
                row[key] = date.fromisoformat(row[key][:10])
    return rows
