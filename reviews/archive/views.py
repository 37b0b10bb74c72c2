"""The archive's pages: a sheet's DRAFT preview and signed PDF, the admin's retry, the bulk
export (streamed or as a job with a progress bar) and the verification of an uploaded PDF."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from goalsapp.access import get_sheet_for_user, may_export_archives, may_verify_archives
from goalsapp.uploads import limit_upload
from goalsapp.views.common import forbidden
from reviews.integrity import closing_record_problems, signed_record_problems
from reviews.workflow import ActionForbidden, WorkflowError

from . import exports, services
from .forms import ExportForm, VerifyForm, default_export_period
from .models import ExportJob, SheetArchive
from .pdf import render_sheet_pdf

NOT_AN_ADMIN = "Bulk exports of signed PDFs are for administrators."
NOT_HR = "Checking a PDF against the archive is for Human Resources and administrators."


def _pdf_name(sheet, suffix: str = "") -> str:
    return f"{slugify(f'{sheet.employee_name} {sheet.period.name}') or 'goal-sheet'}{suffix}.pdf"


# One sheet's PDFs -------------------------------------------------------------------------------

@login_required
def sheet_pdf_preview(request, pk):
    """Rendered on each request, stamped DRAFT on every page, never stored."""
    sheet = get_sheet_for_user(request.user, pk)
    response = HttpResponse(render_sheet_pdf(sheet, draft=True), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_pdf_name(sheet, "-draft")}"'
    response["Cache-Control"] = "no-store"
    return response


def _stored_pdf(request, pk, kind):
    """The archived file as it was stored: streamed from storage, never rendered again."""
    sheet = get_sheet_for_user(request.user, pk)
    archive = services.archive_of(sheet, kind)
    if archive is None or not archive.is_stored:
        if kind == SheetArchive.Kind.CLOSING:
            messages.info(request, "The closing review has no archived PDF yet: it is archived "
                                   "once HR signs it.")
        else:
            messages.info(request, "The signed PDF of this sheet is not archived yet."
                          if sheet.is_signed else "Only a signed sheet has an archived PDF.")
        return redirect("sheet_detail", pk=sheet.pk)
    suffix = "-closing-review" if kind == SheetArchive.Kind.CLOSING else ""
    return FileResponse(default_storage.open(archive.file.name, "rb"), as_attachment=True,
                        filename=_pdf_name(sheet, suffix), content_type="application/pdf")


@login_required
def sheet_pdf(request, pk):
    return _stored_pdf(request, pk, SheetArchive.Kind.GOALS)


@login_required
def closing_pdf(request, pk):
    return _stored_pdf(request, pk, SheetArchive.Kind.CLOSING)


@login_required
@require_POST
def sheet_pdf_retry(request, pk):
    return _retry(request, pk, SheetArchive.Kind.GOALS)


@login_required
@require_POST
def closing_pdf_retry(request, pk):
    return _retry(request, pk, SheetArchive.Kind.CLOSING)


def _retry(request, pk, kind):
    sheet = get_sheet_for_user(request.user, pk)
    archive = services.archive_of(sheet, kind)
    if archive is None:
        raise Http404("This document has no archive record.")
    try:
        archive = services.archive_retry(archive_id=archive.pk, actor=request.user)
    except ActionForbidden as error:
        return forbidden(request, str(error))
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        archive.refresh_from_db()
        if archive.is_stored:
            messages.success(request, "The signed PDF was rendered and archived.")
        else:
            messages.info(request, "The rendering was queued again; this page shows its state.")
    return redirect("sheet_detail", pk=sheet.pk)


# Bulk export ------------------------------------------------------------------------------------

@login_required
def archive_export(request):
    if not may_export_archives(request.user):
        return forbidden(request, NOT_AN_ADMIN)
    data = request.POST if request.method == "POST" else (request.GET or None)
    if data is None and (period := default_export_period()):
        data = {"period": period.pk}  # the first visit shows what the open period holds
    form = ExportForm(data, user=request.user)
    summary = None
    if form.is_valid():
        filters = form.filters()
        summary = exports.export_summary(request.user, filters)
        if request.method == "POST":
            if summary.archived <= exports.stream_limit():
                archives = exports.archives_for(request.user, filters)
                response = StreamingHttpResponse(exports.stream_zip(archives),
                                                 content_type="application/zip")
                response["Content-Disposition"] = (
                    f'attachment; filename="{filters.zip_name()}"')
                return response
            job = exports.export_job_create(actor=request.user, filters=filters)
            return redirect("export_job", pk=job.pk)
    return render(request, "archive/export.html", {
        "form": form, "summary": summary, "limit": exports.stream_limit(),
        "jobs": exports.jobs_visible_to(request.user).filter(created_by=request.user)[:10],
    })


def _job_for(request, pk) -> ExportJob:
    job = exports.jobs_visible_to(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404("No such export.")
    return job


@login_required
def export_job(request, pk):
    return render(request, "archive/export_job.html", {"job": _job_for(request, pk)})


@login_required
def export_job_progress(request, pk):
    """The progress bar alone, polled by htmx until the job has finished."""
    return render(request, "archive/partials/export_progress.html",
                  {"job": _job_for(request, pk)})


@login_required
def export_job_download(request, pk):
    job = _job_for(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        messages.info(request, "This export is not ready yet.")
        return redirect("export_job", pk=job.pk)
    return FileResponse(default_storage.open(job.file.name, "rb"), as_attachment=True,
                        filename=job.file.name.rsplit("/", 1)[-1].split("-", 1)[-1],
                        content_type="application/zip")


# Verification -----------------------------------------------------------------------------------

def record_problems(archive: SheetArchive) -> list[str]:
    if archive.kind == SheetArchive.Kind.CLOSING:
        return closing_record_problems(archive.sheet.closing)
    return signed_record_problems(archive.sheet)


@login_required
@limit_upload(lambda: settings.ARCHIVE_VERIFY_MAX_BYTES)
def archive_verify(request):
    if not may_verify_archives(request.user):
        return forbidden(request, NOT_HR)
    posted = request.method == "POST"
    form = VerifyForm(request.POST if posted else None, request.FILES if posted else None)
    result = None
    if posted and form.is_valid():
        digest = hashlib.sha256()
        for chunk in form.cleaned_data["file"].chunks():
            digest.update(chunk)
        archive = services.archive_matching(request.user, digest.hexdigest())
        result = {"sha256": digest.hexdigest(), "archive": archive,
                  "name": form.cleaned_data["file"].name,
                  "signed_at": services.hr_signed_at(archive) if archive else None,
                  # The file matches, but the record it was made from may have been altered.
                  "problems": record_problems(archive) if archive else []}
        form = VerifyForm()
    return render(request, "archive/verify.html", {"form": form, "result": result})

