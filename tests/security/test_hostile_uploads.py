"""Hostile uploads to the three upload pages — the PDF check, the progress CSV import and the
people sync: far too large, not what they claim, in the wrong encoding, a decompression bomb,
100,000 rows, one 10 MB line. Each gets a sentence saying what is wrong, never a 500, while
the process holds far less than the file in memory."""

import tracemalloc
import zlib

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, FakePayload, encode_multipart
from django.urls import reverse

from goalsapp.models import Employee, ProgressEntry
from goalsapp.people_sync.sync import COLUMNS as PEOPLE_COLUMNS
from goalsapp.progress_csv import COLUMNS as PROGRESS_COLUMNS
from tests.page_helpers import login

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


class Upload:
    """A multipart request body, built before measuring so only the server is measured."""

    def __init__(self, name: str, content: bytes):
        body = encode_multipart(BOUNDARY, {"file": _File(name, content)})
        self.length = len(body)
        self.payload = FakePayload(body)


class _File:
    def __init__(self, name, content):
        self.name, self._content = name, content

    def read(self):
        return self._content


def post_measured(client, url: str, upload: Upload):
    """The response, and the peak of Python memory allocated while the server handled it."""
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": url, "CONTENT_TYPE": MULTIPART_CONTENT,
               "CONTENT_LENGTH": str(upload.length), "wsgi.input": upload.payload}
    tracemalloc.start()
    try:
        response = client.request(**environ)
        peak = tracemalloc.get_traced_memory()[1]
        print(f"{url}: {upload.length / MB:.1f} MB uploaded, {peak / MB:.1f} MB peak")  # figures
        return response, peak
    finally:
        tracemalloc.stop()


def pdf_bomb() -> bytes:
    """A valid-looking PDF whose one FlateDecode stream inflates to 256 MB of zeros."""
    packer, chunk = zlib.compressobj(9), b"\0" * MB
    stream = b"".join(packer.compress(chunk) for _ in range(256)) + packer.flush()
    return (b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
            b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
            b"3 0 obj\n<< /Length " + str(len(stream)).encode() + b" /Filter /FlateDecode >>\n"
            b"stream\n" + stream + b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")


def csv_text(columns, row: str, rows: int) -> str:
    return ",".join(columns) + "\r\n" + row * rows


PROGRESS_ROW = "E-1003,2027,1,2027-06-30,1,\r\n"
PEOPLE_ROW = "E-9,Pat Doe,pat@example.com,AR Analyst,West,Remote,core,E-1002,yes\r\n"

PDF_CHECK = [
    ("a 50 MB file", "big.pdf", b"%PDF-1.7\n" + b"\0" * (50 * MB), "larger than 20 MB"),
    ("a file that is not a PDF", "notes.pdf", b"PK\x03\x04 a zip file", "This file is not a PDF"),
    ("a decompression bomb", "bomb.pdf", None, "does not match any archived record"),
]
PROGRESS = [
    ("100,000 rows", csv_text(PROGRESS_COLUMNS, PROGRESS_ROW, 100_000).encode()[:2 * MB - 1],
     "more than 20,000 rows"),
    ("UTF-16", csv_text(PROGRESS_COLUMNS, PROGRESS_ROW, 50).encode("utf-16"),
     "not UTF-8 text"),
    ("Latin-1", csv_text(PROGRESS_COLUMNS, "E-1003,2027,1,2027-06-30,1,Café\r\n", 50)
     .encode("latin-1"), "not UTF-8 text"),
    ("a 10 MB line", b"A" * (10 * MB), "larger than 2 MB"),
]
PEOPLE = [
    ("100,000 rows", csv_text(PEOPLE_COLUMNS, PEOPLE_ROW, 100_000).encode(),
     "more than 20,000 people"),
    ("UTF-16", csv_text(PEOPLE_COLUMNS, PEOPLE_ROW, 50).encode("utf-16"), "not UTF-8 text"),
    ("Latin-1", csv_text(PEOPLE_COLUMNS, PEOPLE_ROW.replace("Pat", "Zoë"), 50)
     .encode("latin-1"), "not UTF-8 text"),
    ("a 10 MB line", b"A" * (10 * MB), "not valid CSV"),
]


@pytest.mark.parametrize(("case", "name", "content", "message"), PDF_CHECK,
                         ids=[c[0] for c in PDF_CHECK])
def test_the_pdf_check_explains_a_hostile_upload(client, hr, case, name, content, message):
    login(client, hr)
    upload = Upload(name, content if content is not None else pdf_bomb())

    response, peak = post_measured(client, reverse("archive_verify"), upload)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert peak < 16 * MB, f"{case}: {peak / MB:.1f} MB held"  # never the whole file, inflated


@pytest.mark.parametrize(("case", "content", "message"), PROGRESS, ids=[c[0] for c in PROGRESS])
def test_the_progress_import_explains_a_hostile_csv(client, hr, employee, case, content,
                                                    message):
    login(client, hr)

    response, peak = post_measured(client, reverse("progress_import"),
                                   Upload("actuals.csv", content))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert len(response.content) < 200_000
    assert peak < 64 * MB, f"{case}: {peak / MB:.1f} MB held"
    assert not ProgressEntry.objects.exists()


@pytest.mark.parametrize(("case", "content", "message"), PEOPLE, ids=[c[0] for c in PEOPLE])
def test_the_people_sync_explains_a_hostile_csv(client, admin, case, content, message):
    login(client, admin)
    people = Employee.objects.count()

    response, peak = post_measured(client, reverse("people_sync"), Upload("people.csv", content))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert len(response.content) < 200_000
    # The sync reads a file whole (its 20 MB cap bounds it): ~7 times the file while parsing.
    assert peak < 96 * MB, f"{case}: {peak / MB:.1f} MB held"
    assert Employee.objects.count() == people
