"""The accounts-receivable ledger and the collector KPIs computed from it: an app built on
goalsapp, which never imports it."""

from django.apps import AppConfig


class ArConfig(AppConfig):
    name = "goalsapp.ar"
    label = "ar"
    verbose_name = "Accounts receivable"
