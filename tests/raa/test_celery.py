"""Background tasks go through the real Redis broker to a real Celery worker."""

from celery.contrib.testing.worker import start_worker
from django.conf import settings

from raa.celery import app
from raa.tasks import ping


def test_a_task_sent_through_redis_is_run_by_a_worker():
    assert settings.CELERY_BROKER_URL.startswith("redis://")  # make test runs on real Redis
    assert not app.conf.task_always_eager
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        result = ping.delay()
        assert result.get(timeout=20) == "pong"
