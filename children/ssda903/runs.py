"""Import runs from the upload page: start one (store the files, enqueue the job), and run it
in the background with progress a page can poll."""

import base64
import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connections, transaction
from django.utils import timezone

from children.models import ImportRun, ImportStatus
from children.ssda903.importer import EXIT_REFUSED, import_903
from raa.freshness import enqueue_after_commit, send_now
from raa.models import AuditAction, Council, User
from raa.services import audit_record

#: The job that runs an uploaded import (children.tasks), sent by name: tasks call services,
#: services do not import tasks.
RUN_TASK = "children.run_ssda903_import"

logger = logging.getLogger(__name__)


def _progress_key(run_id: int) -> str:
    return f"ssda903-import-progress-{run_id}"


def run_progress(run: ImportRun) -> tuple[int, str]:
    """(per cent, what it is doing) for a run: from the cache while the job's transaction is
    open, else from the run."""
    cached = cache.get(_progress_key(run.pk))
    if cached and not run.finished:
        return cached[0], cached[1]
    return run.progress, run.stage_label


@transaction.atomic
def import_run_start(
    *, council: Council, files: dict[str, bytes], dry_run: bool, strict: bool, acting_user: User
) -> ImportRun:
    """Record the run with its files and start the background job once this commits."""
    run = ImportRun.objects.create(
        council=council,
        started_by=acting_user,
        dry_run=dry_run,
        strict=strict,
        files={name: base64.b64encode(data).decode("ascii") for name, data in files.items()},
        stage_label="Waiting to start",
    )
    audit_record(
        user=acting_user,
        action=AuditAction.IMPORTED,
        object_type="importrun",
        object_id=run.pk,
        council=council,
        detail="903 files uploaded" + (" (dry run)" if dry_run else ""),
    )
    if settings.SSDA903_IMPORT_IN_THREAD:
        run_id = run.pk
        transaction.on_commit(lambda: start_in_thread(run_id), robust=True)
    else:
        enqueue_after_commit(RUN_TASK, run.pk)
    return run


def start_in_thread(run_id: int) -> threading.Thread:
    """Run the import in a thread of this process (no worker: the embedded demo), so the
    request that started it returns and the page can poll its progress. The thread uses its
    own database connection and closes it at the end. Returns the started thread."""

    def work() -> None:
        close_old_connections()
        try:
            import_run_execute(run_id)
        finally:
            connections.close_all()

    thread = threading.Thread(target=work, name=f"ssda903-import-{run_id}", daemon=True)
    thread.start()
    return thread


def import_run_execute(run_id: int) -> None:
    """Run a queued import once (a second delivery of the job finds it claimed and does
    nothing). Never raises: an unexpected error is recorded on the run."""
    claimed = ImportRun.objects.filter(pk=run_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, stage_label="Starting", started_at=timezone.now()
    )
    if not claimed:
        return
    run = ImportRun.objects.select_related("council", "started_by").get(pk=run_id)

    def progress(percent: int, label: str) -> None:
        cache.set(_progress_key(run_id), (percent, label), 3600)

    try:
        files = {name: base64.b64decode(text) for name, text in run.files.items()}
        report = import_903(
            files,
            council=run.council,
            acting_user=run.started_by,
            dry_run=run.dry_run,
            strict=run.strict,
            progress=progress,
            run_label=f"run {run.pk}",
        )
        status = ImportStatus.REFUSED if report["exit_code"] == EXIT_REFUSED else ImportStatus.DONE
    except Exception as error:  # the run must end with a report, whatever happened
        logger.exception("903 import run %s stopped: %s", run_id, type(error).__name__)
        report = {
            "summary": "An unexpected error stopped the import; nothing was imported. "
            "The technical team has the details.",
            "exit_code": EXIT_REFUSED,
            "refusals": [],
            "skipped_children": [],
            "findings": [],
            "finding_counts": {},
        }
        status = ImportStatus.FAILED
    ImportRun.objects.filter(pk=run_id).update(
        status=status,
        report=report,
        exit_code=report["exit_code"],
        progress=100,
        stage_label="Finished",
        files={},  # keep no copy of the files once they are imported
        finished_at=timezone.now(),
    )
    cache.delete(_progress_key(run_id))


#: A queued run not started after this long lost its job message (a broker outage); a running
#: run older than this lost its worker (its transaction rolled back, so nothing was written).
QUEUED_TOO_LONG = timedelta(minutes=2)
RUNNING_TOO_LONG = timedelta(minutes=20)


def import_runs_sweep() -> int:
    """Start again the runs a broker outage or a killed worker left behind (the database, not
    the broker, says what is pending). Returns how many were sent again."""
    now = timezone.now()
    ImportRun.objects.filter(
        status=ImportStatus.RUNNING, started_at__lt=now - RUNNING_TOO_LONG
    ).update(status=ImportStatus.QUEUED, stage_label="Started again after an interruption")
    stale = list(
        ImportRun.objects.filter(
            status=ImportStatus.QUEUED, created_at__lt=now - QUEUED_TOO_LONG
        ).values_list("pk", flat=True)
    )
    for run_id in stale:
        send_now(RUN_TASK, run_id)
    return len(stale)
