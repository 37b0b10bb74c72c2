from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Who is told that a sheet waits on them, reminders, escalations and digests, in the app
    and by e-mail. Depends on the workflow core (reviews), which never imports it: it listens
    to sheet_transitioned."""

    name = "reviews.notifications"
    label = "notifications"
    verbose_name = "Notifications and reminders"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the signal receivers)
