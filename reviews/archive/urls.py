"""URLs of the archive pages: a sheet's PDFs, bulk exports, verification."""

from django.urls import path

from . import views as archive

urlpatterns = [
    path("sheets/<int:pk>/pdf/", archive.sheet_pdf, name="sheet_pdf"),
    path("sheets/<int:pk>/pdf/preview/", archive.sheet_pdf_preview, name="sheet_pdf_preview"),
    path("sheets/<int:pk>/pdf/retry/", archive.sheet_pdf_retry, name="sheet_pdf_retry"),
    path("sheets/<int:pk>/closing/pdf/", archive.closing_pdf, name="closing_pdf"),
    path("sheets/<int:pk>/closing/pdf/retry/", archive.closing_pdf_retry,
         name="closing_pdf_retry"),
    path("archive/export/", archive.archive_export, name="archive_export"),
    path("archive/export/<int:pk>/", archive.export_job, name="export_job"),
    path("archive/export/<int:pk>/progress/", archive.export_job_progress,
         name="export_job_progress"),
    path("archive/export/<int:pk>/download/", archive.export_job_download,
         name="export_job_download"),
    path("archive/verify/", archive.archive_verify, name="archive_verify"),
]
