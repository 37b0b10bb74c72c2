"""`manage.py open_closing_reviews`: opens the closing review of every signed sheet whose period
has ended, here and now (what Celery beat does nightly; no broker needed, e.g. from cron)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from reviews.closing import closing_open_due


class Command(BaseCommand):
    help = ("Opens the closing review of every signed sheet whose period has ended. Safe to run "
            "as often as you like: a sheet with a closing review is left alone.")

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Pretend it is this day (YYYY-MM-DD), to try it.")

    def handle(self, *args, today=None, **options):
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError("--today takes a date as YYYY-MM-DD.") from None
        opened = closing_open_due(today=day)
        self.stdout.write(f"{opened} closing review{'' if opened == 1 else 's'} opened.")
