"""Who may open what among the archive's URLs (reviews/archive/urls.py), persona by persona, in
the style of test_permissions.py: a sheet you may not see answers 404 exactly like a sheet that
does not exist; a page your role may not use answers 403 with a sentence saying why."""

from dataclasses import dataclass

import pytest
from django.urls import reverse

from reviews.archive import exports
from reviews.archive import urls as archive_urls
from reviews.archive.exports import ExportFilters
from reviews.archive.models import SheetArchive
from reviews.closing_states import ClosingState
from tests.archive.archive_helpers import sign_for_hr
from tests.closing_helpers import advance_closing, open_closing
from tests.page_helpers import by_testid
from tests.permission_helpers import LOGIN, PERSONAS, page_without_csrf, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_renderer(monkeypatch):
    """The archived file's content does not matter here (test_pdf.py renders for real)."""
    from reviews.archive import services

    monkeypatch.setattr(services, "render_sheet_pdf",
                        lambda sheet, draft=False: b"%PDF-1.7 stand-in")
    monkeypatch.setattr(services, "render_closing_pdf",
                        lambda review, draft=False: b"%PDF-1.7 closing stand-in")


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    allowed: tuple[str, ...]  # personas who get the page (200 or a redirect after a POST)
    reason: str = ""  # the start of the 403 sentence for the others

    def __str__(self):
        return f"{self.method.upper()} {self.name}"


SEES_EMMA = ("employee", "supervisor", "manager", "hr", "admin")
CASES = (
    Case("sheet_pdf", "get", SEES_EMMA),
    Case("sheet_pdf_preview", "get", SEES_EMMA),
    Case("sheet_pdf_retry", "post", ("admin",), "Only an administrator may retry the rendering"),
    Case("closing_pdf", "get", SEES_EMMA),
    Case("closing_pdf_retry", "post", ("admin",),
         "Only an administrator may retry the rendering"),
    Case("archive_export", "get", ("admin",), "Bulk exports of signed PDFs are for"),
    Case("archive_export", "post", ("admin",), "Bulk exports of signed PDFs are for"),
    # A job is visible only to whoever asked for it and to admins: for anyone else it is not
    # there at all.
    Case("export_job", "get", ("admin",)),
    Case("export_job_progress", "get", ("admin",)),
    Case("export_job_download", "get", ("admin",)),
    Case("archive_verify", "get", ("hr", "admin"), "Checking a PDF against the archive"),
    Case("archive_verify", "post", ("hr", "admin"), "Checking a PDF against the archive"),
)
OUTSIDERS = ("other_employee", "other_supervisor")  # Emma's sheet is not in their line
ABOUT_A_SHEET = {"sheet_pdf", "sheet_pdf_preview", "sheet_pdf_retry", "closing_pdf",
                 "closing_pdf_retry"}
ABOUT_A_JOB = {"export_job", "export_job_progress", "export_job_download"}


@pytest.fixture
def people(employee, supervisor, manager, other_supervisor, other_employee, hr, admin):
    return {"anonymous": None, "employee": employee, "supervisor": supervisor,
            "manager": manager, "other_supervisor": other_supervisor,
            "other_employee": other_employee, "hr": hr, "admin": admin}


@pytest.fixture
def archived(sheet, advance, hr, admin, period, django_capture_on_commit_callbacks):
    signed = sign_for_hr(sheet, advance, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        advance_closing(open_closing(signed, hr_user=hr.user), ClosingState.CLOSED,
                        hr_user=hr.user)
    job = exports.export_job_create(actor=admin, filters=ExportFilters(period_id=period.pk))
    exports.export_job_run(job.pk)  # no commit in this test: run the job by hand
    assert job.description == "period 2027"
    return signed, job


def path(case: Case, sheet_pk: int, job_pk: int) -> str:
    if case.name in ABOUT_A_SHEET:
        return reverse(case.name, args=[sheet_pk])
    if case.name in ABOUT_A_JOB:
        return reverse(case.name, args=[job_pk])
    return reverse(case.name)


def fetch(client, case: Case, url: str, period):
    if case.method == "get":
        return client.get(url)
    return client.post(url, {"period": period.pk})


@pytest.mark.parametrize("case", CASES, ids=str)
@pytest.mark.parametrize("persona", PERSONAS)
def test_archive_url_permissions(client, people, archived, period, case, persona):
    sheet, job = archived
    sign_in(client, people[persona])
    before = list(SheetArchive.objects.values_list("status", "sha256", "attempts"))

    response = fetch(client, case, path(case, sheet.pk, job.pk), period)

    if persona == "anonymous":
        assert response.status_code == 302 and response.url.startswith(f"{LOGIN}?next=")
    elif persona in case.allowed:
        assert response.status_code in ((302,) if case.method == "post" and
                                         case.name.endswith("_retry") else (200,))
    elif case.name in ABOUT_A_JOB or (case.name in ABOUT_A_SHEET and persona in OUTSIDERS):
        missing = fetch(client, case, path(case, sheet.pk + 10_000, job.pk + 10_000), period)
        assert response.status_code == missing.status_code == 404
        assert page_without_csrf(response.content) == page_without_csrf(missing.content)
        leak = job.description if case.name in ABOUT_A_JOB else "Ellis"
        assert leak.encode() not in response.content
    else:
        assert response.status_code == 403
        assert by_testid(response, "forbidden-reason").startswith(case.reason)
    assert list(SheetArchive.objects.values_list("status", "sha256", "attempts")) == before


def test_the_matrix_covers_every_archive_url():
    assert {case.name for case in CASES} == {p.name for p in archive_urls.urlpatterns}


def test_a_job_is_downloaded_by_whoever_asked_for_it_or_another_admin(client, archived):
    _, job = archived
    from tests.factories import UserFactory

    colleague = UserFactory(is_staff=True)
    client.force_login(colleague)

    assert client.get(reverse("export_job_download", args=[job.pk])).status_code == 200
