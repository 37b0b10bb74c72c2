"""The people sync is an app built on goalsapp, which never imports it."""

from django.apps import AppConfig


class PeopleSyncConfig(AppConfig):
    name = "goalsapp.people_sync"
    label = "people_sync"
    verbose_name = "People sync"
