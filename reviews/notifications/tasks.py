"""Notification and reminder Celery tasks: thin wrappers that call a service."""

from celery import shared_task

from .delivery import outbox_deliver
from .reminders import reminders_sweep


@shared_task(name="notifications.deliver_notifications")
def deliver_notifications(event_id: int | None = None) -> str:
    """Sends the e-mails of one transition's notifications (or the whole outbox)."""
    report = outbox_deliver(event_id=event_id)
    return f"{report.emails} e-mails sent, {report.failed} failed"


@shared_task(name="notifications.send_reminders")
def send_reminders() -> str:
    """The periodic sweep (config/celery.py's beat_schedule)."""
    return str(reminders_sweep())
