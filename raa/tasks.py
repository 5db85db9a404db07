"""Organisation-level background tasks, and the one way to send a task after a change."""

import logging

from celery import shared_task
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerUnreachable

logger = logging.getLogger(__name__)


@shared_task(name="raa.ping", time_limit=30, soft_time_limit=25)
def ping() -> str:
    """Answer 'pong': lets operations (and the tests) check that a worker is consuming tasks."""
    return "pong"


def enqueue_after_commit(task, *args, **kwargs) -> None:
    """Send ``task`` once the current transaction commits, and never fail the person's save
    because the broker (Redis) is down.

    The database, not the broker, is the record of pending work (a pending marker written in the
    same transaction as the change); a periodic sweep finds whatever a broker outage stopped
    from being sent. So a refused send is logged (task name only: the arguments are ids) and
    dropped, not retried while the person waits.
    """

    def send() -> None:
        try:
            task.apply_async(args=args, kwargs=kwargs, retry=False)
        except (BrokerUnreachable, ConnectionError, OSError) as error:
            logger.warning(
                "Broker unreachable, %s not sent now (the periodic sweep will pick the work "
                "up): %s",
                task.name,
                type(error).__name__,
            )

    transaction.on_commit(send)
