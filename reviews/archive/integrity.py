"""Checking the stored archive against its records: every stored PDF is read back from storage,
rehashed and compared with the SHA-256 and size recorded when it was rendered (after a restore,
a storage migration, or on a schedule)."""

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.db.models import Exists, OuterRef

from goalsapp.models import GoalSheet
from reviews.closing_models import ClosingReview
from reviews.closing_states import ClosingState

from .models import SheetArchive

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ArchiveCheck:
    """The verdict on one archive record: intact, mismatch, missing, or not stored (a signed
    sheet whose PDF was never stored: pending, rendering or failed)."""

    archive_id: int | None
    sheet_id: int
    name: str
    verdict: str
    detail: str

    @property
    def is_problem(self) -> bool:
        return self.verdict in ("mismatch", "missing")


def _rehash(name: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with default_storage.open(name, "rb") as stored:
        while chunk := stored.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _check_stored(archive: SheetArchive) -> ArchiveCheck:
    name = archive.file.name

    def verdict(kind: str, detail: str) -> ArchiveCheck:
        return ArchiveCheck(archive.pk, archive.sheet_id, name, kind, detail)

    try:
        digest, size = _rehash(name)
    except FileNotFoundError:
        return verdict("missing", "the file is not in storage")
    except Exception as error:  # S3 and other backends raise errors of their own for absent keys
        if not default_storage.exists(name):
            return verdict("missing", "the file is not in storage")
        return verdict("missing", f"the file could not be read ({type(error).__name__}: {error})")
    if digest != archive.sha256:
        return verdict("mismatch", f"its SHA-256 is {digest}, the record says {archive.sha256}")
    if archive.size is not None and size != archive.size:
        return verdict("mismatch", f"it is {size} bytes, the record says {archive.size}")
    return verdict("intact", "")


def archive_checks() -> Iterator[ArchiveCheck]:
    """One verdict per archive record, in sheet order, then one per signed sheet that has no
    record at all."""
    archives = SheetArchive.objects.only("pk", "sheet_id", "file", "sha256", "size", "status")
    for archive in archives.order_by("sheet_id").iterator(chunk_size=500):
        if archive.file:
            yield _check_stored(archive)
        else:
            yield ArchiveCheck(archive.pk, archive.sheet_id, "", "not stored",
                               f"the record is {archive.status}, no PDF was stored yet")
    goals_archive = SheetArchive.objects.filter(sheet=OuterRef("pk"),
                                                kind=SheetArchive.Kind.GOALS)
    unrecorded = (GoalSheet.objects.signed().filter(~Exists(goals_archive))
                  .order_by("pk").values_list("pk", flat=True))
    closing_archive = SheetArchive.objects.filter(sheet=OuterRef("sheet_id"),
                                                  kind=SheetArchive.Kind.CLOSING)
    unclosed = (ClosingReview.objects.filter(state=ClosingState.CLOSED)
                .filter(~Exists(closing_archive)).order_by("sheet_id")
                .values_list("sheet_id", flat=True))
    for sheet_id in unclosed.iterator():
        yield ArchiveCheck(None, sheet_id, "", "not stored",
                           "the closed closing review has no archive record")
    for sheet_id in unrecorded.iterator():
        yield ArchiveCheck(None, sheet_id, "", "not stored",
                           "the signed sheet has no archive record")
