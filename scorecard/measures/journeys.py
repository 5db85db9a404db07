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
      FROM {EVENTS} e JOIN children_child c ON c.id = e.child_id
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


def scorecard(periods, thresholds, council_ids=None) -> dict:
    """A1, A10, A2, A3 for every council and period: one query."""
    if not periods:
        return {}
    sql = Dialect()
    periods_cte, p_params = _periods_cte(sql, periods, thresholds)
    cte, c_params = adopted_children_cte(
        sql,
        start=min(p.start for p in periods),
        end=max(p.end for p in periods),
        council_ids=council_ids,
    )

    def when(condition: str, then: str = "1") -> str:
        return f"SUM(CASE WHEN {condition} THEN {then} ELSE 0 END)"

    reasons_a1 = ", ".join(f"{when('m.a1_reason = %s')} AS a1_x{i}" for i in range(len(A1_REASONS)))
    reasons_a2 = ", ".join(f"{when('m.a2_reason = %s')} AS a2_x{i}" for i in range(len(A2_REASONS)))
    query = f"""
    WITH {periods_cte}, {cte}
    SELECT p.idx, m.council_id,
      {when("m.a1_reason IS NULL")} AS a1_n,
      {when("m.a1_reason IS NULL", "m.a1_days")} AS a1_sum,
      {when("m.a1_reason IS NULL", "m.a10_days")} AS a10_sum,
      {when("m.a1_reason IS NULL AND m.months_to_placed < p.a3")} AS a3_under,
      {when("m.a2_reason IS NULL")} AS a2_n,
      {when("m.a2_reason IS NULL", "m.a2_days")} AS a2_sum,
      {reasons_a1}, {reasons_a2}
    FROM measured m JOIN periods p ON m.ao_date BETWEEN p.p_start AND p.p_end
    GROUP BY p.idx, m.council_id"""
    params = p_params + c_params + list(A1_REASONS) + list(A2_REASONS)
    out: dict = {}
    for row in run_dicts(query, params):
        x1 = {r: row[f"a1_x{i}"] for i, r in enumerate(A1_REASONS)}
        x2 = {r: row[f"a2_x{i}"] for i, r in enumerate(A2_REASONS)}
        out[(row["council_id"], row["idx"])] = {
            "A1": raw(row["a1_sum"], 0, row["a1_n"], x1),
            "A10": raw(row["a10_sum"], 0, row["a1_n"], x1),
            "A3": raw(0, row["a3_under"], row["a1_n"], x1),
            "A2": raw(row["a2_sum"], 0, row["a2_n"], x2),
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
    """A.4 counts. Stored periods are whole quarters, so the query counts per council, kind and
    quarter and the years and windows add their quarters up; a custom range gets its own
    count. One query either way."""
    if not periods:
        return {}
    sql = Dialect()
    where, ids = _council_filter(council_ids)
    kinds = ", ".join(f"'{k}'" for k in ACTIVITY_KINDS)
    start, end = min(p.start for p in periods), max(p.end for p in periods)
    custom = [i for i, p in enumerate(periods) if not _whole_quarters(p)]
    out: dict = defaultdict(dict)
    base = f"""FROM {EVENTS} e JOIN children_child c ON c.id = e.child_id
      WHERE NOT e.entered_in_error AND e.kind IN ({kinds})
        AND (e.kind <> 'placement_order' OR e.authority IN {ORDER_AUTHORITIES})
        AND e.date BETWEEN {sql.date()} AND {sql.date()}{where}"""
    if len(custom) < len(periods):
        query = f"""SELECT c.council_id, e.kind, {sql.quarter_index("e.date")} AS q, COUNT(*)
          {base} GROUP BY c.council_id, e.kind, q"""
        by_quarter: dict = {}
        for council_id, kind, q, n in run(query, [sql.param(start), sql.param(end), *ids]):
            by_quarter[(council_id, ACTIVITY_KINDS[kind], q)] = n
        quarter_of = {}
        for i, p in enumerate(periods):
            if i not in custom:
                first = _quarter_number(p.start)
                last = _quarter_number(p.end)
                for q in range(first, last + 1):
                    quarter_of.setdefault(q, []).append(i)
        for (council_id, code, q), n in by_quarter.items():
            for i in quarter_of.get(q, []):
                figure = out[(council_id, i)].setdefault(code, raw())
                figure["sum"] += n
    for i in custom:
        p = periods[i]
        query = f"SELECT c.council_id, e.kind, COUNT(*) {base} GROUP BY c.council_id, e.kind"
        for council_id, kind, n in run(query, [sql.param(p.start), sql.param(p.end), *ids]):
            out[(council_id, i)][ACTIVITY_KINDS[kind]] = raw(n)
    return dict(out)


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


def waiting(periods, thresholds, council_ids=None) -> dict:
    """A.5 at the last day of each period: children waiting (ADM decision made, not placed,
    plan not reversed, not adopted, still in care) and the breakdown. A child waits from each
    ADM decision or disruption until the next placement, change of plan, adoption order or
    leaving care. One query for every date."""
    if not periods:
        return {}
    sql = Dialect()
    where, ids = _council_filter(council_ids)
    dates = sorted({p.end for p in periods})
    date_rows = ", ".join(f"(%s, {sql.date()})" for _ in dates)
    date_params = [x for i, day in enumerate(dates) for x in (i, sql.param(day))]
    months = sql.whole_months
    query = f"""
    WITH dates(idx, d) AS (VALUES {date_rows}),
    starts AS (
      SELECT e.child_id, c.council_id, e.date AS ds
      FROM {EVENTS} e JOIN children_child c ON c.id = e.child_id
      WHERE e.kind IN ('adm_decision', 'disruption') AND NOT e.entered_in_error{where}
    ),
    ends AS (
      SELECT e.child_id, e.date AS de FROM {EVENTS} e
      WHERE e.kind IN ('placed', 'plan_ceased', 'adoption_order') AND NOT e.entered_in_error
        AND e.child_id IN (SELECT child_id FROM starts)
      UNION ALL
      SELECT p.child_id, p.left_care FROM children_periodofcare p
      WHERE p.left_care IS NOT NULL AND p.child_id IN (SELECT child_id FROM starts)
    ),
    spells AS (
      SELECT s.child_id, s.council_id, s.ds, MIN(en.de) AS de
      FROM starts s LEFT JOIN ends en ON en.child_id = s.child_id AND en.de >= s.ds
      GROUP BY s.child_id, s.council_id, s.ds
    ),
    waiting AS (
      SELECT DISTINCT sp.child_id, sp.council_id, dt.idx, dt.d
      FROM spells sp JOIN dates dt ON sp.ds <= dt.d AND (sp.de IS NULL OR sp.de > dt.d)
    ),
    orders AS (
      SELECT w.child_id, w.idx, MAX(e.date) AS po
      FROM waiting w JOIN {EVENTS} e ON e.child_id = w.child_id
      WHERE e.kind = 'placement_order' AND e.authority IN {ORDER_AUTHORITIES}
        AND NOT e.entered_in_error AND e.date <= w.d
      GROUP BY w.child_id, w.idx
    ),
    care AS (
      SELECT w.child_id, w.idx, MAX(p.entered_care) AS entered
      FROM waiting w JOIN children_periodofcare p ON p.child_id = w.child_id
      WHERE p.entered_care <= w.d
      GROUP BY w.child_id, w.idx
    )
    SELECT w.idx, w.council_id, COUNT(*) AS waiting,
      SUM(CASE WHEN o.po IS NOT NULL THEN 1 ELSE 0 END) AS with_po,
      SUM(CASE WHEN {months("ca.entered", "w.d")} >= 18 THEN 1 ELSE 0 END) AS care_18,
      SUM(CASE WHEN {months("o.po", "w.d")} >= 12 THEN 1 ELSE 0 END) AS po_12,
      SUM(CASE WHEN {months("o.po", "w.d")} >= 18 THEN 1 ELSE 0 END) AS po_18,
      SUM(CASE WHEN {months("c.date_of_birth", "w.d")} >= 60 THEN 1 ELSE 0 END) AS aged_5,
      SUM(CASE WHEN c.ethnicity NOT LIKE 'W%%' AND c.ethnicity NOT IN ('REFU', 'NOBT')
          THEN 1 ELSE 0 END) AS minority,
      SUM(CASE WHEN c.disabled THEN 1 ELSE 0 END) AS disabled,
      SUM(CASE WHEN sg.to_be_placed_together THEN 1 ELSE 0 END) AS siblings
    FROM waiting w JOIN children_child c ON c.id = w.child_id
      LEFT JOIN children_siblinggroup sg ON sg.id = c.sibling_group_id
      LEFT JOIN orders o ON o.child_id = w.child_id AND o.idx = w.idx
      LEFT JOIN care ca ON ca.child_id = w.child_id AND ca.idx = w.idx
    GROUP BY w.idx, w.council_id"""
    by_date = {}
    for row in run_dicts(query, [*date_params, *ids]):
        by_date[(row["council_id"], dates[row["idx"]])] = {
            "waiting": raw(row["waiting"]),
            "waiting_with_po": raw(row["with_po"]),
            "waiting_18m_in_care": raw(row["care_18"]),
            "waiting_12m_po": raw(row["po_12"]),
            "waiting_18m_po": raw(row["po_18"]),
            "waiting_aged_5": raw(row["aged_5"]),
            "waiting_minority": raw(row["minority"]),
            "waiting_disabled": raw(row["disabled"]),
            "waiting_siblings": raw(row["siblings"]),
        }
    out = {}
    for (council_id, day), figures in by_date.items():
        for i, p in enumerate(periods):
            if p.end == day:
                out[(council_id, i)] = figures
    return out


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
    date on or after it. One query."""
    if not periods:
        return {}
    sql = Dialect()
    periods_cte, p_params = _periods_cte(sql, periods, thresholds)
    where, ids = _council_filter(council_ids)
    start, end = min(p.start for p in periods), max(p.end for p in periods)
    d = sql.days
    sums = ", ".join(
        f"SUM(CASE WHEN m.{col} IS NOT NULL THEN 1 ELSE 0 END) AS {code.lower()}_n, "
        f"SUM(CASE WHEN m.{col} IS NOT NULL THEN {d('m.' + col, 'm.entered')} ELSE 0 END) "
        f"AS {code.lower()}_sum"
        for code, col in TIMELINE
    )
    query = f"""
    WITH {periods_cte},
    pl AS (
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
        MAX(CASE WHEN e.kind = 'adm_decision' AND e.date <= pl.placed_date THEN e.date END) AS adm,
        MAX(CASE WHEN e.kind = 'placement_order' AND e.authority IN {ORDER_AUTHORITIES}
            AND e.date <= pl.placed_date THEN e.date END) AS po,
        MAX(CASE WHEN e.kind = 'matched' AND e.date <= pl.placed_date THEN e.date END)
          AS match_date,
        MIN(CASE WHEN e.kind = 'adoption_order' AND e.date >= pl.placed_date THEN e.date END)
          AS ao
      FROM pl JOIN care ON care.id = pl.id
        LEFT JOIN {EVENTS} e ON e.child_id = pl.child_id AND NOT e.entered_in_error
          AND e.kind IN ('adm_decision', 'placement_order', 'matched', 'adoption_order')
          AND e.date >= care.entered
      GROUP BY pl.id, pl.council_id, pl.placed_date, care.entered
    )
    SELECT p.idx, m.council_id, {sums}
    FROM m JOIN periods p ON m.placed_date BETWEEN p.p_start AND p.p_end
    GROUP BY p.idx, m.council_id"""
    out = {}
    for row in run_dicts(query, [*p_params, sql.param(start), sql.param(end), *ids]):
        out[(row["council_id"], row["idx"])] = {
            code: raw(row[f"{code.lower()}_sum"], 0, row[f"{code.lower()}_n"])
            for code, _ in TIMELINE
        }
    return out
