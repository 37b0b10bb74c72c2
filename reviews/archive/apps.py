from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    """Signed sheets as archival PDFs: rendering, storage, bulk exports, verification. Depends
    on the workflow core (reviews), which never imports it: it listens to sheet_transitioned
    and adds its block to the sheet page through reviews.panels."""

    name = "reviews.archive"
    label = "archive"
    verbose_name = "Archive of signed PDFs"

    def ready(self):
        from reviews.panels import register_sheet_panel, register_version_cell
        from reviews.signals import sheet_transitioned

        from .services import on_sheet_transitioned

        # HR's signature queues the archive PDF (after commit: the signal is sent on commit).
        sheet_transitioned.connect(on_sheet_transitioned, dispatch_uid="archive_on_signature")
        register_sheet_panel("archive/partials/sheet_pdf.html")
        register_version_cell("Signed PDF", "archive/partials/version_pdf.html")
