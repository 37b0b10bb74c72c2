"""Storing a signed document's PDF once: the record, the claim that lets exactly one run render,
the retry, the hook on HR's signature, and looking a file up by its SHA-256.

A sheet has up to two signed documents, each archived on HR's signature: its goals (kind
"goals") and, at the period's end, its closing review (kind "closing"). A record is created per
signed document (one, by the unique sheet and kind). A run renders only after it
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
from goalsapp.compiled_queries import CompiledQuery
from goalsapp.models import GoalSheet, SheetState
from reviews.closing_models import ClosingReview
from reviews.closing_states import ClosingState
from reviews.workflow import ActionForbidden, WorkflowError

from .models import SheetArchive
from .pdf import render_closing_pdf, render_sheet_pdf

log = logging.getLogger(__name__)
A = SheetArchive.Status
K = SheetArchive.Kind
ERROR_MAX = 2000
# The workflow state whose arrival (HR's signature) archives each kind of document.
ARCHIVED_ON = {SheetState.SIGNED: K.GOALS, ClosingState.CLOSED: K.CLOSING}


def archive_file_name(sheet: GoalSheet, kind: str = K.GOALS) -> str:
    period = slugify(sheet.period.name) or f"period-{sheet.period_id}"
    person = slugify(f"{sheet.employee_number} {sheet.employee_name}") or "sheet"
    document = "sheet" if kind == K.GOALS else "closing"
    return f"archive/{period}/{person}-{document}-{sheet.pk}.pdf"


def archive_get_or_create(sheet_id: int, kind: str = K.GOALS) -> SheetArchive:
    """The document's one archive record; the unique sheet and kind make a concurrent second
    create fail inside get_or_create, which then reads the winner's row."""
    archive, _ = SheetArchive.objects.get_or_create(sheet_id=sheet_id, kind=kind)
    return archive


def _render(sheet: GoalSheet, kind: str) -> bytes:
    if kind == K.GOALS:
        return render_sheet_pdf(sheet)
    return render_closing_pdf(sheet.closing)


def _is_final(sheet: GoalSheet, kind: str) -> bool:
    if kind == K.GOALS:
        return sheet.is_signed
    return ClosingReview.objects.filter(sheet=sheet, state=ClosingState.CLOSED).exists()


def _stale_before():
    """Claims made before this are taken to be a worker that died mid-render."""
    return timezone.now() - timedelta(seconds=settings.ARCHIVE_STALE_CLAIM_SECONDS)


def _claim(archive_id: int) -> bool:
    """Takes the record for this run: exactly one concurrent run touches the row."""
    claimable = Q(status__in=[A.PENDING, A.FAILED]) | Q(
        status=A.RENDERING, claimed_at__lt=_stale_before())
    return SheetArchive.objects.filter(claimable, pk=archive_id, file="").update(
        status=A.RENDERING, claimed_at=timezone.now(), attempts=F("attempts") + 1) == 1


def archive_create(sheet_id: int, kind: str = K.GOALS) -> SheetArchive:
    """Renders and stores the signed document's PDF unless a run already did or is doing it.
    A rendering failure is recorded on the archive (status failed, the error), never raised:
    the document stays signed and an admin can retry."""
    sheet = GoalSheet.objects.select_related("period", "employee").get(pk=sheet_id)
    if not _is_final(sheet, kind):
        raise WorkflowError("Only a document HR has signed is archived.")
    archive = archive_get_or_create(sheet.pk, kind)
    if not _claim(archive.pk):
        archive.refresh_from_db()
        return archive
    try:
        pdf = _render(sheet, kind)
    except Exception as error:  # any failure of the renderer must reach an admin, not a user
        log.exception("Rendering the archive PDF (%s) of sheet %s failed", kind, sheet.pk)
        SheetArchive.objects.filter(pk=archive.pk, status=A.RENDERING).update(
            status=A.FAILED, error=f"{type(error).__name__}: {error}"[:ERROR_MAX])
        archive.refresh_from_db()
        return archive
    return _store(archive, sheet, pdf)


def _store(archive: SheetArchive, sheet: GoalSheet, pdf: bytes) -> SheetArchive:
    name = default_storage.save(archive_file_name(sheet, archive.kind), ContentFile(pdf))
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
        transaction.on_commit(lambda: queue_render(archive.sheet_id, archive.kind))
    return archive


def queue_render(sheet_id: int, kind: str = K.GOALS) -> None:
    """Queues the rendering; if the broker cannot take it, the record says so for an admin."""
    from .tasks import render_archive

    try:
        render_archive.delay(sheet_id, kind)
    except Exception as error:  # broker down: the sheet stays signed, the admin sees why
        log.exception("Could not queue the archive PDF (%s) of sheet %s", kind, sheet_id)
        SheetArchive.objects.filter(sheet_id=sheet_id, kind=kind, file="").exclude(
            status=A.RENDERED).update(
            status=A.FAILED,
            error=f"Could not queue the rendering: {type(error).__name__}: {error}"[:ERROR_MAX])


def on_sheet_transitioned(sender, sheet, event, **kwargs) -> None:
    """After HR's signature (on the goals, or on the closing review) has committed: an archive
    record, and its rendering queued. Never raises: other receivers of the signal (e-mail) must
    still run."""
    kind = ARCHIVED_ON.get(event.to_state) if event is not None else None
    if kind is None or not _is_final(sheet, kind):
        return
    try:
        archive_get_or_create(sheet.pk, kind)
    except Exception:
        log.exception("Could not create the archive record (%s) of sheet %s", kind, sheet.pk)
        return
    queue_render(sheet.pk, kind)


# Reading the archive ----------------------------------------------------------------------------

# Every signed sheet's page asks it; the SQL is built once per process (compiled_queries).
_ARCHIVES = CompiledQuery(lambda sheet_id: SheetArchive.objects.filter(sheet_id=sheet_id)
                          .order_by("pk"))


def archive_of(sheet: GoalSheet, kind: str = K.GOALS) -> SheetArchive | None:
    """The sheet's archive of that kind (one at most: a sheet has one of each)."""
    return next((archive for archive in _ARCHIVES(sheet_id=sheet.pk) if archive.kind == kind),
                None)


def archive_matching(user, digest: str) -> SheetArchive | None:
    """The stored archive whose file has this SHA-256, among the sheets `user` may see."""
    return (SheetArchive.objects
            .filter(sha256=digest, status=A.RENDERED, sheet__in=sheets_visible_to(user))
            .select_related("sheet__period").first())


def hr_signed_at(archive: SheetArchive):
    if archive.kind == K.CLOSING:
        return archive.sheet.closing.closed_at
    signature = archive.sheet.signatures.filter(role="hr", voided_at__isnull=True).first()
    return signature.signed_at if signature else archive.sheet.locked_at
