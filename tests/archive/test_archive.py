"""Archiving on HR's signature: once, after commit, safe to retry, failures visible to admins and
retryable; the sheet page offers the signed file and a DRAFT preview."""

import pytest
from django.contrib.admin.sites import site as admin_site
from django.core.files.storage import default_storage
from django.urls import reverse

from goalsapp.models import SheetState
from reviews.archive import services as archive_services
from reviews.archive.models import SheetArchive
from reviews.archive.tasks import render_archive
from reviews.workflow import ActionForbidden, WorkflowError
from tests.archive import archive_helpers
from tests.archive.archive_helpers import (
    archive_of,
    page_texts,
    sha256,
    sheet_with_history,
    sign_for_hr,
    stored_bytes,
)
from tests.page_helpers import alerts, by_testid, fresh, login

pytestmark = pytest.mark.django_db

signed_sheet = archive_helpers.signed_sheet
A = SheetArchive.Status


def stored_files() -> list[str]:
    found = []

    def walk(folder):
        folders, files = default_storage.listdir(folder)
        found.extend(f"{folder}/{name}".lstrip("/") for name in files)
        for sub in folders:
            walk(f"{folder}/{sub}".lstrip("/"))

    try:
        walk("")
    except FileNotFoundError:
        return []
    return found


@pytest.fixture
def broken_renderer(monkeypatch):
    def fail(sheet, *, draft=False):
        raise RuntimeError("Pango fell over")

    monkeypatch.setattr(archive_services, "render_sheet_pdf", fail)


# Once, on HR's signature ------------------------------------------------------------------------

def test_hr_signature_archives_the_pdf_once_with_its_hash_and_size(signed_sheet):
    archive = archive_of(signed_sheet)
    data = stored_bytes(archive)

    assert archive.status == A.RENDERED
    assert archive.sha256 == sha256(data)
    assert archive.size == len(data)
    assert data.startswith(b"%PDF-")
    assert archive.attempts == 1
    assert stored_files() == [archive.file.name]


def test_no_archive_before_the_commit_or_before_hr_signs(sheet, advance, hr):
    advance(sheet, SheetState.SIGNED)  # in the test's transaction: nothing has committed

    assert not SheetArchive.objects.exists()


