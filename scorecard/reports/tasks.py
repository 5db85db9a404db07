"""The board report render job (a thin Celery wrapper round the service)."""

from celery import shared_task

from scorecard.reports.services import render_and_publish, requeue_lost_renders


@shared_task(name="scorecard.render_board_report", time_limit=600, soft_time_limit=540)
def render_board_report(version_id: int, acting_user_id: int) -> str:
    """Render and publish a queued draft; see services.render_and_publish. Safe to run twice."""
    return render_and_publish(version_id=version_id, acting_user_id=acting_user_id)


@shared_task(name="scorecard.requeue_lost_board_reports", time_limit=60, soft_time_limit=50)
def requeue_lost_board_reports() -> int:
    """The periodic sweep: renders queued in the database that never reached a worker."""
    return len(requeue_lost_renders())
