"""Each signed version of an amended sheet has its own archived PDF: version 1's stays exactly as
it was stored, version 2's says what it amends and why, and the sheet page lists both."""

import pytest
from django.urls import reverse

from goalsapp.models import SheetState
from tests.amendment_helpers import REASON, amend
from tests.archive.archive_helpers import (
    archive_of,
    embedded_json,
    pdf_text,
    sha256,
    sign_for_hr,
    stored_bytes,
)
from tests.page_helpers import elements, login, page

pytestmark = pytest.mark.django_db


def test_each_version_has_its_pdf_and_version_2s_says_what_it_amends(
        client, sheet, advance, hr, django_capture_on_commit_callbacks):
    first = sign_for_hr(sheet, advance, django_capture_on_commit_callbacks)
    first_pdf = stored_bytes(archive_of(first))
    second = amend(first, hr.user)
    second = sign_for_hr(second, advance, django_capture_on_commit_callbacks)

    second_pdf = stored_bytes(archive_of(second))
    text = pdf_text(second_pdf)
    assert "Version 2 of this sheet. It amends version 1, signed on" in text
    assert REASON in text
    assert embedded_json(second_pdf)["canonical"]["amends"] == {
        "sheet": first.pk, "version": 1, "reason": REASON}
    # Version 1's stored file is untouched, and says nothing of versions.
    assert stored_bytes(archive_of(first)) == first_pdf
    assert archive_of(first).sha256 == sha256(first_pdf)
    assert "Version" not in pdf_text(first_pdf).split("Employee Performance Goals")[1][:200]

    login(client, hr)
    for shown in (first, second):
        response = client.get(reverse("sheet_detail", args=[shown.pk]))
        links = [dict(e.attributes)["href"] for e in elements(page(response),
                                                             data_testid="version-pdf-link")]
        assert links == [reverse("sheet_pdf", args=[first.pk]),
                         reverse("sheet_pdf", args=[second.pk])]
    assert client.get(reverse("sheet_pdf", args=[first.pk])).getvalue() == first_pdf


def test_version_1_still_verifies_after_the_amendment(client, sheet, advance, hr,
                                                       django_capture_on_commit_callbacks):
    first = sign_for_hr(sheet, advance, django_capture_on_commit_callbacks)
    amend(first, first.employee.supervisor.user)
    login(client, hr)
    response = client.get(reverse("sheet_detail", args=[first.pk]))
    assert "altered outside Goalpost" not in response.content.decode()
    assert first.state == SheetState.SIGNED


def test_an_export_holds_both_signed_versions_each_with_its_number(
        client, admin, sheet, advance, hr, django_capture_on_commit_callbacks):
    import csv
    import io
    import zipfile

    first = sign_for_hr(sheet, advance, django_capture_on_commit_callbacks)
    second = sign_for_hr(amend(first, hr.user), advance, django_capture_on_commit_callbacks)
    login(client, admin)

    response = client.post(reverse("archive_export"), {"period": first.period_id})

    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as exported:
        manifest = list(csv.DictReader(io.StringIO(exported.read("manifest.csv").decode())))
        assert [(row["version"], exported.read(row["file"])) for row in manifest] == [
            ("1", stored_bytes(archive_of(first))), ("2", stored_bytes(archive_of(second)))]
