from django.apps import AppConfig


class DemoConfig(AppConfig):
    """`manage.py demo`: a department with sheets in every state, built through the real
    services of every package (it depends on all of them; nothing depends on it)."""

    name = "reviews.demo"
    label = "demo"
    verbose_name = "Demo data"
