"""The archive's records: the signed sheet's PDF, rendered once and stored, and the bulk
exports of those PDFs. Neither is part of the signed content, so neither is frozen by the
sheet's lock."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from goalsapp.models import GoalSheet


class ArchiveStored(Exception):
    """Raised when code tries to change or remove an archive whose PDF is stored."""

    def __init__(self, archive_id=None):
        super().__init__(f"Archive {archive_id} holds a stored PDF: it is never changed or "
                         "removed.")


class ArchiveQuerySet(models.QuerySet):
    """Bulk writes leave stored archives alone (a claim or a failure touches only rows with no
    file, and says so in its filter)."""

    def _refuse_stored(self):
        if self.exclude(file="").exists():
            raise ArchiveStored()

    def update(self, **kwargs):
        self._refuse_stored()
        return super().update(**kwargs)

    def delete(self):
        self._refuse_stored()
        return super().delete()

    def bulk_update(self, objs, fields, batch_size=None):
        objs = list(objs)
        self.filter(pk__in=[obj.pk for obj in objs])._refuse_stored()
        return super().bulk_update(objs, fields, batch_size=batch_size)


class SheetArchive(models.Model):
    """The archival PDF of one signed document of a sheet: its goals (on HR's signature) or its
    closing review (on HR's closing signature). Rendered once, stored with its SHA-256, never
    re-rendered once a file is stored. One per sheet and kind, whatever retries do."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RENDERING = "rendering", "Rendering"
        RENDERED = "rendered", "Rendered"
        FAILED = "failed", "Failed"

    class Kind(models.TextChoices):
        GOALS = "goals", "Signed goals"
        CLOSING = "closing", "Closing review"

    sheet = models.ForeignKey(GoalSheet, on_delete=models.PROTECT, related_name="archives")
    # Every archive made before the closing review existed is of the goals.
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.GOALS)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    file = models.FileField(max_length=300, blank=True, editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True, db_index=True,
                              editable=False)
    size = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    objects = ArchiveQuerySet.as_manager()

    class Meta:
        db_table = "reviews_sheetarchive"  # made before the archive was an app of its own
        ordering = ["-created_at"]
        verbose_name = "archived PDF"
        verbose_name_plural = "archived PDFs"
        constraints = [
            models.UniqueConstraint(fields=["sheet", "kind"], name="one_archive_per_document"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.sheet} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        # Asks the database: a copy loaded before the file was stored must not overwrite it.
        if self.pk is not None and SheetArchive.objects.filter(pk=self.pk).exclude(
                file="").exists():
            raise ArchiveStored(self.pk)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if SheetArchive.objects.filter(pk=self.pk).exclude(file="").exists():
            raise ArchiveStored(self.pk)
        return super().delete(*args, **kwargs)

    @property
    def is_stored(self) -> bool:
        return bool(self.file)


class ExportJob(models.Model):
    """A bulk export too large to stream at once: a worker writes its ZIP to storage."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    filters = models.JSONField(default=dict)
    description = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(max_length=300, blank=True, editable=False)
    size = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "reviews_exportjob"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Export {self.pk}: {self.description}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else (
            int(100 * self.done / self.total) if self.total else 0)
