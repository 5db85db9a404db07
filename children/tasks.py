"""Background jobs of the children app: thin wrappers that take ids."""

from celery import shared_task

from children.ssda903.runs import import_run_execute, import_runs_sweep


@shared_task(name="children.run_ssda903_import", acks_late=True)
def run_ssda903_import(run_id: int) -> None:
    """Run an uploaded 903 import (idempotent: a run is claimed once)."""
    import_run_execute(run_id)


@shared_task(name="children.sweep_ssda903_imports")
def sweep_ssda903_imports() -> int:
    """Periodic (beat): send again the import runs whose job was lost."""
    return import_runs_sweep()
