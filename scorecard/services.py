"""Writes of the scorecard: the recompute of stored results (what is pending is marked by
:mod:`raa.freshness`)."""

import json
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import Min, Q
from django.utils import timezone

from adopters.models import Household
from children.models import JourneyEvent
from raa.freshness import RecomputeMarker, pending_council_ids
from raa.models import Council, Region
from scorecard import periods as periods_module
from scorecard.measures import (
    MEASURES,
    accumulate,
    compact,
    finalise,
    raw,
    stored_text,
    unfinalise,
)
from scorecard.measures.compute import (
    CHILD_FAMILIES,
    add_all,
    compute_raw,
    empty_figures,
    export_snapshot,
    session_settings,
    threshold_for,
    threshold_rows,
)
from scorecard.models import ScorecardResult
from scorecard.periods import Period

ADOPTER_CODES = tuple(code for code, m in MEASURES.items() if m.group == "adopters")


# -- recompute ------------------------------------------------------------------------------------
#
# A recompute reads every figure from one consistent snapshot of the case data (a REPEATABLE READ
# transaction on PostgreSQL), then writes the results in a second, short transaction that holds
# the region's lock, so a reader never sees half of one and two councils of a region never
# interleave. The pending marker is removed only if it still holds the value read with the
# snapshot: a change committed while the figures were being computed keeps its marker and is
# picked up by the next run. Nothing is written until the end, so a worker killed mid-way leaves
# the previous results (and the marker) in place.


@dataclass
class RecomputeSummary:
    councils: int = 0
    periods: int = 0
    rows: int = 0
    seconds: float = 0.0
    skipped: bool = False  # another recompute of the same council was running

    def line(self) -> str:
        if self.skipped:
            return "Another recompute of this council is running; nothing done."
        return (
            f"Recomputed {self.councils} council(s) over {self.periods} periods: "
            f"{self.rows} stored results in {self.seconds:.2f} s."
        )


