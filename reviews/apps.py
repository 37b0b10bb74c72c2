from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews and signatures"

    def ready(self):
        from .notifications import receivers  # noqa: F401  (connects the signal receivers)
