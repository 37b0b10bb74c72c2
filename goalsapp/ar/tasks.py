"""The ledger's Celery tasks: thin wrappers that call a service."""

from celery import shared_task
from django.db import IntegrityError

from . import computing


# Two loads recomputed at the same moment may both insert a goal's entry for the day; the later
# fails on the unique key and is simply run again (it then updates instead).
@shared_task(name="ar.recompute_kpis", acks_late=True, autoretry_for=(IntegrityError,),
             max_retries=3, default_retry_delay=5)
def recompute_kpis(load_id: int | None = None) -> int:
    """Recomputes every open period's KPIs and its bound goals' actuals after a load."""
    return len(computing.kpis_recompute(load_id=load_id))
