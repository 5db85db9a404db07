"""The adopter measures (DOMAIN.md A.6): one aggregate query over every household asked for,
grouped by recruiting council (None: recruited by no partner council, counted for the region
only) and period.

A household's first match is its earliest match decision on a child's journey (withdrawn
events never count).
"""

from scorecard.measures import add, raw
from scorecard.measures.journeys import _periods_cte
from scorecard.measures.sql import Dialect, run_dicts


def adopters(periods, thresholds, region_ids=None) -> dict:
    """Returns ``{(council_id, period_index): {code: raw figure}}``; households recruited by no
    partner council are keyed ``(("region", region_id), period_index)``."""
    if not periods:
        return {}
    sql = Dialect()
    periods_cte, p_params = _periods_cte(sql, periods, thresholds)
    where, params = "", []
    if region_ids is not None:
        ids = sorted(region_ids) or [0]
        where += f" AND h.region_id IN ({', '.join(['%s'] * len(ids))})"
        params += ids
    months = sql.whole_months
    dates = (
        "h.enquiry_date",
        "h.registration_date",
        "h.stage1_end_date",
        "h.stage2_start_date",
        "h.approval_date",
    )
    query = f"""
    WITH {periods_cte},
    matches AS (
      SELECT e.household_id, MIN(e.date) AS first_match
      FROM children_journeyevent e
      WHERE e.kind = 'matched' AND NOT e.entered_in_error AND e.household_id IS NOT NULL
      GROUP BY e.household_id
    ),
    h AS (
      SELECT h.recruiting_council_id AS council_id, h.region_id, h.enquiry_date,
        h.registration_date,
        h.stage1_end_date, h.stage2_start_date, h.approval_date, h.left_date, m.first_match,
        {sql.least(*dates)} AS first_date,
        {sql.greatest(*dates, "m.first_match", "h.left_date")} AS last_date,
        CASE WHEN h.left_date IS NULL AND m.first_match IS NULL THEN 1 ELSE 0 END AS open
      FROM adopters_household h LEFT JOIN matches m ON m.household_id = h.id
      WHERE 1 = 1{where}
    )
    SELECT p.idx, h.council_id, h.region_id,
      SUM(CASE WHEN h.enquiry_date BETWEEN p.p_start AND p.p_end THEN 1 ELSE 0 END) AS enquiries,
      SUM(CASE WHEN h.registration_date BETWEEN p.p_start AND p.p_end THEN 1 ELSE 0 END)
        AS registrations,
      SUM(CASE WHEN h.approval_date BETWEEN p.p_start AND p.p_end THEN 1 ELSE 0 END)
        AS approvals,
      SUM(CASE WHEN h.approval_date BETWEEN p.p_start AND p.p_end
          AND h.registration_date IS NOT NULL THEN 1 ELSE 0 END) AS a6_n,
      SUM(CASE WHEN h.approval_date BETWEEN p.p_start AND p.p_end
          AND h.registration_date IS NOT NULL
          AND {months("h.registration_date", "h.approval_date")} < 6 THEN 1 ELSE 0 END) AS a6_in,
      SUM(CASE WHEN h.approval_date BETWEEN p.p_start AND p.p_end
          AND h.registration_date IS NULL THEN 1 ELSE 0 END) AS a6_x,
      SUM(CASE WHEN h.approval_date <= p.p_end
          AND (h.first_match IS NULL OR h.first_match > p.p_end)
          AND (h.left_date IS NULL OR h.left_date > p.p_end) THEN 1 ELSE 0 END) AS a11,
      SUM(CASE WHEN h.first_match BETWEEN p.p_start AND p.p_end
          AND h.approval_date IS NOT NULL THEN 1 ELSE 0 END) AS a12_n,
      SUM(CASE WHEN h.first_match BETWEEN p.p_start AND p.p_end
          AND h.approval_date IS NOT NULL
          AND {months("h.approval_date", "h.first_match")} >= 3 THEN 1 ELSE 0 END) AS a12_in,
      SUM(CASE WHEN h.first_match BETWEEN p.p_start AND p.p_end
          AND h.approval_date IS NULL THEN 1 ELSE 0 END) AS a12_x,
      SUM(CASE WHEN h.registration_date <= p.p_end
          AND (h.approval_date IS NULL OR h.approval_date > p.p_end)
          AND (h.left_date IS NULL OR h.left_date > p.p_end) THEN 1 ELSE 0 END) AS a13,
      SUM(CASE WHEN h.stage1_end_date BETWEEN p.p_start AND p.p_end
          AND h.registration_date IS NOT NULL THEN 1 ELSE 0 END) AS s1_n,
      SUM(CASE WHEN h.stage1_end_date BETWEEN p.p_start AND p.p_end
          AND h.registration_date IS NOT NULL
          AND {months("h.registration_date", "h.stage1_end_date")} < 2 THEN 1 ELSE 0 END)
          AS s1_in,
      SUM(CASE WHEN h.approval_date BETWEEN p.p_start AND p.p_end
          AND h.stage2_start_date IS NOT NULL THEN 1 ELSE 0 END) AS s2_n,
      SUM(CASE WHEN h.approval_date BETWEEN p.p_start AND p.p_end
          AND h.stage2_start_date IS NOT NULL
          AND {months("h.stage2_start_date", "h.approval_date")} < 4 THEN 1 ELSE 0 END)
          AS s2_in
    FROM h JOIN periods p ON h.first_date <= p.p_end
      AND (h.open = 1 OR h.last_date >= p.p_start)
    GROUP BY p.idx, h.council_id, h.region_id"""
    out = {}
    for row in run_dicts(query, [*p_params, *params]):
        council = row["council_id"] or ("region", row["region_id"])
        figures = {
            "enquiries": raw(row["enquiries"]),
            "registrations": raw(row["registrations"]),
            "approvals": raw(row["approvals"]),
            "approved_6m": raw(
                0, row["a6_in"], row["a6_n"], {"fast-track, no Stage 1 start": row["a6_x"]}
            ),
            "A11": raw(row["a11"]),
            "A12": raw(0, row["a12_in"], row["a12_n"], {"no approval date": row["a12_x"]}),
            "A13": raw(row["a13"]),
            "stage1_2m": raw(0, row["s1_in"], row["s1_n"]),
            "stage2_4m": raw(0, row["s2_in"], row["s2_n"]),
        }
        if (council, row["idx"]) in out:  # a council's households in another region
            figures = {c: add(out[(council, row["idx"])][c], f) for c, f in figures.items()}
        out[(council, row["idx"])] = figures
    return out
