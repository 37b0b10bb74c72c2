"""Storing a signed sheet's PDF once: the record, the claim that lets exactly one run render,
the retry, the hook on HR's signature, and looking a file up by its SHA-256.

A record is created per signed sheet (one, by its unique sheet). A run renders only after it
claims the record with a conditional UPDATE (pending or failed, no stored file); a stored file is
never replaced, so retries and duplicate task deliveries are harmless.
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify

from goalsapp.access import may_retry_archive, sheets_visible_to
from goalsapp.models import GoalSheet
from reviews.workflow import ActionForbidden, WorkflowError

from .models import SheetArchive
from .pdf import render_sheet_pdf

log = logging.getLogger(__name__)
A = SheetArchive.Status
ERROR_MAX = 2000


def archive_file_name(sheet: GoalSheet) -> str:
    period = slugify(sheet.period.name) or f"period-{sheet.period_id}"
    person = slugify(f"{sheet.employee_number} {sheet.employee_name}") or "sheet"
    return f"archive/{period}/{person}-sheet-{sheet.pk}.pdf"


def archive_get_or_create(sheet_id: int) -> SheetArchive:
    """The sheet's one archive record; the unique sheet makes a concurrent second create fail
    inside get_or_create, which then reads the winner's row."""
    archive, _ = SheetArchive.objects.get_or_create(sheet_id=sheet_id)
    return archive


def _stale_before():
    """Claims made before this are taken to be a worker that died mid-render."""
    return timezone.now() - timedelta(seconds=settings.ARCHIVE_STALE_CLAIM_SECONDS)


def _claim(archive_id: int) -> bool:
    """Takes the record for this run: exactly one concurrent run touches the row."""
    claimable = Q(status__in=[A.PENDING, A.FAILED]) | Q(
        status=A.RENDERING, claimed_at__lt=_stale_before())
    return SheetArchive.objects.filter(claimable, pk=archive_id, file="").update(
        status=A.RENDERING, claimed_at=timezone.now(), attempts=F("attempts") + 1) == 1


def archive_create(sheet_id: int) -> SheetArchive:
    """Renders and stores the signed sheet's PDF unless a run already did or is doing it.
    A rendering failure is recorded on the archive (status failed, the error), never raised:
    the sheet stays signed and an admin can retry."""
    sheet = GoalSheet.objects.select_related("period", "employee").get(pk=sheet_id)
    if not sheet.is_signed:
        raise WorkflowError("Only a signed sheet is archived.")
    archive = archive_get_or_create(sheet.pk)
    if not _claim(archive.pk):
        archive.refresh_from_db()
        return archive
    try:
        pdf = render_sheet_pdf(sheet)
    except Exception as error:  # any failure of the renderer must reach an admin, not a user
        log.exception("Rendering the archive PDF of sheet %s failed", sheet.pk)
        SheetArchive.objects.filter(pk=archive.pk, status=A.RENDERING).update(
            status=A.FAILED, error=f"{type(error).__name__}: {error}"[:ERROR_MAX])
        archive.refresh_from_db()
        return archive
    return _store(archive, sheet, pdf)


def _store(archive: SheetArchive, sheet: GoalSheet, pdf: bytes) -> SheetArchive:
    name = default_storage.save(archive_file_name(sheet), ContentFile(pdf))
    stored = SheetArchive.objects.filter(pk=archive.pk, status=A.RENDERING, file="").update(
        status=A.RENDERED, file=name, sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf),
        rendered_at=timezone.now(), error="")
    if not stored:  # a stale claim was taken over and the other run stored first: keep theirs
        default_storage.delete(name)
    archive.refresh_from_db()
    return archive


def archive_retry(*, archive_id: int, actor) -> SheetArchive:
    """An admin asks for another rendering of an archive that has no stored file yet."""
    if not may_retry_archive(actor):
        raise ActionForbidden("Only an administrator may retry the rendering of an archive.")
    with transaction.atomic():
        archive = SheetArchive.objects.select_for_update().get(pk=archive_id)
        if archive.is_stored:
            raise WorkflowError("This archive is already stored; a stored PDF is never "
                                "rendered again.")
        if archive.status == A.RENDERING and archive.claimed_at and (
                archive.claimed_at > _stale_before()):
            raise WorkflowError("This archive is being rendered right now.")
        archive.status = A.PENDING
        archive.error = ""
        archive.save(update_fields=["status", "error"])
        transaction.on_commit(lambda: queue_render(archive.sheet_id))
    return archive


def queue_render(sheet_id: int) -> None:
    """Queues the rendering; if the broker cannot take it, the record says so for an admin."""
    from .tasks import render_archive

    try:
        render_archive.delay(sheet_id)
    except Exception as error:  # broker down: the sheet stays signed, the admin sees why
        log.exception("Could not queue the archive PDF of sheet %s", sheet_id)
        SheetArchive.objects.filter(sheet_id=sheet_id, file="").exclude(
            status=A.RENDERED).update(
            status=A.FAILED,
            error=f"Could not queue the rendering: {type(error).__name__}: {error}"[:ERROR_MAX])


def on_sheet_transitioned(sender, sheet, event, **kwargs) -> None:
    """After HR's signature has committed: an archive record, and its rendering queued.
    Never raises: other receivers of the signal (e-mail) must still run."""
    if not sheet.is_signed:
        return
    try:
        archive_get_or_create(sheet.pk)
    except Exception:
        log.exception("Could not create the archive record of sheet %s", sheet.pk)
        return
    queue_render(sheet.pk)


# Reading the archive ----------------------------------------------------------------------------

def archive_of(sheet: GoalSheet) -> SheetArchive | None:
    return SheetArchive.objects.filter(sheet=sheet).first()


def archive_matching(user, digest: str) -> SheetArchive | None:
    """The stored archive whose file has this SHA-256, among the sheets `user` may see."""
    return (SheetArchive.objects
            .filter(sha256=digest, status=A.RENDERED, sheet__in=sheets_visible_to(user))
            .select_related("sheet__period").first())


def hr_signed_at(archive: SheetArchive):
    signature = archive.sheet.signatures.filter(role="hr", voided_at__isnull=True).first()
    return signature.signed_at if signature else archive.sheet.locked_at
