"""The archive's Celery tasks: thin wrappers that call a service."""

from celery import shared_task

from . import exports, services


# acks_late: a worker killed mid-task leaves the message unacknowledged, so Redis hands it out
# again (CELERY_VISIBILITY_TIMEOUT); reject_on_worker_lost: a pool child that dies gives it back
# at once instead of acknowledging it as failed. Both are safe: each run claims its record first.
@shared_task(name="archive.render_archive", acks_late=True, reject_on_worker_lost=True)
def render_archive(sheet_id: int, kind: str = "goals") -> str:
    """Renders and stores a signed document's PDF (the goals, or the closing review); safe to
    run twice (see archive.services). Messages queued before closing reviews carry no kind."""
    return services.archive_create(sheet_id, kind).status


@shared_task(name="archive.run_export_job", acks_late=True, reject_on_worker_lost=True)
def run_export_job(job_id: int) -> str:
    """Writes a large bulk export's ZIP to storage, counting progress as it goes."""
    return exports.export_job_run(job_id).status
