"""Workflow Celery tasks: thin wrappers that call a service."""

from celery import shared_task

from .closing import closing_open_due


@shared_task(name="reviews.open_due_closing_reviews")
def open_due_closing_reviews() -> str:
    """Nightly (config/celery.py's beat_schedule): opens the closing review of every signed
    sheet whose period has ended. Idempotent: a sheet with a review is left alone."""
    return f"{closing_open_due()} closing reviews opened"
