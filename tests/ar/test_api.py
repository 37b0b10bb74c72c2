"""The AR ledger through the API: a `write_ar` token of HR or an administrator loads a batch,
every wrong row answers 422 naming rows/<index>/<field> and nothing is written, a retry with
the same Idempotency-Key changes nothing twice, and the same rows again are counted
unchanged."""

import pytest

from goalsapp.ar.models import CustomerAccount, LedgerLoad
from tests.api_helpers import token_client

pytestmark = pytest.mark.django_db

URL = "/api/ar/accounts/"
BATCH = {"batch_id": "nightly-1", "rows": [
    {"number": "A1", "name": "Acme", "collector": "E-1003", "territory": "West"},
    {"number": "A2", "name": "Bolt"}]}


def test_a_batch_is_loaded_and_the_same_rows_again_change_nothing(hr, employee):
    client, _token = token_client(hr.user, ["write_ar"])
    response = client.post(URL, BATCH, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert {key: body[key] for key in ("batch_id", "rows", "new", "changed", "unchanged")} == {
        "batch_id": "nightly-1", "rows": 2, "new": 2, "changed": 0, "unchanged": 0}
    load = LedgerLoad.objects.get(pk=body["load"])
    assert (load.channel, load.kind, load.loaded_by) == ("api", "accounts", hr.user)
    assert CustomerAccount.objects.get(number="A1").collector == employee
    again = client.post(URL, BATCH, format="json").json()
    assert (again["new"], again["changed"], again["unchanged"]) == (0, 0, 2)


def test_wrong_rows_are_named_and_nothing_is_written(hr, employee):
    client, _token = token_client(hr.user, ["write_ar"])
    response = client.post(URL, {"rows": [
        {"number": "A1", "name": "Acme", "collector": "E-404"},
        {"number": "A2", "name": ""},
        {"number": "A3", "name": ["not", "text"]}]}, format="json")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [
        {"field": "rows/2/name", "detail": "Not a valid string."}]
    response = client.post(URL, {"rows": [
        {"number": "A1", "name": "Acme", "collector": "E-404"},
        {"number": "A2", "name": ""}]}, format="json")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "rows/0/collector",
         "detail": "Unknown collector: no employee has the number “E-404”."},
        {"field": "rows/1/name", "detail": "The account name is empty."}]
    assert not CustomerAccount.objects.exists() and not LedgerLoad.objects.exists()


@pytest.mark.parametrize("body, field", [
    ([], ""), ({"rows": []}, "rows"), ({"rows": "x"}, "rows"),
    ({"rows": [1]}, "rows/0"), ({"rows": [{"number": "A"}], "batch_id": 5}, "batch_id"),
])
def test_a_malformed_body_is_a_problem_naming_the_field(hr, body, field):
    client, _token = token_client(hr.user, ["write_ar"])
    response = client.post(URL, body, format="json")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_the_scope_and_the_role_are_both_required(hr, supervisor):
    without_scope, _ = token_client(hr.user, ["read", "write_actuals", "write_people"])
    response = without_scope.post(URL, BATCH, format="json")
    assert response.status_code == 403 and "write_ar" in response.json()["detail"]
    not_hr, _ = token_client(supervisor.user, ["write_ar"])
    assert not_hr.post(URL, BATCH, format="json").status_code == 403
    assert not CustomerAccount.objects.exists()


def test_an_idempotency_key_makes_a_retry_change_nothing_twice(hr, employee):
    client, _token = token_client(hr.user, ["write_ar"])
    first = client.post(URL, BATCH, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    retry = client.post(URL, BATCH, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert retry.json() == first.json() and retry["Idempotent-Replayed"] == "true"
    assert LedgerLoad.objects.count() == 1


def test_every_kind_has_its_endpoint_in_the_schema(hr, client):
    from tests.page_helpers import login

    login(client, hr)
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert {f"/api/ar/{kind}/" for kind in LedgerLoad.Kind.values} <= set(schema["paths"])
    rows = schema["components"]["schemas"]["ArInvoicesRowRequest"]["properties"]
    assert set(rows) == {"number", "account", "issued_on", "due_on", "amount", "open_balance"}


def test_an_id_twice_in_a_batch_names_both_rows(hr):
    client, _token = token_client(hr.user, ["write_ar"])
    response = client.post(URL, {"rows": [{"number": "A1", "name": "Acme"},
                                          {"number": "A1", "name": "Acme again"}]}, format="json")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "rows/1/number",
         "detail": "Row 0 has the same account number “A1”: each id once."}]
