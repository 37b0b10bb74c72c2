"""The closing review's archive: rendered once to PDF/A-3u on HR's closing signature with its
closing content embedded, checked on "Check a PDF", in bulk exports, and the goals' archive
left exactly as it was."""

import io
import json
import zipfile

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse
from pypdf import PdfReader

from reviews.archive import exports
from reviews.archive.exports import ExportFilters
from reviews.archive.integrity import archive_checks
from reviews.archive.models import SheetArchive
from reviews.canonical import closing_content_hash
from reviews.closing_states import ClosingState
from reviews.integrity import closing_record_problems, record_corrections
from tests.archive.archive_helpers import sign_for_hr
from tests.closing_helpers import advance_closing, open_closing
from tests.page_helpers import by_testid, login

K = SheetArchive.Kind


def _close(sheet, advance, hr, capture):
    signed = sign_for_hr(sheet, advance, capture)
    goals_archive = SheetArchive.objects.get(sheet=signed, kind=K.GOALS)
    with capture(execute=True):
        review = advance_closing(open_closing(signed, hr_user=hr.user), ClosingState.HR_REVIEW,
                                 hr_user=hr.user)
    # Nothing before HR's closing signature archives the closing review.
    assert not SheetArchive.objects.filter(sheet=signed, kind=K.CLOSING).exists()
    with capture(execute=True):
        review = advance_closing(review, ClosingState.CLOSED, hr_user=hr.user)
    return signed, review, goals_archive


def test_hr_closing_signature_archives_the_review_once(
        sheet, advance, hr, django_capture_on_commit_callbacks):
    signed, review, goals_archive = _close(sheet, advance, hr,
                                           django_capture_on_commit_callbacks)
    archive = SheetArchive.objects.get(sheet=signed, kind=K.CLOSING)
    assert archive.status == SheetArchive.Status.RENDERED
    # The goals' archive is untouched.
    assert SheetArchive.objects.get(pk=goals_archive.pk).sha256 == goals_archive.sha256
    with default_storage.open(archive.file.name, "rb") as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
    data = json.loads(reader.attachments["closing-review.json"][0])
    assert data["format"] == "goalpost-closing-archive/1"
    assert data["content_hash"] == closing_content_hash(review)
    assert {s["role"] for s in data["signatures"]} == {"supervisor", "employee", "hr"}
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Closing Review" in text and review.rating.label in text
    assert all(check.verdict == "intact" for check in archive_checks())


def test_check_a_pdf_recognises_the_closing_review(
        client, sheet, advance, hr, django_capture_on_commit_callbacks):
    signed, review, _ = _close(sheet, advance, hr, django_capture_on_commit_callbacks)
    archive = SheetArchive.objects.get(sheet=signed, kind=K.CLOSING)
    with default_storage.open(archive.file.name, "rb") as stored:
        pdf = stored.read()
    login(client, hr)
    response = client.post(reverse("archive_verify"),
                           {"file": SimpleUploadedFile("closing.pdf", pdf, "application/pdf")})
    assert "matches the archived PDF of the closing review of Emma Ellis" in by_testid(
        response, "verify-result")
    detail = client.get(reverse("sheet_detail", args=[signed.pk]))
    assert archive.sha256 in by_testid(detail, "closing-archive-sha256")
    download = client.get(reverse("closing_pdf", args=[signed.pk]))
    assert b"".join(download.streaming_content) == pdf


def test_bulk_exports_hold_both_pdfs(sheet, advance, hr, admin, period,
                                     django_capture_on_commit_callbacks):
    signed, _, _ = _close(sheet, advance, hr, django_capture_on_commit_callbacks)
    job = exports.export_job_create(actor=admin, filters=ExportFilters(period_id=period.pk))
    job = exports.export_job_run(job.pk)
    with default_storage.open(job.file.name, "rb") as stored:
        names = zipfile.ZipFile(io.BytesIO(stored.read())).namelist()
    assert any(name.endswith(f"-{signed.pk}.pdf") for name in names)
    assert any(name.endswith(f"-{signed.pk}-closing-review.pdf") for name in names)


def test_verify_records_checks_closed_reviews_too(sheet, advance, hr,
                                                 django_capture_on_commit_callbacks):
    _close(sheet, advance, hr, django_capture_on_commit_callbacks)
    out = io.StringIO()
    call_command("verify_records", stdout=out)
    assert "1 closed closing review" in out.getvalue() and "0 altered records" in out.getvalue()


def test_a_correction_below_goalpost_is_said_on_the_closing_record_not_the_goals(
        postgresql_only, sheet, advance, hr, django_capture_on_commit_callbacks):
    signed, review, _ = _close(sheet, advance, hr, django_capture_on_commit_callbacks)
    with transaction.atomic(), connection.cursor() as cursor:  # a superuser, past the triggers
        cursor.execute("SELECT set_config('goalpost.correction_reason', 'typo in a quote', true)")
        cursor.execute("UPDATE reviews_goalresult SET self_assessment = 'Corrected' "
                       "WHERE review_id = %s", [review.pk])

    # The self-assessment is signed content: the three signatures no longer vouch for it, and
    # the correction itself is said with its reason.
    *signatures, sentence = closing_record_problems(review)
    assert len(signatures) == 3 and all("no longer matches the content" in s for s in signatures)
    assert sentence.startswith("Corrected outside Goalpost on ")
    assert f"({review.results.count()} rows of reviews_goalresult updated)" in sentence
    assert sentence.endswith("for this reason: “typo in a quote”.")
    assert record_corrections(signed) == []  # the goals' record is not what changed