def test_other_transitions_archive_nothing(sheet, advance, hr, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        advance(sheet, SheetState.HR_REVIEW)

    assert not SheetArchive.objects.exists()


def test_running_the_task_twice_leaves_one_archive_and_never_renders_again(signed_sheet,
                                                                          monkeypatch):
    first = archive_of(signed_sheet)
    before = stored_bytes(first)
    monkeypatch.setattr(archive_services, "render_sheet_pdf",
                        lambda sheet, draft=False: pytest.fail("rendered a second time"))

    render_archive(signed_sheet.pk)
    render_archive.delay(signed_sheet.pk)

    assert SheetArchive.objects.filter(sheet=signed_sheet).count() == 1
    again = archive_of(signed_sheet)
    assert (again.file.name, again.sha256, again.attempts) == (first.file.name, first.sha256, 1)
    assert stored_bytes(again) == before
    assert stored_files() == [first.file.name]


def test_a_claimed_archive_is_not_rendered_by_a_second_run(sheet, advance, hr, monkeypatch):
    """Two deliveries at once: the second finds the row claimed and leaves it alone."""
    advance(sheet, SheetState.SIGNED)
    archive = archive_services.archive_get_or_create(sheet.pk)
    assert archive_services._claim(archive.pk)
    monkeypatch.setattr(archive_services, "render_sheet_pdf",
                        lambda sheet, draft=False: pytest.fail("rendered while claimed"))

    result = archive_services.archive_create(sheet.pk)

    assert result.status == A.RENDERING
    assert SheetArchive.objects.count() == 1


def test_only_a_signed_sheet_is_archived(sheet):
    with pytest.raises(WorkflowError):
        archive_services.archive_create(sheet.pk)
    assert not SheetArchive.objects.exists()


# Failures and retries ---------------------------------------------------------------------------

@pytest.fixture
def failed_sheet(sheet, advance, hr, django_capture_on_commit_callbacks, broken_renderer):
    return sign_for_hr(sheet_with_history(sheet, advance, hr), advance,
                       django_capture_on_commit_callbacks)


def test_a_render_failure_leaves_the_sheet_signed_and_the_failure_recorded(failed_sheet):
    archive = archive_of(failed_sheet)

    assert failed_sheet.state == SheetState.SIGNED and failed_sheet.is_signed
    assert archive.status == A.FAILED
    assert archive.error == "RuntimeError: Pango fell over"
    assert not archive.file and not archive.sha256
    assert stored_files() == []


def test_retry_after_a_failure_stores_the_pdf(failed_sheet, admin, monkeypatch,
                                              django_capture_on_commit_callbacks):
    monkeypatch.undo()  # the renderer works again
    archive = archive_of(failed_sheet)

    with django_capture_on_commit_callbacks(execute=True):
        archive_services.archive_retry(archive_id=archive.pk, actor=admin)

    archive.refresh_from_db()
    assert archive.status == A.RENDERED and archive.error == ""
    assert archive.sha256 == sha256(stored_bytes(archive))
    assert archive.attempts == 2


def test_a_stored_archive_is_never_retried(signed_sheet, admin):
    archive = archive_of(signed_sheet)

    with pytest.raises(WorkflowError, match="never rendered again"):
        archive_services.archive_retry(archive_id=archive.pk, actor=admin)


def test_only_an_admin_may_retry(failed_sheet, hr):
    with pytest.raises(ActionForbidden):
        archive_services.archive_retry(archive_id=archive_of(failed_sheet).pk, actor=hr.user)


def test_a_broker_that_is_down_leaves_the_sheet_signed_and_says_so(
        sheet, advance, hr, django_capture_on_commit_callbacks, monkeypatch):
    def refuse(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(render_archive, "delay", refuse)

    signed = sign_for_hr(sheet, advance, django_capture_on_commit_callbacks)

    assert signed.state == SheetState.SIGNED
    archive = archive_of(signed)
    assert archive.status == A.FAILED
    assert archive.error.startswith("Could not queue the rendering: ConnectionError")


def test_the_admin_action_retries_failed_archives(client, signed_sheet_for_oliver, failed_sheet,
                                                  admin, monkeypatch,
                                                  django_capture_on_commit_callbacks):
    monkeypatch.undo()
    failed, stored = archive_of(failed_sheet), archive_of(signed_sheet_for_oliver)
    login(client, admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:archive_sheetarchive_changelist"), {
            "action": "retry_rendering", "_selected_action": [failed.pk, stored.pk]},
            follow=True)

    failed.refresh_from_db()
    assert failed.status == A.RENDERED
    messages = [str(m) for m in response.context["messages"]]
    assert "Rendering queued again for 1 archive(s)." in messages
    assert any("never rendered again" in m for m in messages)


@pytest.fixture
def signed_sheet_for_oliver(other_employee, period, advance, hr,
                            django_capture_on_commit_callbacks):
    from tests.factories import GoalFactory, GoalSheetFactory

    sheet = GoalSheetFactory(employee=other_employee, period=period)
    GoalFactory(sheet=sheet)
    return sign_for_hr(sheet, advance, django_capture_on_commit_callbacks)


def test_the_admin_lists_archives_with_their_status(client, failed_sheet, admin):
    login(client, admin)

    response = client.get(reverse("admin:archive_sheetarchive_changelist"))

    assert response.status_code == 200
    assert "Pango fell over" in response.content.decode()
    assert SheetArchive in admin_site._registry


# The sheet page and its PDFs --------------------------------------------------------------------

def test_the_signed_sheet_page_offers_the_archived_pdf_and_its_hash(client, signed_sheet,
                                                                     employee):
    archive = archive_of(signed_sheet)
    login(client, employee)

    page = client.get(reverse("sheet_detail", args=[signed_sheet.pk]))

    assert by_testid(page, "archive-sha256") == archive.sha256
    assert by_testid(page, "signed-pdf-link") == "Download signed PDF"


def test_downloading_streams_the_stored_file_without_rendering(client, signed_sheet, employee,
                                                               monkeypatch):
    archive = archive_of(signed_sheet)
    monkeypatch.setattr(archive_services, "render_sheet_pdf",
                        lambda sheet, draft=False: pytest.fail("rendered on download"))
    login(client, employee)

    response = client.get(reverse("sheet_pdf", args=[signed_sheet.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="emma-ellis-2027.pdf"' == response["Content-Disposition"]
    assert sha256(b"".join(response.streaming_content)) == archive.sha256


def test_a_sheet_without_an_archive_says_so_instead_of_a_file(client, sheet, employee):
    login(client, employee)

    response = client.get(reverse("sheet_pdf", args=[sheet.pk]), follow=True)

    assert "Only a signed sheet has an archived PDF." in alerts(response)


def test_a_failed_archive_shows_admins_the_error_and_a_retry_button(
        client, failed_sheet, admin, employee, monkeypatch, django_capture_on_commit_callbacks):
    login(client, employee)
    seen_by_emma = client.get(reverse("sheet_detail", args=[failed_sheet.pk]))
    assert "could not be rendered yet" in by_testid(seen_by_emma, "archive-status")
    assert "Retry rendering" not in seen_by_emma.content.decode()

    login(client, admin)
    page = client.get(reverse("sheet_detail", args=[failed_sheet.pk]))
    assert "Pango fell over" in page.content.decode()
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(reverse("sheet_pdf_retry", args=[failed_sheet.pk]))

    assert retried.url == reverse("sheet_detail", args=[failed_sheet.pk])
    page = client.get(retried.url)
    assert by_testid(page, "archive-sha256") == archive_of(failed_sheet).sha256
    assert "Retry rendering" not in page.content.decode()


def test_a_preview_is_draft_on_every_page_and_never_stored(client, sheet, employee):
    login(client, employee)

    response = client.get(reverse("sheet_pdf_preview", args=[sheet.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = page_texts(response.content)
    assert all("DRAFT" in page for page in pages)
    assert not SheetArchive.objects.exists()
    assert stored_files() == []


def test_a_preview_of_a_signed_sheet_is_not_the_archived_file(client, signed_sheet, employee):
    login(client, employee)

    preview = client.get(reverse("sheet_pdf_preview", args=[signed_sheet.pk])).content

    assert sha256(preview) != archive_of(signed_sheet).sha256
    assert "DRAFT" in page_texts(preview)[0]
    assert fresh(signed_sheet).state == SheetState.SIGNED
    assert stored_files() == [archive_of(signed_sheet).file.name]
