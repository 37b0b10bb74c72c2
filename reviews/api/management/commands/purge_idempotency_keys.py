"""`manage.py purge_idempotency_keys`: forgets expired Idempotency-Keys now (beat: hourly)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from reviews.api.idempotency import idempotency_records_purge


class Command(BaseCommand):
    help = ("Deletes the API's Idempotency-Key records older than API_IDEMPOTENCY_HOURS "
            f"(now {settings.API_IDEMPOTENCY_HOURS}); a retry with such a key runs again.")

    def handle(self, *args, **options):
        self.stdout.write(f"{idempotency_records_purge()} Idempotency-Key records purged "
                          f"(older than {settings.API_IDEMPOTENCY_HOURS} hours).")
