from django.apps import AppConfig


class GoalsappConfig(AppConfig):
    name = "goalsapp"
    verbose_name = "Goals and people"
