"""The REST API as an integrator meets it: tokens and scopes, the access policy on every read,
writes through the services with the CSV import's messages, problem details, ETags,
Idempotency-Key, pages, filters and rate limits."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from goalsapp.models import Employee, ProgressEntry, ReviewPeriod
from reviews.api.models import ApiToken
from reviews.api.tokens import digest, token_revoke
from reviews.archive.models import SheetArchive
from tests.api_helpers import current_period, token_client
from tests.factories import EmployeeFactory
from tests.progress_helpers import signed_sheet

pytestmark = pytest.mark.django_db


def problem_of(response):
    assert response["Content-Type"].startswith("application/problem+json"), response.content
    return response.json()


# Tokens ----------------------------------------------------------------------------------------

def test_it_stores_only_the_tokens_hash_and_records_its_last_use(hr):
    client, token = token_client(hr.user, ["read"])
    assert token.last_used_at is None
    raw = client._credentials["HTTP_AUTHORIZATION"].split()[1]
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw not in str(ApiToken.objects.filter(pk=token.pk).values().first())
    assert stored.key_hash == digest(raw)
    assert client.get("/api/employees/").status_code == 200
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_a_revoked_or_unknown_token_is_refused_with_a_problem(hr):
    client, token = token_client(hr.user, ["read"])
    token_revoke(token)
    response = client.get("/api/employees/")
    assert response.status_code == 401
    assert problem_of(response)["detail"] == "This token is unknown or revoked."
    client.credentials(HTTP_AUTHORIZATION="Bearer gp_nonsense")
    assert client.get("/api/employees/").status_code == 401


def test_without_credentials_nothing_is_answered(employee):
    from rest_framework.test import APIClient
    response = APIClient().get("/api/sheets/")
    assert response.status_code in (401, 403)
    assert problem_of(response)["status"] == response.status_code


@pytest.mark.parametrize("path, body", [
    ("/api/employees/", {"employee_number": "E-9", "full_name": "N", "title": "T"}),
    ("/api/periods/", {"name": "x"}),
    ("/api/progress/actuals/", {"rows": []}),
])
def test_a_read_token_writes_nothing(hr, path, body):
    client, _token = token_client(hr.user, ["read"])
    before = (Employee.objects.count(), ReviewPeriod.objects.count())
    response = client.post(path, body, format="json")
    assert response.status_code == 403
    assert "lacks the" in problem_of(response)["detail"]
    assert (Employee.objects.count(), ReviewPeriod.objects.count()) == before


def test_a_write_token_without_read_reads_nothing(hr):
    client, _token = token_client(hr.user, ["write_actuals"])
    assert client.get("/api/employees/").status_code == 403


def test_the_admin_creates_a_token_shows_it_once_and_revokes_it(client, admin, hr):
    client.force_login(admin)
    response = client.post("/admin/api/apitoken/add/", {
        "name": "HRIS nightly", "acts_as": hr.user.pk, "scopes": ["read", "write_people"]},
        follow=True)
    assert response.status_code == 200
    token = ApiToken.objects.get(name="HRIS nightly")
    shown = [str(m) for m in response.context["messages"]][0]
    raw = shown.split(" is ")[1].split(" ")[0]
    assert token.key_hash == digest(raw) and token.scopes == ["read", "write_people"]
    client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None


# Reads follow the access policy ---------------------------------------------------------------

def test_an_employees_token_sees_only_their_own_sheets_and_person(employee, other_employee,
                                                                  period):
    mine, theirs = signed_sheet(employee, period), signed_sheet(other_employee, period)
    client, _token = token_client(employee.user, ["read"])
    listed = client.get("/api/sheets/").json()
    assert [row["id"] for row in listed["results"]] == [mine.pk]
    assert client.get(f"/api/sheets/{theirs.pk}/").status_code == 404
    missing = client.get("/api/sheets/999999/")
    assert missing.status_code == 404 and missing.content == client.get(
        f"/api/sheets/{theirs.pk}/").content  # nothing leaks
    assert [p["employee_number"] for p in client.get("/api/employees/").json()["results"]] \
        == ["E-1003"]
    assert client.get(f"/api/employees/{other_employee.pk}/").status_code == 404
    assert client.get("/api/dashboards/department/").status_code == 403


def test_a_supervisor_sees_their_line(supervisor, employee, other_employee):
    client, _token = token_client(supervisor.user, ["read"])
    numbers = {p["employee_number"] for p in client.get("/api/employees/").json()["results"]}
    assert numbers == {"E-1002", "E-1003"}


def test_the_sheet_detail_carries_goals_answers_signatures_and_events(employee, period, hr):
    sheet = signed_sheet(employee, period)
    client, _token = token_client(hr.user, ["read"])
    detail = client.get(f"/api/sheets/{sheet.pk}/").json()
    assert detail["state"] == "signed" and detail["is_signed"] is True
    assert [goal["position"] for goal in detail["goals"]] == [1, 2]
    assert {"answers", "target", "competency"} <= set(detail["goals"][0])
    assert detail["signatures"] == [] and detail["events"] == []
    assert detail["pdf_url"] is None


def test_the_archived_pdf_downloads_as_stored(employee, period, hr, other_employee):
    sheet = signed_sheet(employee, period)
    archive = SheetArchive.objects.create(sheet=sheet, status=SheetArchive.Status.RENDERED,
                                          sha256="ab" * 32, size=8)
    archive.file.save("archive/test.pdf", ContentFile(b"%PDF-1.7"), save=True)
    client, _token = token_client(hr.user, ["read"])
    response = client.get(f"/api/sheets/{sheet.pk}/pdf/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7"
    assert response["Content-Type"] == "application/pdf"
    assert client.get(f"/api/sheets/{sheet.pk}/").json()["pdf_url"].endswith(
        f"/api/sheets/{sheet.pk}/pdf/")
    outsider, _token = token_client(other_employee.user, ["read"])
    assert outsider.get(f"/api/sheets/{sheet.pk}/pdf/").status_code == 404


def test_pages_and_filters(hr, employee, other_employee):
    client, _token = token_client(hr.user, ["read"])
    page = client.get("/api/employees/?page_size=2").json()
    assert page["count"] == Employee.objects.count() and len(page["results"]) == 2
    assert page["next"]
    filtered = client.get("/api/employees/?territory=Midwest").json()
    assert [p["employee_number"] for p in filtered["results"]] == ["E-2002"]
    wrong = client.get("/api/employees/?performance_tier=nonsense")
    assert wrong.status_code == 400
    assert problem_of(wrong)["errors"][0]["field"] == "performance_tier"


def test_etag_and_if_none_match(hr, employee):
    client, _token = token_client(hr.user, ["read"])
    first = client.get("/api/employees/")
    etag = first["ETag"]
    again = client.get("/api/employees/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    EmployeeFactory(employee_number="E-7777")
    assert client.get("/api/employees/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_rate_limit_per_token(settings, hr):
    settings.API_RATE_LIMIT = "3/min"
    from django.core.cache import cache
    cache.clear()
    first, _token = token_client(hr.user, ["read"], name="first")
    second, _token = token_client(hr.user, ["read"], name="second")
    assert [first.get("/api/periods/").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert "Retry-After" in first.get("/api/periods/")
    assert second.get("/api/periods/").status_code == 200  # its own budget
    cache.clear()


# Writes ----------------------------------------------------------------------------------------

def test_bulk_actuals_are_recorded_with_the_csv_imports_rules(supervisor, employee):
    period = current_period()
    sheet = signed_sheet(employee, period)
    today = timezone.localdate().isoformat()
    client, _token = token_client(supervisor.user, ["write_actuals"])
    rows = [{"employee_number": "E-1003", "period": period.name, "goal": "1", "as_of": today,
             "actual": "42"},
            {"employee_number": "E-1003", "period": period.name, "goal": "2", "as_of": today,
             "actual": "7.5", "note": "AR push"}]
    response = client.post("/api/progress/actuals/", {"rows": rows}, format="json")
    assert response.status_code == 200, response.content
    assert response.json() == {"new": 2, "update": 0, "already_recorded": 0}
    assert ProgressEntry.objects.get(goal__sheet=sheet, goal__position=1).actual == Decimal(42)
    assert ProgressEntry.objects.filter(source="api").count() == 2
    again = client.post("/api/progress/actuals/", {"rows": rows}, format="json").json()
    assert again == {"new": 0, "update": 0, "already_recorded": 2}


def test_a_refused_row_names_itself_and_nothing_is_recorded(supervisor, employee,
                                                            other_employee):
    period = current_period()
    signed_sheet(employee, period)
    signed_sheet(other_employee, period)
    today = timezone.localdate().isoformat()
    client, _token = token_client(supervisor.user, ["write_actuals"])
    rows = [{"employee_number": "E-1003", "period": period.name, "goal": "1", "as_of": today,
             "actual": "5"},
            {"employee_number": "E-2002", "period": period.name, "goal": "1", "as_of": today,
             "actual": "5"},
            {"employee_number": "E-1003", "period": period.name, "goal": "2", "as_of": today,
             "actual": "lots"}]
    response = client.post("/api/progress/actuals/", {"rows": rows}, format="json")
    assert response.status_code == 422
    errors = {e["field"]: e["detail"] for e in problem_of(response)["errors"]}
    # Someone outside the line reads as an unknown number, as in the CSV import.
    assert errors == {"rows/1": "Unknown employee number “E-2002”.",
                      "rows/2": "“lots” is not a number."}
    assert not ProgressEntry.objects.exists()


def test_a_missing_field_is_named(supervisor, employee):
    client, _token = token_client(supervisor.user, ["write_actuals"])
    response = client.post("/api/progress/actuals/", {"rows": [{"period": "x"}]}, format="json")
    assert response.status_code == 422
    fields = {e["field"] for e in problem_of(response)["errors"]}
    assert "rows/0/employee_number" in fields


def test_an_employee_cannot_push_actuals(employee):
    client, _token = token_client(employee.user, ["write_actuals"])
    response = client.post("/api/progress/actuals/", {"rows": []}, format="json")
    assert response.status_code == 403


def test_people_are_created_updated_and_deactivated_never_deleted(hr, supervisor):
    client, _token = token_client(hr.user, ["read", "write_people"])
    created = client.post("/api/employees/", {
        "employee_number": "E-5001", "full_name": "Nia Novak", "email": "nia@example.com",
        "title": "Collections Specialist", "territory": "West", "performance_tier": "new",
        "supervisor_number": "E-1002"}, format="json")
    assert created.status_code == 201, created.content
    person = Employee.objects.get(employee_number="E-5001")
    assert person.supervisor == supervisor and person.user.email == "nia@example.com"
    assert not person.user.has_usable_password()
    changed = client.patch(f"/api/employees/{person.pk}/", {"performance_tier": "high",
                                                            "supervisor_number": None},
                           format="json")
    assert changed.status_code == 200 and changed.json()["supervisor_number"] is None
    gone = client.patch(f"/api/employees/{person.pk}/", {"is_active": False}, format="json")
    assert gone.json()["is_active"] is False
    person.refresh_from_db()
    assert person.user.is_active is False and person.history.first().history_user == hr.user
    assert client.delete(f"/api/employees/{person.pk}/").status_code == 405


def test_people_writes_name_the_wrong_field(hr, supervisor, employee):
    client, _token = token_client(hr.user, ["read", "write_people"])
    unknown = client.post("/api/employees/", {"employee_number": "E-5002", "full_name": "X",
                                              "title": "T", "supervisor_number": "E-404"},
                          format="json")
    assert unknown.status_code == 422
    assert problem_of(unknown)["errors"] == [
        {"field": "supervisor_number", "detail": "Unknown supervisor number “E-404”."}]
    loop = client.patch(f"/api/employees/{supervisor.pk}/", {"supervisor_number": "E-1003"},
                        format="json")
    assert loop.status_code == 422
    assert problem_of(loop)["errors"][0]["field"] == "supervisor_number"
    # The people sync's own sentence: one rule, services.supervisor_problem, for both.
    assert problem_of(loop)["errors"][0]["detail"] == "Reporting to E-1003 would make a loop."
    twin = client.post("/api/employees/", {"employee_number": "E-1003", "full_name": "X",
                                           "title": "T"}, format="json")
    assert problem_of(twin)["errors"][0]["field"] == "employee_number"


def test_only_hr_and_admins_change_people_even_with_the_scope(supervisor, employee):
    client, _token = token_client(supervisor.user, ["read", "write_people"])
    response = client.patch(f"/api/employees/{employee.pk}/", {"title": "Boss"}, format="json")
    assert response.status_code == 403
    employee.refresh_from_db()
    assert employee.title == "Collections Specialist"


def test_idempotency_key_makes_a_retry_change_nothing_twice(hr):
    client, _token = token_client(hr.user, ["read", "write_people"])
    body = {"employee_number": "E-6001", "full_name": "Ida Idem", "title": "AR Analyst"}
    first = client.post("/api/employees/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    retry = client.post("/api/employees/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json() and retry["Idempotent-Replayed"] == "true"
    assert Employee.objects.filter(employee_number="E-6001").count() == 1
    other = client.post("/api/employees/", {**body, "employee_number": "E-6002"},
                        format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert other.status_code == 422
    assert problem_of(other)["errors"][0]["field"] == "Idempotency-Key"


def test_periods_are_created_and_keep_the_models_rules(hr):
    client, _token = token_client(hr.user, ["read", "write_people"])
    body = {"name": "2028", "starts_on": "2028-01-01", "ends_on": "2028-12-31",
            "goals_due": "2028-01-31", "answers_due": "2028-02-14",
            "signatures_due": "2028-02-28", "hr_review_due": "2028-03-15"}
    created = client.post("/api/periods/", body, format="json")
    assert created.status_code == 201, created.content
    wrong = client.patch(f"/api/periods/{created.json()['id']}/", {"ends_on": "2027-01-01"},
                         format="json")
    assert wrong.status_code == 422
    assert problem_of(wrong)["errors"][0]["field"] == "ends_on"


def test_the_schema_and_docs_page_are_served(hr, client):
    api, _token = token_client(hr.user, ["read"])
    schema = api.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/api/employees/", "/api/sheets/{id}/pdf/", "/api/progress/actuals/",
            "/api/dashboards/department/"} <= set(paths)
    client.force_login(hr.user)
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content


def test_the_browser_session_reads_the_api(client, employee, period):
    signed_sheet(employee, period)
    client.force_login(employee.user)
    assert client.get("/api/sheets/").json()["count"] == 1


def test_department_figures_follow_the_dashboard_scope(hr, employee, period):
    signed_sheet(employee, period)
    client, _token = token_client(hr.user, ["read"])
    rows = client.get(f"/api/dashboards/department/?period={period.pk}&group_by=title").json()
    assert [row["label"] for row in rows] == ["Collections Specialist"]
    wrong = client.get("/api/dashboards/department/?group_by=shoe")
    assert problem_of(wrong)["errors"][0]["field"] == "group_by"


@pytest.mark.parametrize("body", [
    [], {}, {"rows": None}, {"rows": "x"}, {"rows": []},
    {"rows": [{"employee_number": "E-1", "period": "P", "goal": 1, "as_of": "2027-01-01",
               "actual": "x" * 41},
              5,
              {"employee_number": True, "period": None, "goal": "", "as_of": "d", "actual": "1",
               "note": ""},
              {"employee_number": " E ", "period": "P\x00", "goal": "1", "as_of": "d",
               "actual": 1.5, "note": "two\\nlines"}]},
    {"rows": [{"employee_number": " E ", "period": "P", "goal": "1", "as_of": "d",
               "actual": 1.5, "note": " x ", "extra": 1}]},
])
def test_the_plain_check_of_bulk_actuals_says_what_the_serializer_says(body):
    """`actual_rows` replaces ActualsSerializer for speed: the same rows or the same errors."""
    from rest_framework.exceptions import ValidationError

    from reviews.api.problems import _flatten
    from reviews.api.serializers import ActualsSerializer, actual_rows

    serializer = ActualsSerializer(data=body)
    try:
        rows, errors = actual_rows(body), []
    except ValidationError as error:
        rows, errors = None, _flatten(error.detail)
    if serializer.is_valid():
        assert rows == [dict(row) for row in serializer.validated_data["rows"]]
    else:
        assert errors == _flatten(serializer.errors)