@contextmanager
def _single_flight(key: int):
    """Hold a PostgreSQL session advisory lock for ``key`` (released on exit, or by the server
    if the worker dies). Yields False if someone else holds it. No lock on SQLite, whose writes
    are serialised anyway."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, key])
        got = cursor.fetchone()[0]
    try:
        yield got
    finally:
        if got:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, key])


LOCK_NAMESPACE = 5105  # scorecard recompute
FULL_RECOMPUTE_KEY = 0


@contextmanager
def _snapshot(*, bulk: bool = False):
    """A read transaction that sees one consistent state of the case data (when it is the
    outermost transaction: inside another, that one's isolation applies), with the planner
    settings of a full (``bulk``) or one council's recompute (see ``session_settings``)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                if outermost:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                for statement in session_settings(bulk=bulk):
                    cursor.execute(statement)
        yield


def data_span(council_ids=None) -> date | None:
    """The earliest dated fact the figures could use (an event or a household date)."""
    events = JourneyEvent.objects.all()
    if council_ids is not None:
        events = events.filter(child__council_id__in=council_ids)
    first = [events.aggregate(first=Min("date"))["first"]]
    if council_ids is None:
        first.append(Household.objects.aggregate(first=Min("enquiry_date"))["first"])
    first = [d for d in first if d]
    return min(first) if first else None


def stored_period_list(today: date | None = None) -> list[Period]:
    today = today or timezone.localdate()
    return periods_module.spanning(data_span(), today)


#: The steps :func:`recompute_all` reports to its ``progress``: one per family of figures (the
#: child families and the adopters), then storing the results.
RECOMPUTE_STEPS = len(CHILD_FAMILIES) + 2


def recompute_all(
    *, today: date | None = None, progress: Callable[[str], None] | None = None
) -> RecomputeSummary:
    """Recompute every stored figure of every council and region. Returns a summary.
    ``progress`` (a command's progress bar) is called once per step of RECOMPUTE_STEPS."""
    clock = time.monotonic()
    tell = progress or (lambda label: None)
    with _single_flight(FULL_RECOMPUTE_KEY) as got:
        if not got:
            return RecomputeSummary(skipped=True)
        with _snapshot(bulk=True):
            markers = dict(RecomputeMarker.objects.values_list("council_id", "requested_at"))
            rows = threshold_rows()
            periods = stored_period_list(today)
            thresholds = [threshold_for(p, rows) for p in periods]
            councils = list(Council.objects.values_list("id", "region_id"))
            region_of = dict(councils)
            limits = [{code: t.for_measure(code) for code in MEASURES} for t in thresholds]
            region_raw: dict = defaultdict(lambda: defaultdict(dict))
            for _council, region_id in councils:  # every region gets its rows
                region_raw[region_id]
            texts: dict = defaultdict(dict)
            memo: dict = {}

            def take(family_result: dict) -> None:
                # each family's figures become stored JSON as soon as its query is done,
                # while the other families are still running in the database
                for key, figures in family_result.items():
                    if isinstance(key[0], tuple):  # households recruited by no partner council
                        accumulate(region_raw[key[0][1]][key[1]], figures)
                        continue
                    council_id, i = key
                    region_id = region_of.get(council_id)
                    if region_id is None or i >= len(periods):
                        continue
                    # an empty figure reads the same as a missing one: skip it
                    figures = {
                        code: figure
                        for code, figure in figures.items()
                        if figure["sum"]
                        or figure["numerator"]
                        or figure["denominator"]
                        or figure["excluded"]
                    }
                    accumulate(region_raw[region_id][i], figures)
                    into, limit = texts[key], limits[i]
                    for code, figure in figures.items():
                        into[code] = _text(code, figure, limit[code], memo)
                tell("Computing the figures")

            compute_raw(periods, thresholds, snapshot=export_snapshot(), each=take)
        now = timezone.now()
        written = 0

        def results():
            # made as COPY takes them: PostgreSQL stores each batch while the next is made
            nonlocal written
            empty: dict = {}
            for council_id, region_id in councils:
                for i, period in enumerate(periods):
                    parts = texts.get((council_id, i), empty)
                    measures = _measures_text(parts, limits[i], memo)
                    written += 1
                    yield _stored_row(region_id, council_id, period, measures, now)
            for region_id, by_period in region_raw.items():
                for i, period in enumerate(periods):
                    figures = by_period.get(i) or {}
                    written += 1
                    yield _row(region_id, None, period, figures, thresholds[i], now, memo)

        tell("Storing the results")
        with transaction.atomic():
            _quick_commit()
            list(Region.objects.select_for_update().order_by("pk").values_list("pk"))
            ScorecardResult.objects.all().delete()
            _insert(results())
            _clear_markers(markers)
        _vacuum_results()
    return RecomputeSummary(
        councils=len(councils),
        periods=len(periods),
        rows=written,
        seconds=time.monotonic() - clock,
    )


def _vacuum_results() -> None:
    """Reclaim the rows a full recompute replaced (PostgreSQL, outside any transaction): every
    run replaces them all, and where autovacuum is off or behind, the dead rows would pile up
    and slow every later recompute and read."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM {ScorecardResult._meta.db_table}")


def _quick_commit() -> None:
    """Let this (write) transaction commit without waiting for its WAL to reach the disk: stored
    results are derived data, and a crash just after commit loses at most this recompute, which
    the pending markers (cleared in the same transaction) or the nightly run redo."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def _stored_measures(figures: dict, threshold, codes=MEASURES) -> dict:
    """The stored form of raw ``figures`` for ``codes`` (a missing figure is an empty one)."""
    return {
        code: compact(code, finalise(code, figures.get(code), threshold.for_measure(code)))
        for code in codes
    }


def _result(region_id, council_id, period: Period, figures: dict, threshold, now):
    return ScorecardResult(
        region_id=region_id,
        council_id=council_id,
        kind=period.kind,
        label=period.label,
        start=period.start,
        end=period.end,
        measures=_stored_measures(figures, threshold),
        computed_at=now,
    )


_CODE_JSON = {code: json.dumps(code) for code in MEASURES}


def _text(code: str, figure, limit, memo: dict) -> str:
    """One measure of a stored result as JSON text, made once per distinct raw figure and
    threshold (``memo``; most quarters of most councils repeat a handful of small counts),
    which spares finalising and encoding half a million figures."""
    if figure is None:
        key = (code, limit)
    else:
        excluded = figure["excluded"]
        key = (
            code,
            limit,
            figure["sum"],
            figure["numerator"],
            figure["denominator"],
            tuple(excluded.items()) if excluded else (),
        )
    text = memo.get(key)
    if text is None:
        text = memo[key] = f"{_CODE_JSON[code]}:" + stored_text(code, figure, limit)
    return text


def _measures_text(parts: dict, limits: dict, memo: dict) -> str:
    """A stored result's measures as JSON text from each measure's :func:`_text` (a measure
    missing from ``parts`` has no figure)."""
    return (
        "{"
        + ",".join(parts.get(code) or _text(code, None, limits[code], memo) for code in MEASURES)
        + "}"
    )


def _stored_row(region_id, council_id, period: Period, measures: str, now) -> tuple:
    return (
        region_id,
        council_id,
        period.kind,
        period.label,
        period.start,
        period.end,
        measures,
        now,
    )


def _row(region_id, council_id, period: Period, figures: dict, threshold, now, memo: dict):
    """A stored result of a full recompute as the row :func:`_insert` writes, its measures as
    JSON text: the same figures :func:`_result` stores (see :func:`_text`)."""
    limits = {code: threshold.for_measure(code) for code in MEASURES}
    parts = {code: _text(code, figures.get(code), limits[code], memo) for code in MEASURES}
    return _stored_row(region_id, council_id, period, _measures_text(parts, limits, memo), now)


def _insert(rows) -> None:
    """Insert stored results (an iterable of rows of :func:`_row`): PostgreSQL's COPY (several
    times faster than INSERTs for the ~15,000 rows of a national recompute), bulk INSERTs
    elsewhere."""
    if connection.vendor != "postgresql":
        ScorecardResult.objects.bulk_create(
            [
                ScorecardResult(
                    region_id=region_id,
                    council_id=council_id,
                    kind=kind,
                    label=label,
                    start=start,
                    end=end,
                    measures=json.loads(measures),
                    computed_at=computed_at,
                )
                for region_id, council_id, kind, label, start, end, measures, computed_at in rows
            ],
            batch_size=2000,
        )
        return
    table = ScorecardResult._meta.db_table
    columns = 'region_id, council_id, kind, label, start, "end", measures, computed_at'
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _clear_markers(markers: dict) -> None:
    """Remove each marker that still holds the value read with the snapshot."""
    for council_id, requested_at in markers.items():
        RecomputeMarker.objects.filter(council_id=council_id, requested_at=requested_at).delete()


def recompute_council(council_id: int, *, today: date | None = None) -> RecomputeSummary:
    """Recompute one council's stored figures and its region's, from one snapshot. The region's
    children's figures move by the council's change (old council figures out, new in: exact,
    because raw figures add up); its adopter figures are recounted for the region. Falls back
    to :func:`recompute_all` when the council's data reaches outside the stored periods."""
    clock = time.monotonic()
    council = Council.objects.get(pk=council_id)
    with _single_flight(council_id) as got:
        if not got:
            return RecomputeSummary(skipped=True)
        stored = list(
            ScorecardResult.objects.filter(region_id=council.region_id, council=None)
            .order_by("start", "end", "kind")
            .values_list("kind", "label", "start", "end")
        )
        periods = _ordered([Period(s, e, k, label) for k, label, s, e in stored])
        today = today or timezone.localdate()
        first = data_span([council_id])
        if (
            not periods
            or periods_module.fy_of(today) > periods_module.fy_of(max(p.end for p in periods))
            or (first and first < min(p.start for p in periods))
        ):
            return recompute_all(today=today)
        with _snapshot():
            markers = dict(
                RecomputeMarker.objects.filter(council_id=council_id).values_list(
                    "council_id", "requested_at"
                )
            )
            rows = threshold_rows()
            thresholds = [threshold_for(p, rows) for p in periods]
            raws = compute_raw(
                periods,
                thresholds,
                council_ids=[council_id],
                region_ids=[council.region_id],
                snapshot=export_snapshot(),
                bulk=False,
            )
        now = timezone.now()
        households: dict = defaultdict(dict)  # the region's adopter figures, period by period
        for (_council, i), figures in raws.items():
            accumulate(households[i], _only(figures, ADOPTER_CODES))
        with transaction.atomic():
            _quick_commit()
            Region.objects.select_for_update().get(pk=council.region_id)
            old = {
                (r.kind, r.start, r.end): r
                for r in ScorecardResult.objects.filter(council_id=council_id)
            }
            region_rows = {
                (r.kind, r.start, r.end): r
                for r in ScorecardResult.objects.filter(region_id=council.region_id, council=None)
            }
            # Only the figures that moved are rewritten (a change to one child moves a few
            # periods); every row of the council and the region is stamped with this recompute.
            new_rows, changed, changed_region = [], [], []
            for i, period in enumerate(periods):
                key = (period.kind, period.start, period.end)
                figures = raws.get((council_id, i)) or empty_figures()
                measures = _stored_measures(figures, thresholds[i])
                before = old.get(key)
                region = region_rows[key]
                region_households = _stored_measures(households[i], thresholds[i], ADOPTER_CODES)
                if before is not None and before.measures == measures:
                    if all(region.measures.get(c) == v for c, v in region_households.items()):
                        continue
                    region.measures.update(region_households)
                    changed_region.append(region)
                    continue
                region_figures = {
                    code: unfinalise(code, region.measures.get(code)) for code in MEASURES
                }
                council_before = {
                    code: unfinalise(code, before.measures.get(code) if before else None)
                    for code in MEASURES
                }
                if before is None:
                    new_rows.append(
                        _result(council.region_id, council_id, period, figures, thresholds[i], now)
                    )
                else:
                    before.measures = measures
                    changed.append(before)
                moved = add_all(add_all(region_figures, council_before, -1), figures)
                moved.update({code: households[i].get(code) or raw() for code in ADOPTER_CODES})
                region.measures = _stored_measures(moved, thresholds[i])
                changed_region.append(region)
            ScorecardResult.objects.bulk_create(new_rows, batch_size=2000)
            _rewrite_measures(changed + changed_region)
            ScorecardResult.objects.filter(
                Q(council_id=council_id) | Q(region_id=council.region_id, council=None)
            ).update(computed_at=now)
            _clear_markers(markers)
    return RecomputeSummary(
        councils=1,
        periods=len(periods),
        rows=len(new_rows) + len(changed) + len(changed_region),
        seconds=time.monotonic() - clock,
    )


def _rewrite_measures(rows: list[ScorecardResult]) -> None:
    """Store the new ``measures`` of these result rows in one statement (Django's bulk_update
    builds a CASE expression per row, several times slower for a region's worth of rows)."""
    if not rows:
        return
    table = ScorecardResult._meta.db_table
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    values = ", ".join(["(%s, %s)"] * len(rows))
    # only the model's table name and placeholders are interpolated; the values are parameters
    query = (
        f"UPDATE {table} SET measures = v.m{cast} FROM (SELECT column1 AS id, column2 AS m "  # noqa: S608
        f"FROM (VALUES {values}) AS listed) AS v WHERE {table}.id = v.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            query,
            [x for row in rows for x in (row.pk, json.dumps(row.measures))],
        )


def _only(figures: dict, codes) -> dict:
    return {code: figures[code] for code in codes if code in figures}


def _ordered(periods: list[Period]) -> list[Period]:
    order = {periods_module.WINDOW: 0, periods_module.YEAR: 1, periods_module.QUARTER: 2}
    return sorted(periods, key=lambda p: (order.get(p.kind, 3), p.start, p.end))


def recompute_pending() -> list[RecomputeSummary]:
    """Recompute every council with a pending marker (the sweep, run synchronously)."""
    return [recompute_council(council_id) for council_id in pending_council_ids()]
