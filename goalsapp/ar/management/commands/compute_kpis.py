"""`manage.py compute_kpis`: the KPI snapshot of a period as of any day, for the collector KPI
dashboard. Loads do this by themselves (as of today); this is for another day, or after the
ledger was changed outside Goalpost. Bound goals' actuals are written by loads only."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from goalsapp.models import ReviewPeriod

from ...computing import snapshot_save
from ...kpis import as_of_for, ledger_aggregates


class Command(BaseCommand):
    help = ("Computes the collector KPIs of a period as of a day (default: every open period, "
            "as of today).")

    def add_arguments(self, parser):
        parser.add_argument("--period", type=int, help="the period's id (default: every open one)")
        parser.add_argument("--as-of", type=date.fromisoformat, help="YYYY-MM-DD (default: today)")

    def handle(self, *args, period=None, as_of=None, **options):
        today = as_of or timezone.localdate()
        periods = ReviewPeriod.objects.filter(pk=period) if period else \
            ReviewPeriod.objects.filter(is_open=True)
        if period and not periods.exists():
            raise CommandError(f"No review period has the id {period}.")
        for each in periods:
            day = as_of_for(each.starts_on, each.ends_on, today)
            if day is None:
                self.stdout.write(f"{each}: not started on {today}, nothing computed.")
                continue
            aggregates = ledger_aggregates(each.starts_on, day)
            snapshot_save(each, day, aggregates, None)
            self.stdout.write(f"{each}: {len(aggregates)} scopes computed as of {day}.")
