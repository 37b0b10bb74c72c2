"""Bulk exports: a ZIP of the archived PDFs and a manifest whose hashes match the files, small
exports streamed, large ones as a job with progress, filters, visibility and bad input."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from goalsapp.models import SheetState
from reviews.archive import exports
from reviews.archive.exports import ExportFilters
from reviews.archive.models import ExportJob, SheetArchive
from tests.archive import archive_helpers
from tests.archive.archive_helpers import archive_of, sha256, sign_for_hr, stored_bytes
from tests.factories import EmployeeFactory, GoalFactory, GoalSheetFactory, ReviewPeriodFactory
from tests.page_helpers import by_testid, field_error, login

pytestmark = pytest.mark.django_db

signed_sheet = archive_helpers.signed_sheet


@pytest.fixture(autouse=True)
def quick_renderer(monkeypatch):
    """Exports copy whatever was stored; a small stand-in PDF per sheet keeps these tests fast
    (test_pdf.py renders for real)."""
    from reviews.archive import services

    monkeypatch.setattr(services, "render_sheet_pdf",
                        lambda sheet, draft=False: b"%%PDF-1.7 sheet %d " % sheet.pk * 500)


@pytest.fixture
def signed_office(signed_sheet, other_employee, period, advance, hr,
                  django_capture_on_commit_callbacks):
    """Emma's (Northeast, Sam's team) and Oliver's (Midwest, Otto's team) signed 2027 sheets,
    and a 2026 sheet of Oliver's that must never appear in a 2027 export."""
    olivers = GoalSheetFactory(employee=other_employee, period=period)
    GoalFactory(sheet=olivers)
    last_year = GoalSheetFactory(employee=other_employee, period=ReviewPeriodFactory(name="2026"))
    GoalFactory(sheet=last_year)
    for sheet in (olivers, last_year):
        sign_for_hr(sheet, advance, django_capture_on_commit_callbacks)
    return {"emma": signed_sheet, "oliver": olivers, "oliver_2026": last_year}


