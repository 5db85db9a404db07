"""Tracking's scheduled jobs (beat, ``CELERY_BEAT_SCHEDULE``): thin wrappers round
:mod:`tracking.services`."""

from celery import shared_task

from tracking import services


@shared_task(name="tracking.notify_crossings", time_limit=600, soft_time_limit=540)
def notify_crossings() -> int:
    """Daily: notifications for thresholds passed (idempotent)."""
    return services.notify_crossings()


@shared_task(name="tracking.send_digests", time_limit=900, soft_time_limit=840)
def send_digests() -> int:
    """Weekly: each team manager's digest."""
    return services.send_weekly_digests()
