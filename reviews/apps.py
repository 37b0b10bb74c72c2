from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews and signatures"

    def ready(self):
        from .archive.services import on_sheet_transitioned
        from .signals import sheet_transitioned

        # HR's signature queues the archive PDF (after commit: the signal is sent on commit).
        sheet_transitioned.connect(on_sheet_transitioned, dispatch_uid="archive_on_signature")

        from .notifications import receivers  # noqa: F401  (connects the signal receivers)
