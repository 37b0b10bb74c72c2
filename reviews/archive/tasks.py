"""The archive's Celery tasks: thin wrappers that call a service."""

from celery import shared_task

from . import exports, services


@shared_task(name="archive.render_archive", acks_late=True)
def render_archive(sheet_id: int) -> str:
    """Renders and stores a signed sheet's PDF; safe to run twice (see archive.services)."""
    return services.archive_create(sheet_id).status


@shared_task(name="archive.run_export_job", acks_late=True)
def run_export_job(job_id: int) -> str:
    """Writes a large bulk export's ZIP to storage, counting progress as it goes."""
    return exports.export_job_run(job_id).status
