"""Two deliveries of the archive task at the same moment: one record, one rendering, one file.
Real threads and connections on PostgreSQL (tests/concurrency_helpers.py)."""

import threading
import time

import pytest
from django.core.files.storage import default_storage

from goalsapp.models import SheetState
from reviews.archive import services as archive_services
from reviews.archive.models import SheetArchive
from tests.concurrency_helpers import race

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("postgresql_only")]


def test_two_simultaneous_runs_leave_one_archive_rendered_once(sheet, advance, hr, monkeypatch):
    monkeypatch.setattr(archive_services, "queue_render", lambda sheet_id, kind="goals": None)
    advance(sheet, SheetState.SIGNED)
    SheetArchive.objects.all().delete()  # neither run finds a record: both try to create it
    renders = []
    lock = threading.Lock()

    def slow_render(sheet, draft=False):
        with lock:
            renders.append(sheet.pk)
        time.sleep(0.3)  # long enough for the other run to arrive while this one renders
        return b"%PDF-1.7 the one rendering"

    monkeypatch.setattr(archive_services, "render_sheet_pdf", slow_render)

    def run():
        return archive_services.archive_create(sheet.pk)

    outcomes = race(run, run)

    assert all(isinstance(o, SheetArchive) for o in outcomes), outcomes
    assert renders == [sheet.pk]
    archive = SheetArchive.objects.get()
    assert archive.status == SheetArchive.Status.RENDERED and archive.attempts == 1
    assert default_storage.listdir(archive.file.name.rsplit("/", 1)[0])[1] == [
        archive.file.name.rsplit("/", 1)[1]]
