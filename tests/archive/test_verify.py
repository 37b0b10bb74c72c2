"""The verification page: an uploaded PDF is byte for byte an archived one, or it is not; bad
uploads are told why next to the field."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.archive import archive_helpers
from tests.archive.archive_helpers import archive_of, sha256, stored_bytes
from tests.page_helpers import by_testid, field_error, login

pytestmark = pytest.mark.django_db

signed_sheet = archive_helpers.signed_sheet
URL = reverse("archive_verify")


def upload(client, data: bytes, name: str = "emma-ellis-2027.pdf"):
    return client.post(URL, {"file": SimpleUploadedFile(name, data, "application/pdf")})


@pytest.mark.parametrize("persona", ["hr", "admin"])
def test_the_archived_pdf_is_recognised(client, signed_sheet, persona, request):
    archive = archive_of(signed_sheet)
    login(client, request.getfixturevalue(persona))

    response = upload(client, stored_bytes(archive))

    result = by_testid(response, "verify-result")
    hr_signature = signed_sheet.signatures.get(role="hr")
    assert result.startswith(
        "emma-ellis-2027.pdf matches the archived PDF of Emma Ellis (E-1003), 2027, "
        f"signed {hr_signature.signed_at:%b} {hr_signature.signed_at.day}, "
        f"{hr_signature.signed_at:%Y}.")
    assert archive.sha256 in result


def test_a_pdf_with_one_byte_changed_does_not_match(client, signed_sheet, hr):
    original = stored_bytes(archive_of(signed_sheet))
    middle = len(original) // 2
    tampered = original[:middle] + bytes([original[middle] ^ 0x01]) + original[middle + 1:]
    login(client, hr)

    response = upload(client, tampered)

    result = by_testid(response, "verify-result")
    assert result.startswith("emma-ellis-2027.pdf does not match any archived record.")
    assert sha256(tampered) in result


def test_a_preview_of_the_same_sheet_does_not_match(client, signed_sheet, hr):
    login(client, hr)
    preview = client.get(reverse("sheet_pdf_preview", args=[signed_sheet.pk])).content

    response = upload(client, preview, "preview.pdf")

    assert "does not match any archived record" in by_testid(response, "verify-result")


@pytest.mark.parametrize("data, name, message", [
    (None, None, "Choose a PDF file to check."),
    (b"", "empty.pdf", "This file is empty: choose the PDF to check."),
    (b"PK\x03\x04 a zip, not a pdf", "export.zip", "This file is not a PDF: choose the PDF to "
                                                    "check."),
    (b"%PDF-1.7" + b"x" * 2048, "huge.pdf", "This file is larger than 0 MB; no archived PDF is "
                                            "that large."),
])
def test_bad_uploads_are_explained_next_to_the_field(client, hr, settings, data, name, message):
    settings.ARCHIVE_VERIFY_MAX_BYTES = 1024
    login(client, hr)

    response = client.post(URL, {} if data is None else {
        "file": SimpleUploadedFile(name, data, "application/pdf")})

    assert response.status_code == 200
    assert field_error(response, "id_file") == message
    assert by_testid(response, "verify-result") == ""


def test_the_page_offers_an_upload_form(client, hr):
    login(client, hr)

    response = client.get(URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in content
    assert 'accept="application/pdf,.pdf"' in content
