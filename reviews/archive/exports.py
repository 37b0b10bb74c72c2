"""Bulk exports of archived PDFs: a ZIP of the stored files (copied, never re-rendered) with a
manifest.csv, streamed straight to the browser when small and written by a Celery job when large.

Which sheets an export holds always starts from goalsapp.selectors.sheets_visible_to.
"""

import hashlib
import io
import logging
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime
from itertools import islice

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify

from goalsapp import csv_safe
from goalsapp.access import may_export_archives, sheets_visible_to
from goalsapp.models import Employee, GoalSheet, ReviewPeriod
from reviews.models import ClosingSignature, Signature
from reviews.workflow import ActionForbidden

from .models import ExportJob, SheetArchive

log = logging.getLogger(__name__)
CHUNK = 256 * 1024
MANIFEST = "manifest.csv"
# `version`: each signed version of an amended sheet is in the export, each its own PDF.
MANIFEST_COLUMNS = ("employee", "employee_number", "period", "file", "sha256", "size_bytes",
                    "supervisor_signed", "employee_signed", "hr_signed", "file_check", "version",
                    "document")
PROGRESS_EVERY = 20  # files between two progress updates of a job


@dataclass(frozen=True)
class ExportFilters:
    period_id: int
    territory: str = ""
    title: str = ""
    supervisor_id: int | None = None

    def describe(self) -> str:
        period = ReviewPeriod.objects.filter(pk=self.period_id).values_list("name", flat=True)
        parts = [f"period {period.first() or self.period_id}"]
        if self.territory:
            parts.append(f"territory {self.territory}")
        if self.title:
            parts.append(f"title {self.title}")
        if self.supervisor_id:
            name = Employee.objects.filter(pk=self.supervisor_id).values_list("full_name",
                                                                              flat=True)
            parts.append(f"team of {name.first() or self.supervisor_id}")
        return ", ".join(parts)

    def zip_name(self) -> str:
        return f"goal-sheets-{slugify(self.describe())[:120]}.zip"


def signed_sheets(user, filters: ExportFilters) -> QuerySet[GoalSheet]:
    """The signed sheets an export for `user` covers: visible to them, matching the filters."""
    sheets = sheets_visible_to(user).signed().filter(period_id=filters.period_id)
    if filters.territory:
        sheets = sheets.filter(employee__territory=filters.territory)
    if filters.title:
        sheets = sheets.filter(title=filters.title)
    if filters.supervisor_id:
        sheets = sheets.filter(employee__supervisor_id=filters.supervisor_id)
    return sheets


def archives_for(user, filters: ExportFilters) -> QuerySet[SheetArchive]:
    """The stored archives of those sheets, in name order."""
    return (SheetArchive.objects
            .filter(sheet__in=signed_sheets(user, filters), status=SheetArchive.Status.RENDERED)
            .exclude(file="")
            .select_related("sheet__period")
            .order_by("sheet__employee_name", "sheet_id", "-kind"))


@dataclass(frozen=True)
class ExportEntry:
    """One archived PDF as the ZIP and its manifest need it: plain values, no model objects,
    so that a thousand files cost a handful of queries and little Python per file."""

    sheet_id: int
    kind: str  # "goals" or "closing" (SheetArchive.Kind)
    file: str
    sha256: str
    size: int
    stored_at: datetime
    employee_name: str
    employee_number: str
    period_name: str
    version: int  # "Version N" of an amended sheet (1 for any other)
    signed: dict  # role → signed_at of the live signatures


ENTRY_FIELDS = ("sheet_id", "kind", "file", "sha256", "size", "rendered_at",
                "sheet__employee_name", "sheet__employee_number", "sheet__period__name",
                "sheet__edition")


def export_entries(archives: QuerySet[SheetArchive], chunk: int = 500) -> Iterator[ExportEntry]:
    rows = archives.values_list(*ENTRY_FIELDS).iterator(chunk_size=chunk)
    while batch := list(islice(rows, chunk)):
        signed: dict[tuple[int, str], dict] = {}
        sheet_ids = [row[0] for row in batch]
        for sheet_id, role, signed_at in Signature.objects.filter(
                sheet_id__in=sheet_ids, voided_at__isnull=True).values_list(
                "sheet_id", "role", "signed_at"):
            signed.setdefault((sheet_id, SheetArchive.Kind.GOALS), {})[role] = signed_at
        for sheet_id, role, signed_at in ClosingSignature.objects.filter(
                review__sheet_id__in=sheet_ids, voided_at__isnull=True).values_list(
                "review__sheet_id", "role", "signed_at"):
            signed.setdefault((sheet_id, SheetArchive.Kind.CLOSING), {})[role] = signed_at
        for sheet_id, kind, *values in batch:
            yield ExportEntry(sheet_id, kind, *values, signed=signed.get((sheet_id, kind), {}))


@dataclass
class ExportSummary:
    sheets: int
    archived: int
    bytes: int
    missing: list[GoalSheet]  # signed, but without a stored PDF yet


def export_summary(user, filters: ExportFilters) -> ExportSummary:
    sheets = signed_sheets(user, filters)
    archives = archives_for(user, filters)
    stored = set(archives.values_list("sheet_id", flat=True))
    missing = [s for s in sheets.order_by("employee_name") if s.pk not in stored]
    return ExportSummary(sheets=sheets.count(), archived=len(stored),
                         bytes=sum(archives.values_list("size", flat=True)), missing=missing)


