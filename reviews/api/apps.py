"""The API is a Django app of its own, built on goalsapp and the workflow core."""

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "reviews.api"
    label = "api"
    verbose_name = "API"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import schema  # noqa: F401  (registers the token's security scheme)
