"""Run every measure family for a set of periods and councils and finalise the figures.

The families return raw, additive figures per council; a region's figures are the sum of its
councils' (plus, for adopters, the households recruited by none of them).
"""

from collections import defaultdict
from dataclasses import dataclass

from scorecard.measures import MEASURES, add, finalise, raw
from scorecard.measures.adopters import adopters
from scorecard.measures.journeys import activity, scorecard, timeline
from scorecard.measures.waiting import waiting
from scorecard.models import ScorecardThreshold
from scorecard.periods import Period, fy_of, window_ending
from scorecard.reference import SCORECARD_THRESHOLDS

CHILD_FAMILIES = (scorecard, activity, waiting, timeline)


@dataclass(frozen=True)
class ThresholdRow:
    """A threshold row as the engine reads it (model rows or shipped values)."""

    first_year: int
    a1_days: int
    a2_days: int
    a3_months: int

    def for_measure(self, code: str):
        key = MEASURES[code].threshold
        return getattr(self, key) if key else None


def threshold_rows():
    """The threshold table, oldest first: one query; shipped values if the table is empty."""
    rows = [
        ThresholdRow(t.first_year, t.a1_days, t.a2_days, t.a3_months)
        for t in ScorecardThreshold.objects.order_by("first_year")
    ]
    return rows or [ThresholdRow(*row) for row in SCORECARD_THRESHOLDS]


def threshold_for(period: Period, rows: list[ThresholdRow]) -> ThresholdRow:
    """The row for the scorecard window that ends with the period's last financial year: the
    latest row starting on or before that window (the earliest row for older windows)."""
    window_start = window_ending(fy_of(period.end)).first_year
    chosen = rows[0]
    for row in rows:
        if row.first_year <= window_start:
            chosen = row
    return chosen


def empty_figures() -> dict:
    return {code: raw() for code in MEASURES}


def compute_raw(
    periods: list[Period],
    thresholds: list[ThresholdRow],
    *,
    council_ids=None,
    region_ids=None,
    snapshot: str | None = None,
    bulk: bool = True,
    each=None,
) -> dict:
    """``{(council_id or None, period_index): {code: raw}}`` for every council asked for (all
    when ``council_ids`` is None) and, for adopters, households recruited by no partner council
    in ``region_ids`` (all when None; key ``("region", region_id)``). Adopters are counted for
    every council of ``region_ids`` whatever ``council_ids`` says. One query per family.

    With ``snapshot`` (an exported PostgreSQL snapshot, see :func:`run_in_parallel`) the
    families run two at a time on their own connections, all reading that one snapshot, with
    the :func:`session_settings` of a full (``bulk``) or one council's recompute. ``each``, if
    given, is called with each family's result as soon as it is ready (in this thread, while
    the other families are still running), so callers can start on it; the merged figures
    are then not returned (an empty dict)."""
    jobs = [(family, (periods, thresholds, council_ids), {}) for family in CHILD_FAMILIES]
    jobs.append((adopters, (periods, thresholds), {"region_ids": region_ids}))
    if snapshot:
        results = run_in_parallel(snapshot, jobs, bulk=bulk, each=each)
    else:
        results = [function(*args, **kwargs) for function, args, kwargs in jobs]
        if each:
            for family_result in results:
                each(family_result)
    if each:  # the caller has taken every family's figures already
        return {}
    out: dict = defaultdict(dict)
    for family_result in results:
        for key, figures in family_result.items():
            out[key].update(figures)
    return out


#: The heaviest families first, so two connections finish together.
_ORDER = {"waiting": 0, "scorecard": 1, "timeline": 2, "adopters": 3, "activity": 4}


def export_snapshot() -> str | None:
    """Export the current transaction's snapshot for :func:`run_in_parallel` (PostgreSQL, in
    the outermost transaction only: a nested one could hold changes others cannot see)."""
    from django.db import connection

    if connection.vendor != "postgresql" or len(connection.savepoint_ids) > 0:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        return cursor.fetchone()[0]


def session_settings(*, bulk: bool) -> list[str]:
    """``SET LOCAL`` statements for a recompute's read transaction (PostgreSQL). ``bulk`` (every
    council) gives PostgreSQL room to hash and sort everything in memory and steers it to hash
    joins, which its row estimates for the CTEs would otherwise miss. One council's reads a
    few thousand children through the covering indexes (children migration 0005), all in
    memory, where parallel workers cost more than they save on queries of milliseconds."""
    statements = ["SET LOCAL jit = off"]
    if bulk:
        statements += ["SET LOCAL work_mem = '128MB'", "SET LOCAL enable_nestloop = off"]
    else:
        statements += [
            "SET LOCAL random_page_cost = 1.1",
            "SET LOCAL max_parallel_workers_per_gather = 0",
        ]
    return statements


def run_in_parallel(
    snapshot: str, jobs: list, workers: int = 2, *, bulk: bool = True, each=None
) -> list:
    """Run ``jobs`` ((function, args, kwargs)) on ``workers`` connections of their own, each in
    a read-only transaction on ``snapshot``; results in the order of ``jobs``. ``each`` (if
    given) is called in this thread with each result as it completes."""
    import re
    from concurrent.futures import ThreadPoolExecutor, as_completed

    if not re.fullmatch(r"[0-9A-Fa-f-]+", snapshot):
        raise ValueError("not a snapshot id")

    def run(job):
        from django.db import connection, transaction

        function, args, kwargs = job
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
                for statement in session_settings(bulk=bulk):
                    cursor.execute(statement)
                return function(*args, **kwargs)
        finally:
            connection.close()

    ordered = sorted(range(len(jobs)), key=lambda i: _ORDER.get(jobs[i][0].__name__, 9))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {i: pool.submit(run, jobs[i]) for i in ordered}
        if each:
            for future in as_completed(futures.values()):
                each(future.result())
        return [futures[i].result() for i in range(len(jobs))]


def finalise_all(figures: dict, threshold: ThresholdRow) -> dict:
    return {
        code: finalise(code, figures.get(code), threshold.for_measure(code)) for code in MEASURES
    }


def add_all(a: dict, b: dict, sign: int = 1) -> dict:
    return {code: add(a.get(code), b.get(code), sign) for code in MEASURES}
