"""A Celery app for the fault tests: the project's app plus one test job, run by a real worker
(`celery -A tests.hardening.fault_tasks worker`).

``write_batch`` is shaped like the project's background work should be: it takes ids, claims its
work under a lock, is idempotent, and writes all its results in one transaction, slowly enough to
be interrupted. Its results are AuditEvent rows with object_type "fault-batch" (no personal data).
"""

import os
import time
from pathlib import Path

from django.db import InterfaceError, OperationalError, connection, transaction

from raa.celery import app

# Recover an abandoned message within seconds instead of the hour production uses, so a worker
# killed outright has its job redelivered to the next worker while the test waits.
app.conf.broker_transport_options = {
    "visibility_timeout": 4,
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
app.conf.worker_hijack_root_logger = False

BATCH = "fault-batch"


@app.task(
    bind=True,
    name="fault.write_batch",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=False,
    default_retry_delay=1,
    max_retries=10,
)
def write_batch(self, batch: str, rows: int, pause: float, pidfile: str) -> str:
    from raa.models import AuditAction, AuditEvent, User

    Path(pidfile).write_text(str(os.getpid()))
    with transaction.atomic():
        with connection.cursor() as cursor:  # one run at a time per batch
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [batch])
        if AuditEvent.objects.filter(object_type=BATCH, object_id=batch).exists():
            return "already done"
        user = User.objects.order_by("id").first()
        for i in range(rows):
            AuditEvent.objects.create(
                user=user,
                action=AuditAction.CREATED,
                object_type=BATCH,
                object_id=batch,
                detail=f"row {i + 1} of {rows}",
            )
            time.sleep(pause)
    return "done"
