"""Schemathesis over every endpoint and method of the API's own schema, once as each token scope:
no server error, every response as the schema says (status, content type, headers, body), and
nothing outside a token's scope or its user's visibility is readable or writable — asserted for
each generated request, not only run.

The schema is the one /api/schema/ serves; requests go through Django's WSGI application in
this process, so the test database and its transaction are the app's. Examples are few and
derandomized (a fixed seed): the suite stays minutes, and a failure replays."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from goalsapp import access
from goalsapp.ar.models import LedgerLoad
from goalsapp.models import Employee, ProgressEntry, ReviewPeriod
from reviews.api.models import ApiToken
from reviews.api.tokens import token_create
from tests.api_helpers import current_period
from tests.progress_helpers import signed_sheet

EXAMPLES = 12
CHECKS = [checks.not_a_server_error, checks.status_code_conformance,
          checks.content_type_conformance, checks.response_headers_conformance,
          checks.response_schema_conformance]
# Which scope each operation needs: every read needs "read", each write the scope its view names.
WRITE_SCOPE = {"/api/employees/": "write_people", "/api/employees/{id}/": "write_people",
               "/api/periods/": "write_people", "/api/periods/{id}/": "write_people",
               "/api/progress/actuals/": "write_actuals",
               **{f"/api/ar/{kind}/": "write_ar" for kind in LedgerLoad.Kind.values}}
# Each scope is tried as the user such a token is issued for: a read token of a supervisor (so
# what lies outside their line must stay unseen), an AR system's actuals token of a supervisor,
# an HRIS token of HR for people and periods, and an AR system's ledger token of HR.
TOKENS = {"read": "supervisor", "write_actuals": "supervisor", "write_people": "hr",
          "write_ar": "hr"}


def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


SCHEMA = _schema()
OPERATIONS = [(path, method.upper()) for path, item in SCHEMA["paths"].items()
              for method in item if not path.startswith("/api/schema")]


def test_every_operation_is_covered():
    assert {path for path, _m in OPERATIONS} >= {
        "/api/employees/", "/api/employees/{id}/", "/api/periods/", "/api/periods/{id}/",
        "/api/sheets/", "/api/sheets/{id}/", "/api/sheets/{id}/pdf/",
        "/api/sheets/{id}/progress/", "/api/progress/actuals/", "/api/dashboards/department/",
        "/api/ar/invoices/", "/api/ar/payments/"}
    assert {method for _p, method in OPERATIONS} == {"GET", "POST", "PATCH"}


@pytest.fixture
def wsgi_app():
    """The WSGI application, kept from closing the test's connection after each request (as
    Django's own test client does): the test database lives in that connection's transaction."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(settings, supervisor, employee, other_employee, hr):
    """People on both sides of the supervisor's line, signed sheets with actuals on each."""
    settings.ALLOWED_HOSTS = ["*"]
    settings.API_RATE_LIMIT = "100000/min"
    period = current_period()
    for person in (employee, other_employee):
        signed_sheet(person, period)
    return {"supervisor": supervisor.user, "hr": hr.user}


def _counts():
    return (Employee.objects.count(), ReviewPeriod.objects.count(),
            ProgressEntry.objects.count(), LedgerLoad.objects.count(),
            list(Employee.objects.order_by("pk").values()),
            list(ReviewPeriod.objects.order_by("pk").values()))


def _ids_in(body) -> list[int]:
    if isinstance(body, dict) and isinstance(body.get("results"), list):
        return [row["id"] for row in body["results"] if isinstance(row, dict) and "id" in row]
    if isinstance(body, dict) and "id" in body:
        return [body["id"]]
    return []


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize("scope", list(TOKENS))
@pytest.mark.parametrize("path, method", OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_schemathesis(world, wsgi_app, scope, path, method):
    user = world[TOKENS[scope]]
    _token, raw = token_create(name=f"schemathesis {scope}", acts_as=user, scopes=[scope])
    schema = schemathesis.openapi.from_dict(SCHEMA)
    schema.app = wsgi_app
    operation = schema[path][method]
    needed = WRITE_SCOPE[path] if method != "GET" else ApiToken.Scope.READ
    visible = {
        "/api/employees/": set(access.employees_visible_to(user).values_list("pk", flat=True)),
        "/api/sheets/": set(access.sheets_visible_to(user).values_list("pk", flat=True)),
    }
    collection = next((prefix for prefix in visible if path.startswith(prefix)), None)
    statuses = []

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {raw}"}
        before = _counts()
        response = case.call()
        statuses.append(response.status_code)
        case.validate_response(response, checks=CHECKS)
        if needed != scope:
            # Outside the token's scope: refused, and nothing changed.
            assert response.status_code == 403, (case.path, response.text)
            assert _counts() == before
            return
        if method == "GET" and collection and response.status_code == 200 \
                and not path.endswith(("/pdf/", "/progress/")):
            assert set(_ids_in(response.json())) <= visible[collection], response.text
        if method != "GET" and TOKENS[scope] == "supervisor" and needed == "write_people":
            assert response.status_code in (403, 404) and _counts() == before

    run()
    assert statuses and 500 not in statuses
