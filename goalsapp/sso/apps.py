"""SSO is an app of its own built on goalsapp, which never imports it."""

from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "goalsapp.sso"
    label = "sso"
    verbose_name = "Single sign-on"
    default_auto_field = "django.db.models.BigAutoField"
