from django.apps import AppConfig


class GoalsappConfig(AppConfig):
    name = "goalsapp"
    verbose_name = "Goals and people"

    def ready(self):
        from . import lookups  # noqa: F401  (registers `__in_line` for the access policy)
