"""Celery tasks: thin wrappers that call a service (archive PDFs, exports, notifications,
reminders)."""

from celery import shared_task

from .archive import exports, services
from .notifications.delivery import outbox_deliver
from .reminders import reminders_sweep


@shared_task(name="reviews.render_archive", acks_late=True)
def render_archive(sheet_id: int) -> str:
    """Renders and stores a signed sheet's PDF; safe to run twice (see archive.services)."""
    return services.archive_create(sheet_id).status


@shared_task(name="reviews.run_export_job", acks_late=True)
def run_export_job(job_id: int) -> str:
    """Writes a large bulk export's ZIP to storage, counting progress as it goes."""
    return exports.export_job_run(job_id).status


@shared_task
def deliver_notifications(event_id: int | None = None) -> str:
    """Sends the e-mails of one transition's notifications (or the whole outbox)."""
    report = outbox_deliver(event_id=event_id)
    return f"{report.emails} e-mails sent, {report.failed} failed"


@shared_task
def send_reminders() -> str:
    """The periodic sweep (config/celery.py's beat_schedule)."""
    return str(reminders_sweep())
