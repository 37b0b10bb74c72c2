"""The API's Celery tasks: thin wrappers that call a service."""

from celery import shared_task

from .idempotency import idempotency_records_purge


@shared_task(name="api.purge_idempotency_keys")
def purge_idempotency_keys() -> str:
    """Hourly (config/celery.py's beat_schedule): forgets expired Idempotency-Keys."""
    return f"{idempotency_records_purge()} Idempotency-Key records purged"
