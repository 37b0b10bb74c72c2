"""A large upload is refused as it arrives, not after it was received in full (goalsapp/uploads.py):
the CSV import of progress, the people sync and the "Check a PDF" page each stop storing a file
at their limit, say why next to the field, and keep what else was on the form."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.urls import reverse

from goalsapp.models import ProgressImport
from goalsapp.people_sync import sync
from goalsapp.progress_csv import MAX_BYTES as CSV_MAX_BYTES
from goalsapp.uploads import FORM_OVERHEAD_BYTES
from tests.page_helpers import field_error, login

pytestmark = pytest.mark.django_db
CHUNK = 64 * 1024  # Django's upload chunk size


@pytest.fixture
def stored(monkeypatch) -> list[int]:
    """The bytes Django's own handlers were given to keep (in memory or a temporary file)."""
    sizes: list[int] = []
    for handler in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        original = handler.receive_data_chunk

        def counting(self, raw_data, start, original=original):
            sizes.append(len(raw_data))
            return original(self, raw_data, start)

        monkeypatch.setattr(handler, "receive_data_chunk", counting)
    return sizes


def _post(client, url, size, name="big.csv", start=b"x"):
    return client.post(url, {"file": SimpleUploadedFile(name, start + b"x" * (size - len(start)))})


def test_a_csv_of_progress_just_over_the_limit_stops_at_the_limit(client, hr, stored):
    login(client, hr)
    response = _post(client, reverse("progress_import"), CSV_MAX_BYTES + 1)

    assert response.status_code == 200
    assert field_error(response, "id_file") == (
        "The file is larger than 2 MB: split it and upload the parts one by one.")
    assert sum(stored) <= CSV_MAX_BYTES + CHUNK  # never the whole file
    assert not ProgressImport.objects.exists()


def test_a_body_declared_far_over_the_limit_is_not_stored_at_all(client, hr, stored):
    login(client, hr)
    response = _post(client, reverse("progress_import"),
                     CSV_MAX_BYTES + FORM_OVERHEAD_BYTES + CHUNK)

    assert "larger than 2 MB" in field_error(response, "id_file")
    assert sum(stored) == 0  # refused on its Content-Length, before a byte was kept


def test_a_file_within_the_limit_still_arrives_whole(client, hr, stored):
    login(client, hr)
    response = _post(client, reverse("progress_import"), 10, start=b"a,b\n")
    assert "larger than" not in field_error(response, "id_file")
    assert sum(stored) >= 10


def test_the_people_sync_stops_at_its_limit(client, hr, stored, monkeypatch):
    monkeypatch.setattr(sync, "MAX_BYTES", 1024 * 1024)
    login(client, hr)
    response = _post(client, reverse("people_sync"), 1024 * 1024 + 1)

    assert response.status_code == 200
    assert field_error(response, "id_file") == "The file is larger than 1 MB."
    assert sum(stored) <= 1024 * 1024 + CHUNK


def test_the_pdf_check_stops_at_its_limit(client, hr, stored, settings):
    settings.ARCHIVE_VERIFY_MAX_BYTES = 1024 * 1024
    login(client, hr)
    response = _post(client, reverse("archive_verify"), 3 * 1024 * 1024, name="huge.pdf",
                     start=b"%PDF-1.7")

    assert response.status_code == 200
    assert field_error(response, "id_file") == (
        "This file is larger than 1 MB; no archived PDF is that large.")
    assert sum(stored) == 0


def test_the_csrf_check_still_guards_a_limited_upload(hr):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    login(client, hr)
    response = _post(client, reverse("progress_import"), 10)
    assert response.status_code == 403
