"""The adopter measures (DOMAIN.md A.6): grouped by recruiting council (households recruited by
no partner council are counted for their region only) and quarter, in one query; a custom range
gets a query of its own.

A household's first match is its earliest match decision on a child's journey (withdrawn
events never count). Approved households waiting (A11) and applications still to be assessed
(A13) are counted at the last day of the period, like children waiting.
"""

from collections import defaultdict
from datetime import date

from scorecard.measures import add, raw
from scorecard.measures.journeys import _is_quarter_end, _quarter_number, buckets, rolled
from scorecard.measures.sql import Dialect, run_dicts

FLOW_CODES = (
    "enquiries",
    "registrations",
    "approvals",
    "approved_6m",
    "A12",
    "stage1_2m",
    "stage2_4m",
)


def _households_cte(sql: Dialect, where: str) -> str:
    return f"""
    hh AS (
      SELECT h.id, h.recruiting_council_id, h.region_id, h.enquiry_date, h.registration_date,
        h.stage1_end_date, h.stage2_start_date, h.approval_date, h.left_date
      FROM adopters_household h WHERE 1 = 1{where}
    ),
    matches AS (
      SELECT e.household_id, MIN(e.date) AS first_match
      FROM children_journeyevent e JOIN hh ON hh.id = e.household_id
      WHERE e.kind = 'matched' AND NOT e.entered_in_error
      GROUP BY e.household_id
    ),
    h AS (
      SELECT h.id AS household_id, h.recruiting_council_id AS council_id, h.region_id,
        h.enquiry_date,
        h.registration_date, h.stage1_end_date, h.stage2_start_date, h.approval_date,
        h.left_date, m.first_match,
        {sql.least("m.first_match", "h.left_date")} AS a11_end,
        {sql.least("h.approval_date", "h.left_date")} AS a13_end
      FROM hh h LEFT JOIN matches m ON m.household_id = h.id
    )"""


def _key(row) -> object:
    return row["council_id"] or ("region", row["region_id"])


def adopters(periods, thresholds, region_ids=None) -> dict:
    """Returns ``{(council_id, period_index): {code: raw figure}}``; households recruited by no
    partner council are keyed ``(("region", region_id), period_index)``."""
    if not periods:
        return {}
    sql = Dialect()
    where, params = "", []
    if region_ids is not None:
        ids = sorted(region_ids) or [0]
        where = f" AND h.region_id IN ({', '.join(['%s'] * len(ids))})"
        params = ids
    out: dict = {}
    cte = _households_cte(sql, where)
    flow = _flow(sql)
    for bucket in buckets(sql, periods):
        d0, d1 = sql.date(), sql.date()
        branches = []
        branch_params: list = []
        for n, (_code, column, counted, numerator, excluded) in enumerate(flow):
            branches.append(
                f"""SELECT council_id, region_id, {n} AS code, {bucket.expr(column)} AS b,
                  SUM(CASE WHEN {counted} THEN 1 ELSE 0 END) AS denominator,
                  SUM(CASE WHEN {counted} AND {numerator} THEN 1 ELSE 0 END) AS numerator,
                  SUM(CASE WHEN {excluded} THEN 1 ELSE 0 END) AS excluded
                FROM h WHERE {column} BETWEEN {d0} AND {d1}
                GROUP BY council_id, region_id, b"""
            )
            branch_params += [sql.param(bucket.start), sql.param(bucket.end)]
        query = f"WITH {cte} {' UNION ALL '.join(branches)}"
        rows = rolled(
            bucket,
            query,
            [*params, *branch_params],
            keys=("council_id", "region_id", "code"),
            sums=("denominator", "numerator", "excluded"),
        )
        for row in rows:
            code = flow[row["code"]][0]
            if code in ("enquiries", "registrations", "approvals"):
                figure = raw(row["denominator"])
            else:
                figure = raw(
                    0,
                    row["numerator"],
                    row["denominator"],
                    {REASONS[code]: row["excluded"]} if code in REASONS else None,
                )
            out.setdefault((_key(row), row["idx"]), {})[code] = figure
    _snapshots(sql, cte, params, periods, out)
    return out