def entry_name(entry: ExportEntry) -> str:
    person = slugify(f"{entry.employee_name} {entry.employee_number}") or "sheet"
    document = "-closing-review" if entry.kind == SheetArchive.Kind.CLOSING else ""
    return f"{person}-{slugify(entry.period_name)}-{entry.sheet_id}{document}.pdf"


def _when(moment) -> str:
    return timezone.localtime(moment).isoformat() if moment else ""


def write_zip(zip_file: zipfile.ZipFile, entries: Iterable[ExportEntry],
              after_each: Callable[[int], object] = lambda count: None) -> Iterator[int]:
    """Copies each stored PDF into the ZIP, hashing it on the way, then writes the manifest.
    Yields after each file, so a caller can stream what was written so far."""
    manifest = io.StringIO()
    rows = csv_safe.writer(manifest)
    rows.writerow(MANIFEST_COLUMNS)
    count = 0
    for entry in entries:
        name = entry_name(entry)
        with default_storage.open(entry.file, "rb") as stored:
            data = stored.read()  # one archived PDF at a time: a few hundred KB at most
        check = "ok" if hashlib.sha256(data).hexdigest() == entry.sha256 else "MISMATCH"
        if check != "ok":
            log.error("Archived PDF %s no longer matches its recorded SHA-256", entry.file)
        info = zipfile.ZipInfo(name, date_time=timezone.localtime(entry.stored_at).timetuple()[:6])
        info.compress_type = zipfile.ZIP_STORED  # PDFs are compressed already: disk-bound copy
        zip_file.writestr(info, data)
        rows.writerow((entry.employee_name, entry.employee_number, entry.period_name, name,
                       entry.sha256, entry.size, _when(entry.signed.get("supervisor")),
                       _when(entry.signed.get("employee")), _when(entry.signed.get("hr")),
                       check, entry.version, entry.kind))
        count += 1
        after_each(count)
        yield count
    zip_file.writestr(MANIFEST, manifest.getvalue().encode("utf-8"))


class _Chunks:
    """A write-only, unseekable file that hands back what was written since it was last asked:
    zipfile then writes data descriptors, so the ZIP streams without seeking back."""

    def __init__(self):
        self.parts: list[bytes] = []

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def stream_zip(archives: QuerySet[SheetArchive]) -> Iterator[bytes]:
    """The export ZIP as chunks, one stored file at a time: memory stays at one file's size."""
    sink = _Chunks()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as zip_file:
        for _ in write_zip(zip_file, export_entries(archives)):
            yield sink.take()
    yield sink.take()


def _require_may_export(user) -> None:
    if not may_export_archives(user):
        raise ActionForbidden("Bulk exports of signed PDFs are for administrators.")


def stream_limit() -> int:
    return settings.ARCHIVE_EXPORT_STREAM_LIMIT


# Jobs for large exports -------------------------------------------------------------------------

def export_job_create(*, actor, filters: ExportFilters) -> ExportJob:
    """Records a large export and queues its job once the record has committed."""
    _require_may_export(actor)
    from .tasks import run_export_job

    with transaction.atomic():
        job = ExportJob.objects.create(created_by=actor, filters=asdict(filters),
                                       description=filters.describe()[:300])

        def queue():
            try:
                run_export_job.delay(job.pk)
            except Exception as error:  # broker down: the job page says so
                log.exception("Could not queue export job %s", job.pk)
                ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.QUEUED).update(
                    status=ExportJob.Status.FAILED, finished_at=timezone.now(),
                    error=f"Could not queue the export: {type(error).__name__}")

        transaction.on_commit(queue)
    return job


def export_job_run(job_id: int) -> ExportJob:
    """Runs a queued job once (a conditional claim), writing its ZIP to storage."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING)
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    if not claimed:
        return job
    try:
        filters = ExportFilters(**job.filters)
        archives = archives_for(job.created_by, filters)
        total = archives.count()
        ExportJob.objects.filter(pk=job.pk).update(total=total)

        def progress(count: int) -> None:
            if count % PROGRESS_EVERY == 0:
                ExportJob.objects.filter(pk=job.pk).update(done=count)

        with tempfile.TemporaryFile() as spool:
            with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as zip_file:
                done = sum(1 for _ in write_zip(zip_file, export_entries(archives), progress))
            size = spool.tell()
            spool.seek(0)
            name = default_storage.save(f"exports/{job.pk}-{filters.zip_name()}", File(spool))
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.DONE, done=done, total=max(total, done), file=name, size=size,
            finished_at=timezone.now())
    except Exception as error:  # the job page must say it failed, not spin forever
        log.exception("Export job %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:2000])
    job.refresh_from_db()
    return job


def jobs_visible_to(user) -> QuerySet[ExportJob]:
    """A job's ZIP is for the person who asked for it, and for administrators."""
    if not user.is_authenticated:
        return ExportJob.objects.none()
    if may_export_archives(user):  # administrators see every job
        return ExportJob.objects.all()
    return ExportJob.objects.filter(created_by=user)
