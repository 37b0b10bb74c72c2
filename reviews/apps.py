from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """The workflow core: the agreement over a sheet, its pages and services. Packages built on
    it (reviews.archive, reviews.notifications, …) are apps of their own that listen to
    reviews.signals.sheet_transitioned; nothing here imports them."""

    name = "reviews"
    verbose_name = "Reviews and signatures"