def read_zip(data: bytes) -> tuple[dict[str, bytes], list[dict]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        files = {name: archive.read(name) for name in archive.namelist()}
    manifest = list(csv.DictReader(io.StringIO(files.pop("manifest.csv").decode())))
    return files, manifest


def export(client, **filters):
    return client.post(reverse("archive_export"), filters)


def test_a_small_export_streams_a_zip_whose_manifest_matches_its_files(client, admin,
                                                                         signed_office, period):
    login(client, admin)

    response = export(client, period=period.pk)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="goal-sheets-period-2027.zip"'
    files, manifest = read_zip(b"".join(response.streaming_content))
    assert [row["employee"] for row in manifest] == ["Emma Ellis", "Oliver Owens"]
    assert sorted(files) == sorted(row["file"] for row in manifest)
    for row in manifest:
        assert sha256(files[row["file"]]) == row["sha256"]
        assert int(row["size_bytes"]) == len(files[row["file"]])
        assert row["file_check"] == "ok"
        assert row["period"] == "2027"
        assert all(row[f"{role}_signed"] for role in ("supervisor", "employee", "hr"))
    emma = next(row for row in manifest if row["employee"] == "Emma Ellis")
    assert emma["employee_number"] == "E-1003"
    assert emma["sha256"] == archive_of(signed_office["emma"]).sha256
    assert files[emma["file"]] == stored_bytes(archive_of(signed_office["emma"]))
    assert not ExportJob.objects.exists()


def test_the_export_copies_stored_files_and_never_renders(client, admin, signed_office, period,
                                                          monkeypatch):
    from reviews.archive import pdf

    monkeypatch.setattr(pdf, "render_sheet_pdf", lambda *a, **k: pytest.fail("re-rendered"))
    login(client, admin)

    files, manifest = read_zip(b"".join(export(client, period=period.pk).streaming_content))

    assert len(files) == 2


@pytest.mark.parametrize("filters, expected", [
    ({"territory": "Midwest"}, ["Oliver Owens"]),
    ({"title": "Collections Specialist"}, ["Emma Ellis"]),
    ({"supervisor": "sam"}, ["Emma Ellis"]),
    ({"supervisor": "otto"}, ["Oliver Owens"]),
])
def test_filters_narrow_the_export(client, admin, signed_office, period, supervisor,
                                   other_supervisor, filters, expected):
    people = {"sam": supervisor.pk, "otto": other_supervisor.pk}
    values = {name: people.get(value, value) for name, value in filters.items()}
    login(client, admin)

    response = export(client, period=period.pk, **values)

    _, manifest = read_zip(b"".join(response.streaming_content))
    assert [row["employee"] for row in manifest] == expected


def test_the_visibility_policy_decides_what_an_export_holds(signed_office, period, supervisor,
                                                            manager, employee):
    filters = ExportFilters(period_id=period.pk)

    def names(user):
        return [a.sheet.employee_name for a in exports.archives_for(user, filters)]

    assert names(supervisor.user) == ["Emma Ellis"]
    assert names(manager.user) == ["Emma Ellis"]
    assert names(employee.user) == ["Emma Ellis"]
    assert names(EmployeeFactory().user) == []


@pytest.fixture
def olivers_render_fails(monkeypatch, other_employee):
    """Oliver's PDFs fail to render (a stored archive can no longer be emptied afterwards)."""
    from reviews.archive import services

    def render(sheet, draft=False):
        if sheet.employee_id == other_employee.pk:
            raise RuntimeError("the renderer is down")
        return b"%%PDF-1.7 sheet %d " % sheet.pk * 500

    monkeypatch.setattr(services, "render_sheet_pdf", render)


def test_the_form_page_says_what_will_be_exported_and_what_is_missing(
        client, admin, olivers_render_fails, signed_office, period):
    assert SheetArchive.objects.get(sheet=signed_office["oliver"]).status == "failed"
    login(client, admin)

    response = client.get(reverse("archive_export"), {"period": period.pk})

    summary = by_testid(response, "export-summary")
    assert "1 archived PDF" in summary and "of 2 signed sheets" in summary
    assert "Oliver Owens" in summary  # not archived yet: named, not silently left out
    assert by_testid(response, "export-button") == "Download the ZIP"


def test_a_large_export_becomes_a_job_with_progress_and_a_download(
        client, admin, signed_office, period, settings, django_capture_on_commit_callbacks):
    settings.ARCHIVE_EXPORT_STREAM_LIMIT = 1
    login(client, admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = export(client, period=period.pk)

    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("export_job", args=[job.pk])
    assert job.status == ExportJob.Status.DONE and (job.done, job.total) == (2, 2)
    progress = client.get(reverse("export_job_progress", args=[job.pk]))
    assert "hx-get" not in progress.content.decode()  # finished: the polling stops
    assert by_testid(progress, "export-download").startswith("Download the ZIP")
    download = client.get(reverse("export_job_download", args=[job.pk]))
    files, manifest = read_zip(b"".join(download.streaming_content))
    assert {sha256(files[row["file"]]) for row in manifest} == {
        archive_of(signed_office["emma"]).sha256, archive_of(signed_office["oliver"]).sha256}


def test_a_running_job_polls_its_progress(client, admin, period):
    job = ExportJob.objects.create(created_by=admin, filters={"period_id": period.pk},
                                   status=ExportJob.Status.RUNNING, total=200, done=40)
    login(client, admin)

    response = client.get(reverse("export_job", args=[job.pk]))

    content = response.content.decode()
    assert f'hx-get="{reverse("export_job_progress", args=[job.pk])}"' in content
    assert 'aria-valuenow="20"' in content
    assert "40 of 200 files written" in by_testid(response, "export-progress")


def test_a_job_runs_once(admin, signed_office, period):
    job = exports.export_job_create(actor=admin, filters=ExportFilters(period_id=period.pk))
    # No commit in this test, so nothing was queued; run it by hand, twice.
    first = exports.export_job_run(job.pk)
    second = exports.export_job_run(job.pk)

    assert first.status == second.status == ExportJob.Status.DONE
    assert first.file.name == second.file.name


def test_a_failing_job_says_so(admin, period, monkeypatch):
    job = exports.export_job_create(actor=admin, filters=ExportFilters(period_id=period.pk))
    monkeypatch.setattr(exports, "archives_for", lambda *a: 1 / 0)

    done = exports.export_job_run(job.pk)

    assert done.status == ExportJob.Status.FAILED
    assert "ZeroDivisionError" in done.error


@pytest.mark.parametrize("values, field, message", [
    ({}, "id_period", "Choose the review period to export."),
    ({"period": "999999"}, "id_period", "Choose one of the review periods listed."),
    ({"territory": "Atlantis"}, "id_territory", "Choose one of the territories listed."),
    ({"title": "Astronaut"}, "id_title", "Choose one of the titles listed."),
    ({"supervisor": "abc"}, "id_supervisor", "Choose one of the supervisors listed."),
])
def test_bad_filters_are_named_next_to_their_field(client, admin, signed_office, period, values,
                                                   field, message):
    login(client, admin)
    data = {"period": period.pk, **values} if values != {} else {}

    response = export(client, **data)

    assert response.status_code == 200
    assert field_error(response, field) == message
    assert not ExportJob.objects.exists()


def test_a_period_with_nothing_signed_offers_no_download(client, admin, period):
    login(client, admin)

    response = client.get(reverse("archive_export"), {"period": period.pk})

    assert "0 archived PDFs" in by_testid(response, "export-summary")
    assert "export-button" not in response.content.decode()


def test_exports_of_another_period_are_not_mixed_in(client, admin, signed_office):
    login(client, admin)
    last_year = signed_office["oliver_2026"].period

    _, manifest = read_zip(b"".join(export(client, period=last_year.pk).streaming_content))

    assert [(row["employee"], row["period"]) for row in manifest] == [("Oliver Owens", "2026")]
    assert signed_office["oliver_2026"].state == SheetState.SIGNED
