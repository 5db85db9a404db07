"""Background recompute jobs: thin wrappers round scorecard.services.

The database is the record of what is pending (:class:`RecomputeMarker`), not the broker: a
change writes its marker in its own transaction and, after commit, queues
:func:`recompute_council_task`. Many changes in a burst become one recompute per council: the
task is single-flight per council (a PostgreSQL advisory lock), runs again while a marker is
left, and does nothing if the marker is already gone. :func:`sweep` (every 30 seconds, from beat)
queues any council whose marker a broker outage or a killed worker left behind;
:func:`recompute_all_task` runs nightly. Tasks take ids and are idempotent.
"""

import logging

from celery import shared_task
from django.db import OperationalError

from raa.freshness import RecomputeMarker, pending_council_ids, send_now
from scorecard import services

log = logging.getLogger(__name__)

#: Passes one task makes while changes keep arriving, before leaving the rest to the sweep.
MAX_PASSES = 5


@shared_task(
    name="scorecard.recompute_council",
    bind=True,
    time_limit=300,
    soft_time_limit=280,
    autoretry_for=(OperationalError,),
    retry_backoff=2,
    max_retries=5,
)
def recompute_council_task(self, council_id: int, force: bool = False) -> str:
    """Recompute one council (and its region) if it has a pending marker (or ``force``)."""
    passes = 0
    for _ in range(MAX_PASSES):
        if not force and not RecomputeMarker.objects.filter(council_id=council_id).exists():
            break
        summary = services.recompute_council(council_id)
        if summary.skipped:
            # Another worker is on this council; look again shortly in case our change came
            # after its last look.
            raise self.retry(countdown=2, max_retries=10, exc=None)
        force = False
        passes += 1
    return "done" if passes else "up to date"


@shared_task(name="scorecard.recompute_all", time_limit=1800, soft_time_limit=1780)
def recompute_all_task() -> str:
    """The nightly full recompute (and the administrator's "recompute everything")."""
    return services.recompute_all().line()


@shared_task(name="scorecard.sweep", time_limit=60, soft_time_limit=55)
def sweep() -> int:
    """Queue a recompute for every council with a pending marker. Returns how many."""
    council_ids = pending_council_ids()
    for council_id in council_ids:
        send_now(recompute_council_task, council_id)
    return len(council_ids)
