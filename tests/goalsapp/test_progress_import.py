"""Bulk loads of actuals from CSV: every kind of bad row and bad file, the preview kept
server-side, one transaction, and no duplicates on a re-upload."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goalsapp.models import ProgressEntry, ProgressImport
from tests.factories import EmployeeFactory, GoalSheetFactory
from tests.progress_helpers import signed_sheet

pytestmark = pytest.mark.django_db
HEADER = "employee_number,period,goal,as_of,actual,note\n"


@pytest.fixture(autouse=True)
def at_midyear(time_machine):
    time_machine.move_to(datetime.datetime(2027, 7, 2, 12, tzinfo=datetime.UTC), tick=False)


@pytest.fixture
def emma_signed(employee, period):
    return signed_sheet(employee, period, goals=2)


def _upload(client, user, text, *, encoding="utf-8", name="actuals.csv"):
    client.force_login(user)
    raw = text.encode(encoding) if isinstance(text, str) else text
    return client.post(reverse("progress_import"),
                       {"file": SimpleUploadedFile(name, raw, content_type="text/csv")})


def _preview(client, response):
    assert response.status_code == 302, response.content.decode()[:500]
    page = client.get(response["Location"])
    return page, page.context["preview"]


def test_valid_rows_preview_then_import_in_one_go(client, hr, employee, emma_signed):
    text = HEADER + ("E-1003,2027,1,2027-03-31,40,From AR\n"
                     "E-1003,2027,2,2027-06-30,\"1,250.50\",\n")
    page, preview = _preview(client, _upload(client, hr.user, text))
    assert [row.outcome for row in preview.rows] == ["new", "new"]
    assert not ProgressEntry.objects.exists()  # nothing is saved by a preview
    assert "2 valid rows: 2 new" in page.content.decode()
    upload = ProgressImport.objects.get()
    response = client.post(reverse("progress_import_confirm", args=[upload.token]), follow=True)
    assert "Imported 2 new actuals" in response.content.decode()
    assert sorted(ProgressEntry.objects.values_list("actual", flat=True)) == [
        Decimal("40"), Decimal("1250.50")]
    assert set(ProgressEntry.objects.values_list("source", "entered_by")) == {("csv", hr.user.pk)}


def test_every_kind_of_bad_row_is_named_and_skipped(client, hr, employee, other_employee,
                                                    emma_signed, period):
    draft_owner = EmployeeFactory(employee_number="E-9000")
    GoalSheetFactory(employee=draft_owner, period=period)
    rows = [
        "E-0000,2027,1,2027-03-31,40,",  # unknown employee
        "E-1003,2031,1,2027-03-31,40,",  # unknown period
        "E-1003,2027,7,2027-03-31,40,",  # unknown goal
        "E-1003,2027,first,2027-03-31,40,",  # a goal that is not a number
        "E-1003,2027,1,2027-03-31,lots,",  # not a number
        "E-1003,2027,1,31/03/2027,40,",  # not a date
        "E-1003,2027,1,2026-12-31,40,",  # outside the period
        "E-1003,2027,1,2027-07-03,40,",  # in the future
        "E-1003,2027,1,2027-03-30,-4,",  # negative count
        "E-1003,2027,1,,40,",  # empty cell
        "E-9000,2027,1,2027-03-31,40,",  # a sheet that is not signed
        "E-2002,2027,1,2027-03-31,40,",  # a person with no sheet this period
        "E-1003,2027,2,2027-03-31,40,a,extra",  # too many cells
        "E-1003,2027,1,2027-04-30,41,",  # valid
        "E-1003,2027,1,2027-04-30,42,",  # the same goal and date twice in the file
    ]
    page, preview = _preview(client, _upload(client, hr.user, HEADER + "\n".join(rows) + "\n"))
    errors = [" ".join(row.errors) for row in preview.rows]
    expected = ["Unknown employee number “E-0000”", "Unknown period “2031”",
                "Unknown goal “7”", "Unknown goal “first”", "“lots” is not a number",
                "is not a date", "outside the period", "in the future", "cannot be negative",
                "The as_of is empty", "not signed yet", "has no goal sheet for 2027",
                "This row has 7 cells", "", "Line 15 already gives this goal's actual"]
    for error, words in zip(errors, expected, strict=True):
        assert (words in error) if words else error == "", (error, words)
    html = page.content.decode()
    assert html.count('data-testid="row-error"') == 14
    assert "1 valid row: 1 new" in html
    upload = ProgressImport.objects.get()
    client.post(reverse("progress_import_confirm", args=[upload.token]))
    assert list(ProgressEntry.objects.values_list("actual", flat=True)) == [Decimal(41)]


@pytest.mark.parametrize(("raw", "message"), [
    ("", "The file is empty"),
    ("employee_number,goal,as_of\nE-1003,1,2027-03-31\n", "Missing columns: period, actual"),
    (HEADER, "has a header but no rows"),
    ("Employee Number;Period\n", "Missing columns"),
    ("employee_number,period,goal,as_of,actual\n\"E-1003,2027,1\n", "not valid CSV"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not UTF-8"),
    ("employé,période\n".encode("latin-1"), "not UTF-8"),
])
def test_a_file_that_cannot_be_read_is_explained_on_the_upload_field(client, hr, raw, message):
    response = _upload(client, hr.user, raw)
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors["file"])
    assert not ProgressImport.objects.exists()


def test_a_utf8_file_with_a_byte_order_mark_and_windows_line_ends_reads(client, hr, employee,
                                                                       emma_signed):
    text = "\ufeff" + HEADER.replace("\n", "\r\n") + "E-1003,2027,1,2027-03-31,40,\r\n"
    _page, preview = _preview(client, _upload(client, hr.user, text))
    assert [row.outcome for row in preview.rows] == ["new"]


def test_a_re_upload_records_nothing_twice(client, hr, employee, emma_signed):
    text = HEADER + "E-1003,2027,1,2027-03-31,40,\nE-1003,2027,2,2027-03-31,55,\n"
    for _ in range(2):
        _page, _preview_rows = _preview(client, _upload(client, hr.user, text))
        upload = ProgressImport.objects.latest("pk")
        client.post(reverse("progress_import_confirm", args=[upload.token]))
    assert ProgressEntry.objects.count() == 2
    page, preview = _preview(client, _upload(client, hr.user, text))
    assert "0 new, 0 replacing an earlier value, 2 already recorded" in page.content.decode()
    upload = ProgressImport.objects.latest("pk")
    response = client.post(reverse("progress_import_confirm", args=[upload.token]), follow=True)
    assert "Imported 0 new actuals, updated 0; 2 already recorded" in response.content.decode()
    # A corrected export replaces the value for that date rather than adding a second one.
    _preview(client, _upload(client, hr.user, text.replace(",55,", ",60,")))
    upload = ProgressImport.objects.latest("pk")
    client.post(reverse("progress_import_confirm", args=[upload.token]))
    assert sorted(ProgressEntry.objects.values_list("actual", flat=True)) == [
        Decimal(40), Decimal(60)]


def test_a_supervisor_imports_for_their_line_only(client, supervisor, employee, emma_signed,
                                                  other_employee, period):
    signed_sheet(other_employee, period)
    text = HEADER + "E-1003,2027,1,2027-03-31,40,\nE-2002,2027,1,2027-03-31,40,\n"
    _page, preview = _preview(client, _upload(client, supervisor.user, text))
    assert preview.rows[0].is_valid
    assert "Unknown employee number “E-2002”" in preview.rows[1].errors[0]


def test_a_collector_may_not_bulk_load(client, employee):
    client.force_login(employee.user)
    response = client.get(reverse("progress_import"))
    assert response.status_code == 403
    assert "Bulk loads are for" in response.content.decode()


def test_an_upload_is_only_its_uploaders(client, hr, admin, employee, emma_signed):
    _preview(client, _upload(client, hr.user, HEADER + "E-1003,2027,1,2027-03-31,40,\n"))
    upload = ProgressImport.objects.get()
    client.force_login(admin)
    assert client.get(reverse("progress_import_preview", args=[upload.token])).status_code == 404
    assert client.post(reverse("progress_import_confirm",
                               args=[upload.token])).status_code == 404
    assert not ProgressEntry.objects.exists()


def test_the_preview_is_checked_again_at_import(client, hr, employee, emma_signed, time_machine):
    """The server keeps the file, not the verdicts: a row that became invalid is skipped."""
    _preview(client, _upload(client, hr.user, HEADER + "E-1003,2027,1,2027-03-31,40,\n"))
    upload = ProgressImport.objects.get()
    ProgressImport.objects.filter(pk=upload.pk).update(
        content=upload.content.replace("40", "not-a-number"))
    response = client.post(reverse("progress_import_confirm", args=[upload.token]), follow=True)
    assert re.search(r"Imported 0 new actuals.*1 row with errors skipped",
                     response.content.decode())
    assert not ProgressEntry.objects.exists()


def test_the_template_csv_has_the_columns(client, hr):
    client.force_login(hr.user)
    response = client.get(reverse("progress_import_template"))
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode().splitlines()[0] == HEADER.strip()


def test_a_file_over_the_limit_is_refused_by_its_size(client, hr):
    from goalsapp.progress_csv import MAX_BYTES

    response = _upload(client, hr.user, HEADER + "x" * MAX_BYTES)
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "The file is larger than 2 MB: split it and upload the parts one by one."]
    assert not ProgressImport.objects.exists()
