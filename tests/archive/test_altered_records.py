"""A signed record changed below Goalpost (a superuser's SQL, a restored dump, a disk fault) is
said loudly on the sheet page, the PDF verification page and the admin, and by
`manage.py verify_records`, which exits 1."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.urls import reverse

from tests.archive import archive_helpers
from tests.archive.archive_helpers import archive_of, stored_bytes
from tests.page_helpers import by_testid, login

pytestmark = pytest.mark.usefixtures("postgresql_only")

signed_sheet = archive_helpers.signed_sheet
ALTERED = "This record was altered outside Goalpost"


def behind_goalposts_back(statement, params):
    """SQL as a superuser would run it past the triggers (the documented correction path)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('goalpost.correction_reason', 'test tampering', true)")
        cursor.execute(statement, params)


def verify_records():
    out, err = [], []

    class Sink:
        def __init__(self, lines):
            self.lines = lines

        def write(self, text):
            self.lines.append(text)

        def flush(self):
            pass

    try:
        call_command("verify_records", stdout=Sink(out), stderr=Sink(err))
    except CommandError as error:
        return error.returncode, "".join(out), "".join(err) + str(error)
    return 0, "".join(out), "".join(err)


def test_an_intact_record_says_nothing_and_verifies(client, signed_sheet, hr):
    login(client, hr)
    page = client.get(reverse("sheet_detail", args=[signed_sheet.pk])).content.decode()
    assert ALTERED not in page
    code, out, _err = verify_records()
    assert code == 0
    assert ("Checked 1 signed sheet and 1 archived PDF: 0 altered records, "
            "0 archive problems.") in out


def test_deleted_signatures_are_said_on_every_page_and_by_the_command(client, signed_sheet, hr,
                                                                        admin):
    archived = stored_bytes(archive_of(signed_sheet))
    behind_goalposts_back("DELETE FROM reviews_signature WHERE sheet_id = %s", [signed_sheet.pk])

    login(client, hr)
    page = client.get(reverse("sheet_detail", args=[signed_sheet.pk]))
    warning = by_testid(page, "record-altered")
    assert ALTERED in warning
    assert "The supervisor signature is missing." in warning
    assert "The human resources signature is missing." in warning
    verify = client.post(reverse("archive_verify"), {
        "file": SimpleUploadedFile("emma.pdf", archived, "application/pdf")})
    assert "matches the archived PDF" in by_testid(verify, "verify-result")
    assert ALTERED in by_testid(verify, "record-altered")
    login(client, admin)
    change = client.get(reverse("admin:goalsapp_goalsheet_change", args=[signed_sheet.pk]))
    assert ALTERED in change.content.decode()

    code, _out, err = verify_records()
    assert code == 1
    assert f"ALTERED: sheet {signed_sheet.pk}" in err and "signature is missing" in err


def test_a_goal_text_changed_in_sql_breaks_every_signature(client, signed_sheet, hr):
    behind_goalposts_back("UPDATE goalsapp_goal SET text = 'Rewritten.' WHERE sheet_id = %s",
                          [signed_sheet.pk])
    login(client, hr)
    page = client.get(reverse("sheet_detail", args=[signed_sheet.pk]))
    assert by_testid(page, "record-altered").count("no longer matches the content") == 3
    assert verify_records()[0] == 1


def test_an_archive_file_changed_on_disk_fails_the_command(signed_sheet):
    archive = archive_of(signed_sheet)
    with default_storage.open(archive.file.name, "wb") as stored:
        stored.write(b"%PDF-1.7 not the archived file")
    code, _out, err = verify_records()
    assert code == 1
    assert "MISMATCH" in err


def test_a_stored_archive_refuses_sql_and_its_correction_is_said(client, signed_sheet, hr,
                                                                 admin):
    from django.db import IntegrityError

    archive = archive_of(signed_sheet)
    with pytest.raises(IntegrityError, match="belongs to a signed record"), \
            transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE reviews_sheetarchive SET sha256 = 'x' WHERE id = %s",
                       [archive.pk])
    archived = stored_bytes(archive)
    behind_goalposts_back("UPDATE reviews_signature SET typed_name = 'Emma J. Ellis' "
                          "WHERE sheet_id = %s AND role = 'employee'", [signed_sheet.pk])

    login(client, hr)
    verify = client.post(reverse("archive_verify"), {
        "file": SimpleUploadedFile("emma.pdf", archived, "application/pdf")})
    warning = by_testid(verify, "record-altered")
    assert ALTERED in warning and "“test tampering”" in warning
    login(client, admin)
    change = client.get(reverse("admin:goalsapp_goalsheet_change", args=[signed_sheet.pk]))
    assert "test tampering" in change.content.decode()
    code, _out, err = verify_records()
    assert code == 1 and "Corrected outside Goalpost" in err


def test_the_admin_lists_corrections_read_only(client, signed_sheet, admin, hr):
    from reviews.models import RecordCorrection

    behind_goalposts_back("UPDATE reviews_signature SET typed_name = 'Emma J. Ellis' "
                          "WHERE sheet_id = %s AND role = 'employee'", [signed_sheet.pk])
    correction = RecordCorrection.objects.get()
    login(client, admin)
    listing = client.get(reverse("admin:reviews_recordcorrection_changelist"))
    assert listing.status_code == 200 and "test tampering" in listing.content.decode()
    change_url = reverse("admin:reviews_recordcorrection_change", args=[correction.pk])
    detail = client.get(change_url)
    assert detail.status_code == 200 and "Emma J. Ellis" in detail.content.decode()
    assert client.get(reverse("admin:reviews_recordcorrection_add")).status_code == 403
    client.post(change_url, {"reason": "rewritten"})
    client.post(reverse("admin:reviews_recordcorrection_delete", args=[correction.pk]),
                {"post": "yes"})
    assert RecordCorrection.objects.get().reason == "test tampering"
    login(client, hr)  # not staff: the admin site's door (may_use_admin) stays shut
    assert client.get(reverse("admin:reviews_recordcorrection_changelist")).status_code == 302