#: Why a household in a flow measure's period is left out of its percentage.
REASONS = {"approved_6m": "fast-track, no Stage 1 start", "A12": "no approval date"}


def _flow(sql: Dialect) -> list[tuple[str, str, str, str, str]]:
    """The flow measures, each counted by a date column of ``h`` inside the period:
    (code, date column, condition for the denominator, condition for the numerator, condition
    for an exclusion). Read by both :func:`adopters` and :func:`adopter_members`."""
    months = sql.whole_months
    return [
        # (code, date column, condition for the denominator, condition for the numerator,
        #  condition for an exclusion)
        ("enquiries", "enquiry_date", "1 = 1", "0 = 1", "0 = 1"),
        ("registrations", "registration_date", "1 = 1", "0 = 1", "0 = 1"),
        ("approvals", "approval_date", "1 = 1", "0 = 1", "0 = 1"),
        (
            "approved_6m",
            "approval_date",
            "registration_date IS NOT NULL",
            f"{months('registration_date', 'approval_date')} < 6",
            "registration_date IS NULL",
        ),
        (
            "A12",
            "first_match",
            "approval_date IS NOT NULL",
            f"{months('approval_date', 'first_match')} >= 3",
            "approval_date IS NULL",
        ),
        (
            "stage1_2m",
            "stage1_end_date",
            "registration_date IS NOT NULL",
            f"{months('registration_date', 'stage1_end_date')} < 2",
            "0 = 1",
        ),
        (
            "stage2_4m",
            "approval_date",
            "stage2_start_date IS NOT NULL",
            f"{months('stage2_start_date', 'approval_date')} < 4",
            "0 = 1",
        ),
    ]


#: A11 and A13: each household's stretch, from a date column of ``h`` until another (NULL:
#: still in it), counted at each period's last day that it covers.
STRETCHES = {"A11": ("approval_date", "a11_end"), "A13": ("registration_date", "a13_end")}


def _snapshots(sql: Dialect, cte: str, params: list, periods, out: dict) -> None:
    """A11 and A13 at each period's last day: each household's stretch (approved until matched
    or left; registered until approved or left) as +1 at the first quarter end it covers and -1
    at the first it does not; a custom range's end gets a direct count."""
    q = sql.quarter_index
    branches = []
    for code, (start, end) in STRETCHES.items():
        branches.append(
            f"""SELECT council_id, region_id, '{code}' AS code, {q(start)} AS q, COUNT(*) AS n
              FROM h WHERE {start} IS NOT NULL AND ({end} IS NULL OR {q(start)} < {q(end)})
              GROUP BY council_id, region_id, q
            UNION ALL
            SELECT council_id, region_id, '{code}', {q(end)}, -COUNT(*)
              FROM h WHERE {start} IS NOT NULL AND {end} IS NOT NULL AND {q(start)} < {q(end)}
              GROUP BY council_id, region_id, {q(end)}"""
        )
    quarter_ends = [i for i, p in enumerate(periods) if _is_quarter_end(p.end)]
    if quarter_ends:
        changes: dict = defaultdict(lambda: defaultdict(int))
        for row in run_dicts(f"WITH {cte} {' UNION ALL '.join(branches)}", params):
            changes[(_key(row), row["code"])][row["q"]] += row["n"]
        wanted = defaultdict(list)
        for i in quarter_ends:
            wanted[_quarter_number(periods[i].end)].append(i)
        for (key, code), by_quarter in changes.items():
            running, steps, position = 0, sorted(by_quarter.items()), 0
            for quarter_number in sorted(wanted):
                while position < len(steps) and steps[position][0] <= quarter_number:
                    running += steps[position][1]
                    position += 1
                if running:
                    for i in wanted[quarter_number]:
                        target = out.setdefault((key, i), {})
                        target[code] = add(target.get(code), raw(running))
    for i, period in enumerate(periods):
        if i in quarter_ends:
            continue
        d = sql.date()
        query = f"""WITH {cte}
        SELECT council_id, region_id,
          SUM(CASE WHEN approval_date <= {d} AND (a11_end IS NULL OR a11_end > {d})
              THEN 1 ELSE 0 END) AS a11,
          SUM(CASE WHEN registration_date <= {d} AND (a13_end IS NULL OR a13_end > {d})
              THEN 1 ELSE 0 END) AS a13
        FROM h GROUP BY council_id, region_id"""
        day = sql.param(period.end)
        for row in run_dicts(query, [*params, day, day, day, day]):
            target = out.setdefault((_key(row), i), {})
            target["A11"] = add(target.get("A11"), raw(row["a11"]))
            target["A13"] = add(target.get("A13"), raw(row["a13"]))


