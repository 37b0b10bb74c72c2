from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """The workflow core: the agreement over a sheet, its pages and services. Packages built on
    it (reviews.archive, reviews.notifications, …) are apps of their own that listen to
    reviews.signals.sheet_transitioned; nothing here imports them."""

    name = "reviews"
    verbose_name = "Reviews and signatures"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .esign import stamp_authentication

        # Every sign-in stamps the session's authentication time, which signing asks about.
        user_logged_in.connect(stamp_authentication, dispatch_uid="goalpost-esign-auth-time")
