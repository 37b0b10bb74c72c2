"""HR signs in Chromium, the sheet is archived; Emma downloads the signed PDF and an admin
downloads a bulk export, each file checked against the SHA-256 the pages show."""

import csv
import hashlib
import io
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from goalsapp.models import SheetState
from reviews import services
from tests.browser.helpers import PHONE
from tests.workflow_helpers import ALL_PASS, advance

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_signed_pdf_and_export_download(login, sheet, hr, admin, period, tmp_path):
    advance(sheet, SheetState.HR_REVIEW)
    for goal in sheet.goals.all():
        services.goal_smart_check(goal_id=goal.pk, actor=hr.user, verdicts=ALL_PASS, note="")

    # Hana signs for HR in the browser: the archive is rendered after the commit.
    _, hana = login("hana")
    hana.goto(f"/sheets/{sheet.pk}/")
    hana.get_by_role("link", name="Sign for HR").click()
    hana.get_by_label("Type your full name to sign").fill("Hana Hughes")
    hana.get_by_role("button", name="Sign for HR").click()
    expect(hana.get_by_role("alert")).to_contain_text("Signed for HR")
    shown_hash = hana.get_by_test_id("archive-sha256")
    expect(shown_hash).to_have_text(re.compile(r"^[0-9a-f]{64}$"))
    archived_sha = shown_hash.inner_text()

    # Emma downloads it from her sheet page, on a phone.
    _, emma = login("emma", viewport=PHONE)
    emma.goto(f"/sheets/{sheet.pk}/")
    expect(emma.get_by_test_id("archive-sha256")).to_have_text(archived_sha)
    with emma.expect_download() as download_info:
        emma.get_by_role("link", name="Download signed PDF").click()
    download = download_info.value
    assert download.suggested_filename == "emma-ellis-2027.pdf"
    signed_pdf = tmp_path / "signed.pdf"
    download.save_as(signed_pdf)
    assert sha256_of(signed_pdf) == archived_sha

    # Hana checks the downloaded file on the verification page.
    hana.get_by_role("link", name="Check a PDF").click()
    hana.get_by_label("PDF to check").set_input_files(signed_pdf)
    hana.get_by_role("button", name="Check the PDF").click()
    expect(hana.get_by_test_id("verify-result")).to_contain_text(
        "matches the archived PDF of Emma Ellis (E-1003), 2027")

    # Ada exports the period.
    _, ada = login("ada")
    ada.get_by_role("link", name="Export PDFs").click()
    ada.get_by_label("Period").select_option(label="2027")
    ada.get_by_role("button", name="Show what will be exported").click()
    expect(ada.get_by_test_id("export-summary")).to_contain_text("1 archived PDF")
    with ada.expect_download() as export_info:
        ada.get_by_role("button", name="Download the ZIP").click()
    export_path = tmp_path / "export.zip"
    export_info.value.save_as(export_path)
    with zipfile.ZipFile(export_path) as exported:
        manifest = list(csv.DictReader(io.StringIO(exported.read("manifest.csv").decode())))
        assert [row["employee"] for row in manifest] == ["Emma Ellis"]
        pdf = exported.read(manifest[0]["file"])
    assert hashlib.sha256(pdf).hexdigest() == manifest[0]["sha256"] == archived_sha