def adopter_members(code: str, period, *, region_ids, council_ids=None) -> list[dict]:
    """The households behind one adopter figure of one period, from :func:`_households_cte`
    with the figure's own conditions: for a flow measure the households dated in the period
    that it counts (``counted``; ``in_numerator`` for a percentage) or leaves out (``reason``);
    for A11 / A13 those in the stretch on the period's last day (by quarter number when that
    day ends a quarter, as :func:`_snapshots` counts). ``council_ids`` narrows to households
    recruited by those councils (None: every household of ``region_ids``)."""
    sql = Dialect()
    ids = sorted(region_ids) or [0]
    params: list = list(ids)
    where = f" AND h.region_id IN ({', '.join(['%s'] * len(ids))})"
    keep = (
        "household_id, council_id, region_id, enquiry_date, registration_date, "
        "stage1_end_date, stage2_start_date, approval_date, left_date, first_match"
    )
    if code in STRETCHES:
        start, end = STRETCHES[code]
        if _is_quarter_end(period.end):
            q, at = sql.quarter_index, int(_quarter_number(period.end))
            covers = (
                f"{start} IS NOT NULL AND {q(start)} <= {at} AND ({end} IS NULL OR {at} < {q(end)})"
            )
        else:
            d = sql.date()
            covers = f"{start} <= {d} AND ({end} IS NULL OR {end} > {d})"
            params += [sql.param(period.end)] * 2
        select = (
            f"SELECT {keep}, 1 AS counted, 0 AS in_numerator, NULL AS reason FROM h WHERE {covers}"
        )
    else:
        _, column, counted, numerator, excluded = next(f for f in _flow(sql) if f[0] == code)
        reason = f"'{REASONS[code]}'" if code in REASONS else "NULL"
        select = f"""SELECT {keep},
          CASE WHEN {counted} THEN 1 ELSE 0 END AS counted,
          CASE WHEN {counted} AND {numerator} THEN 1 ELSE 0 END AS in_numerator,
          CASE WHEN {excluded} THEN {reason} END AS reason
        FROM h WHERE {column} BETWEEN {sql.date()} AND {sql.date()}
          AND ({counted} OR {excluded})"""
        params += [sql.param(period.start), sql.param(period.end)]
    scoped = ""
    if council_ids is not None:
        chosen = sorted(council_ids) or [0]
        scoped = f" WHERE council_id IN ({', '.join(['%s'] * len(chosen))})"
        params += chosen
    cte = _households_cte(sql, where)
    query = f"WITH {cte} SELECT * FROM ({select}) m{scoped} ORDER BY m.household_id"
    rows = run_dicts(query, params)
    dated = (
        "enquiry_date",
        "registration_date",
        "stage1_end_date",
        "stage2_start_date",
        "approval_date",
        "left_date",
        "first_match",
    )
    for row in rows:
        for key in dated:
            if isinstance(row[key], str):
                row[key] = date.fromisoformat(row[key][:10])
    return rows
