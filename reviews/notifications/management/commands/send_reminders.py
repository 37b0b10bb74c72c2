"""`manage.py send_reminders`: runs the reminder sweep once, here and now (no broker needed)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from reviews.notifications.reminders import reminders_sweep


class Command(BaseCommand):
    help = ("Claims today's reminders and escalations and sends every e-mail still unsent. "
            "Safe to run as often as you like: nothing is sent twice.")

    def add_arguments(self, parser):
        parser.add_argument("--today", help="Pretend it is this day (YYYY-MM-DD), to try it.")

    def handle(self, *args, today=None, **options):
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError("--today takes a date as YYYY-MM-DD.") from None
        self.stdout.write(str(reminders_sweep(today=day)))
