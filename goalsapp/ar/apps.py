"""The accounts-receivable ledger and the collector KPIs computed from it: an app built on
goalsapp, which never imports it."""

from django.apps import AppConfig


class ArConfig(AppConfig):
    name = "goalsapp.ar"
    label = "ar"
    verbose_name = "Accounts receivable"

    def ready(self):
        from .computing import on_ledger_loaded
        from .signals import ledger_loaded

        # Each applied load recomputes the KPIs and the bound goals' actuals.
        ledger_loaded.connect(on_ledger_loaded, dispatch_uid="ar_recompute_kpis")
