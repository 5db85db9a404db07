"""Organisation-level background tasks."""

from celery import shared_task


@shared_task(name="raa.ping", time_limit=30, soft_time_limit=25)
def ping() -> str:
    """Answer 'pong': lets operations (and the tests) check that a worker is consuming tasks."""
    return "pong"
