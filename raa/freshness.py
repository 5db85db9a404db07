"""Whether the stored figures are up to date, and the one way to queue a job after a change.

Every change to case data marks its council pending (:func:`mark_council_pending`) inside the
transaction that makes the change, so the database, not the message broker, is the record of
what still has to be recomputed. Once the change commits, the council's recompute is queued
through :func:`enqueue_after_commit`, the one helper every job sent after a commit goes
through: it never fails the person's save because the broker (Redis) is down, and a periodic
sweep (``scorecard.sweep``, every 30 seconds from beat) queues whatever an outage stopped.

This module sits in ``raa`` so that casework can mark a change without importing the
scorecard: the recompute task is named, not imported (it is registered by ``scorecard.tasks``).
"""

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from celery import current_app
from django.db import connection, models, transaction
from django.utils import timezone

from raa.models import Council

logger = logging.getLogger(__name__)

#: The scorecard's task that recomputes one council (``scorecard.tasks``).
RECOMPUTE_TASK = "scorecard.recompute_council"
#: The forecast's task that refits one region's model (``forecast.tasks``), sent by name after
#: a bulk import (casework never imports the forecast).
FORECAST_TASK = "forecast.fit_models"


class RecomputeMarker(models.Model):
    """A council whose stored figures are out of date.

    Written in the same transaction as the change to case data that made them stale, so the
    database, not the message broker, is the record of what still has to be recomputed.
    """

    council = models.OneToOneField(
        Council, on_delete=models.CASCADE, related_name="recompute_marker"
    )
    requested_at = models.DateTimeField()

    class Meta:
        app_label = "raa"
        db_table = "scorecard_recomputemarker"  # the table kept its name when the model moved

    def __str__(self) -> str:
        return f"{self.council} pending since {self.requested_at:%d/%m/%Y %H:%M}"


# -- sending a task -------------------------------------------------------------------------------


def registered(name: str):
    """The task registered under ``name``. Outside a worker the apps' task modules are loaded
    on first need (the worker loads them at start)."""
    if name not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[name]


def send_now(task, *args, **kwargs):
    """Send ``task`` (a task or its registered name) to the broker now, tried once and never
    raising: a save must not wait on a broker that is down. Without a broker (the embedded
    demo, tasks run in process) it runs here. Returns the task's result handle, or None if
    the broker could not be reached."""
    if isinstance(task, str):
        task = registered(task)
    app = task.app
    if app.conf.task_always_eager:  # no broker (the embedded demo): run it here and now
        return task.apply(args=args, kwargs=kwargs)
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
            return task.apply_async(args=args, kwargs=kwargs, connection=conn, retry=False)
    except Exception as error:  # the broker is unreachable: the database keeps the work
        logger.warning(
            "Broker unreachable, %s not sent now (the periodic sweep will pick the work up): %s",
            task.name,
            type(error).__name__,
        )
        return None


_sent = threading.local()


def _transaction_token():
    """Something that names the current transaction (PostgreSQL's transaction id), or None
    where the database has none to offer (SQLite: then nothing is de-duplicated)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT txid_current()")
        return cursor.fetchone()[0]


def enqueue_after_commit(task, *args, key=None, **kwargs) -> None:
    """Send ``task`` (a task or its registered name) with these arguments once the current
    transaction commits (nothing if it rolls back), through :func:`send_now`: a broker outage
    is logged (the task's name only: arguments are ids) and never fails the save.

    ``key``: one send per key per transaction, however many times the transaction asks (a
    burst of changes to one council queues one recompute)."""
    if key is not None and transaction.get_connection().in_atomic_block:
        token = _transaction_token()
        if token is not None:
            state = getattr(_sent, "state", None)
            if state is None or state[0] != token:
                state = (token, set())
                _sent.state = state
            if key in state[1]:
                return
            state[1].add(key)

    def send() -> None:
        send_now(task, *args, **kwargs)

    send.queued_key = key
    transaction.on_commit(send, robust=True)


# -- marking councils pending ---------------------------------------------------------------------


def mark_council_pending(council_id: int, *, queue: bool = True) -> None:
    """Record that a council's stored figures are out of date.

    Call it inside the transaction that changed the council's case data: the marker commits or
    rolls back with the change. One row per council (an upsert), so a burst of changes leaves
    one marker, holding the time of the latest change. ``queue=False`` leaves the recompute to
    the caller (a bulk load that recomputes everything once at the end) or to the sweep.
    """
    assert transaction.get_connection().in_atomic_block, "mark pending inside the change"
    RecomputeMarker.objects.bulk_create(
        [RecomputeMarker(council_id=council_id, requested_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["council"],
        update_fields=["requested_at"],
    )
    if not queue:
        return
    collecting = getattr(_collected, "councils", None)
    if collecting is not None:
        collecting.add(council_id)
        return
    enqueue_after_commit(RECOMPUTE_TASK, council_id, key=("recompute", council_id))


_collected = threading.local()


@contextmanager
def one_recompute_per_council() -> Iterator[set[int]]:
    """Inside the block, changes mark their councils pending (in their own transactions, as
    always) but queue no recompute; at the end of the block each council marked is queued once
    (after the surrounding transaction commits, if there is one). For a burst of changes made
    in many transactions (a batch from a council's case system): one recompute, not one per
    change. The markers make sure nothing is lost if the block ends in an error: the sweep
    queues what is left. Yields the set of council ids collected so far."""
    outer = getattr(_collected, "councils", None)
    if outer is not None:  # already collecting: the outer block queues
        yield outer
        return
    _collected.councils = councils = set()
    try:
        yield councils
    finally:
        _collected.councils = None
        for council_id in sorted(councils):
            enqueue_after_commit(RECOMPUTE_TASK, council_id, key=("recompute", council_id))


def mark_councils_pending(council_ids, *, queue: bool = True) -> None:
    """:func:`mark_council_pending` for several councils at once."""
    for council_id in sorted(set(council_ids)):
        mark_council_pending(council_id, queue=queue)


def pending_council_ids() -> list[int]:
    """Councils whose stored figures are out of date, oldest request first."""
    return list(
        RecomputeMarker.objects.order_by("requested_at").values_list("council_id", flat=True)
    )
