"""The board report render job (a thin Celery wrapper round the service)."""

from celery import shared_task


@shared_task(name="scorecard.render_board_report", time_limit=600, soft_time_limit=540)
def render_board_report(version_id: int, acting_user_id: int) -> str:
    """Render and publish a queued draft; see services.render_and_publish. Safe to run twice."""
    from scorecard.reports.services import render_and_publish

    return render_and_publish(version_id=version_id, acting_user_id=acting_user_id)
