"""Organisation-level background tasks (queue a task after a change through
:func:`raa.freshness.enqueue_after_commit`)."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="raa.ping", time_limit=30, soft_time_limit=25)
def ping() -> str:
    """Answer 'pong': lets operations (and the tests) check that a worker is consuming tasks."""
    return "pong"
