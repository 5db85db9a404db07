"""The members of a figure: the children (or households) one figure of one period counts, and
those it leaves out, with why.

Every family lists its members from the SQL that computes its figures (the same CTE text and
the same conditions, for one council set and one period; see each family's ``*_members``), so
the list cannot drift from the figure. This module only turns a family's rows into one shape:

* ``child_id`` or ``household_id``, ``council_id``;
* ``counted``: the figure counts it (in its denominator, or in a count);
* ``in_numerator``: for a percentage, whether it is in the numerator (else None);
* ``days``: for a mean, the days it adds (else None);
* ``reason``: why the figure leaves it out (None when counted);
* the family's dates, as the family's query names them.
"""

from datetime import date

from scorecard.measures import MEAN, MEASURES, PERCENT
from scorecard.measures.adopters import adopter_members
from scorecard.measures.journeys import (
    TIMELINE,
    activity_members,
    cohort_comparison,
    scorecard_children,
    timeline_members,
)
from scorecard.measures.waiting import waiting_members
from scorecard.periods import Period

#: The timeline's milestones in words, for "no ... on file".
MILESTONES = {
    "T_perm": "permanence decision (2nd review)",
    "T_adm": "ADM decision",
    "T_po": "placement order",
    "T_match": "match",
    "T_placed": "placement",
    "T_ao": "adoption order",
}


def unit(code: str) -> str:
    """What a figure counts: "households" (A.6) or "children"."""
    return "households" if MEASURES[code].group == "adopters" else "children"


def figure_members(
    code: str, period: Period, threshold, *, council_ids, region_id: int | None = None
) -> list[dict]:
    """The members of figure ``code`` for ``period`` over ``council_ids`` (for households:
    those recruited by those councils; ``council_ids=None`` with ``region_id``: every household
    of the region, as the region's figure counts them). One query."""
    group = MEASURES[code].group
    if group == "scorecard":
        return _scorecard(code, scorecard_children(period, threshold, council_ids))
    if group == "activity":
        rows = activity_members(code, period, council_ids)
        return [_member(row, counted=True) for row in rows]
    if group == "waiting":
        rows = waiting_members(period, council_ids)
        return [_member(row, counted=True) for row in rows if row[code]]
    if group == "timeline":
        return _timeline(code, timeline_members(period, council_ids))
    if group == "adopters":
        rows = adopter_members(code, period, region_ids=[region_id], council_ids=council_ids)
        percent = MEASURES[code].kind == PERCENT
        return [
            _member(
                row,
                counted=bool(row["counted"]),
                in_numerator=bool(row["in_numerator"]) if percent else None,
                reason=row["reason"],
            )
            for row in rows
        ]
    raise ValueError(f"no members for {code}")


def _member(row: dict, *, counted: bool, in_numerator=None, days=None, reason=None) -> dict:
    return {**row, "counted": counted, "in_numerator": in_numerator, "days": days, "reason": reason}


def _scorecard(code: str, rows: list[dict]) -> list[dict]:
    reason_key = "a2_reason" if code == "A2" else "a1_reason"
    days_key = {"A1": "a1_days", "A10": "a10_days", "A2": "a2_days"}.get(code)
    return [
        _member(
            row,
            counted=row[reason_key] is None,
            in_numerator=row["a3_under"] if code == "A3" else None,
            days=row[days_key] if days_key and row[reason_key] is None else None,
            reason=row[reason_key],
        )
        for row in rows
    ]


def _timeline(code: str, rows: list[dict]) -> list[dict]:
    column = dict(TIMELINE)[code]
    return [
        _member(
            row,
            counted=row[column] is not None,
            days=row[f"{code.lower()}_days"] if row[column] is not None else None,
            reason=None if row[column] is not None else f"no {MILESTONES[code]} on file",
        )
        for row in rows
    ]


#: The cohort comparison's four figures: (kind, the date a child needs to count).
COHORT_MEASURES = {
    "placed": (MEAN, "placed_date"),
    "placed_n_months": (PERCENT, "placed_date"),
    "adm": (MEAN, "adm"),
    "po_m_months": (PERCENT, "po"),
}


def cohort_members(
    *,
    split: date,
    n_months: int,
    m_months: int,
    council_ids,
    side: str,
    measure: str,
    start: date | None = None,
    end: date | None = None,
) -> list[dict]:
    """The children behind one side (``"before"`` / ``"after"``) of one figure of A.7's cohort
    comparison, from :func:`journeys.cohort_comparison`'s own query. One query."""
    kind, needs = COHORT_MEASURES[measure]
    rows = cohort_comparison(
        split=split,
        n_months=n_months,
        m_months=m_months,
        council_ids=council_ids,
        start=start,
        end=end,
        members=True,
    )
    wanted = 0 if side == "before" else 1
    out = []
    for row in rows:
        if row["side"] != wanted:
            continue
        counted = row[needs] is not None
        days = {"placed": "placed_days", "adm": "adm_days"}.get(measure)
        flag = {"placed_n_months": "n_under", "po_m_months": "po_under"}.get(measure)
        out.append(
            _member(
                row,
                counted=counted,
                days=row[days] if days and counted else None,
                in_numerator=bool(row[flag]) if flag and counted else None,
                reason=None
                if counted
                else f"no {'ADM decision' if needs == 'adm' else 'placement order'} on file",
            )
        )
    return out
