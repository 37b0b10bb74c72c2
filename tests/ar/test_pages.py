"""The "AR data" pages: HR and administrators upload an export, match its columns (remembered
for that source system), see what it would change with every wrong row, and apply it; anyone
else is refused, and a refused request changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goalsapp.ar.models import CustomerAccount, Invoice, LedgerLoad, SourceSystem
from goalsapp.ar.services import file_load_start
from tests.ar_helpers import csv_upload, ledger, source_system
from tests.page_helpers import by_testid, field_error, form_values, login, without_csrf
from tests.permission_helpers import LOGIN, PERSONAS

pytestmark = pytest.mark.django_db

ACCOUNTS = ("Customer No,Customer Name,Collector,Region",
            "A1,Acme,E-1003,West", "A2,Bolt,,East")


def _upload(client, system=None, *, kind="accounts", new_name="", lines=ACCOUNTS,
            name="accounts.csv"):
    return client.post(reverse("ar_upload"), {
        "source_system": system.pk if system else "", "new_source_system": new_name,
        "kind": kind, "file": csv_upload(name, *lines)})


def test_upload_map_preview_apply_and_the_mapping_is_remembered(client, hr, employee):
    login(client, hr)
    response = _upload(client, new_name="Oracle  AR")
    load = LedgerLoad.objects.get()
    assert response.url == reverse("ar_load_mapping", args=[load.pk])
    mapping = client.get(response.url)
    offered = without_csrf(form_values(mapping, having="number"))
    assert offered == {"number": "", "name": "", "collector": "Collector", "territory": ""}
    response = client.post(reverse("ar_load_mapping", args=[load.pk]), {
        "number": "Customer No", "name": "Customer Name", "collector": "Collector",
        "territory": "Region"})
    assert response.url == reverse("ar_load", args=[load.pk])
    preview = client.get(response.url)
    assert by_testid(preview, "ar-counts") == "Rows 2 New 2 Changed 0 Unchanged 0 With errors 0"
    assert not CustomerAccount.objects.exists()
    response = client.post(reverse("ar_load_apply", args=[load.pk]))
    assert response.url == reverse("ar_load", args=[load.pk])
    assert CustomerAccount.objects.get(number="A1").collector == employee
    applied = client.get(response.url)
    assert by_testid(applied, "ar-load-status").startswith("Applied")
    assert "Acme" not in applied.content.decode()
    system = SourceSystem.objects.get()
    assert system.name == "Oracle AR"
    assert system.column_mappings["accounts"]["territory"] == "Region"
    # The next export of the same system arrives mapped; applying it again changes nothing.
    _upload(client, system)
    again = LedgerLoad.objects.exclude(pk=load.pk).get()
    offered = without_csrf(form_values(client.get(reverse("ar_load_mapping", args=[again.pk])),
                                       having="number"))
    assert offered["territory"] == "Region"
    client.post(reverse("ar_load_mapping", args=[again.pk]), offered)
    client.post(reverse("ar_load_apply", args=[again.pk]))
    again.refresh_from_db()
    assert (again.rows_created, again.rows_unchanged) == (0, 2)
    listing = client.get(reverse("ar_loads"))
    assert "accounts.csv" in by_testid(listing, "ar-loads")


def test_wrong_rows_are_listed_and_the_load_cannot_be_applied(client, hr, employee):
    login(client, hr)
    ledger(hr.user, employee.employee_number)
    system = source_system(invoices={"number": "No", "account": "Acct", "issued_on": "Date",
                                     "due_on": "Due", "amount": "Amt", "open_balance": "Open"})
    _upload(client, system, kind="invoices", lines=(
        "No,Acct,Date,Due,Amt,Open", "I7,A404,2026-01-01,2026-01-31,10,10",
        "I8,A1,2026-01-01,2025-12-31,10,10", "I9,A1,2026-01-01,2026-01-31,10,10"))
    load = LedgerLoad.objects.get(kind="invoices", channel="file")
    client.post(reverse("ar_load_mapping", args=[load.pk]), system.column_mappings["invoices"])
    preview = client.get(reverse("ar_load", args=[load.pk]))
    errors = by_testid(preview, "ar-errors")
    assert "2 Account number Unknown account number “A404”" in errors
    assert "3 Due date The due date is before the issue date." in errors
    assert "Apply this load" not in preview.content.decode()
    client.post(reverse("ar_load_apply", args=[load.pk]))
    assert not Invoice.objects.filter(number="I9").exists()
    load.refresh_from_db()
    assert load.applied_at is None


@pytest.mark.parametrize("values, field, message", [
    ({"kind": "accounts"}, "id_new_source_system", "Choose the source system in the list"),
    ({"kind": "nonsense", "new_source_system": "X"}, "id_kind", "Select a valid choice"),
])
def test_the_upload_form_says_what_is_missing_and_keeps_the_typing(client, hr, values, field,
                                                                   message):
    login(client, hr)
    response = client.post(reverse("ar_upload"), {**values,
                                                  "file": csv_upload("a.csv", *ACCOUNTS)})
    assert response.status_code == 200
    assert message in field_error(response, field)
    assert form_values(response, having="new_source_system")["new_source_system"] == \
        values.get("new_source_system", "")


def test_the_mapping_step_refuses_a_required_field_left_out_and_a_column_twice(client, hr):
    login(client, hr)
    _upload(client, new_name="X")
    load = LedgerLoad.objects.get()
    response = client.post(reverse("ar_load_mapping", args=[load.pk]), {
        "number": "Customer No", "name": "Customer No", "collector": "Not there"})
    assert "mapped to Account number already" in field_error(response, "id_name")
    assert "Select a valid choice" in field_error(response, "id_collector")
    assert form_values(response, having="number")["number"] == "Customer No"
    load.refresh_from_db()
    assert load.column_mapping == {}


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_hr_and_administrators_load_ar_data(client, request, persona, hr):
    load = file_load_start(actor=hr.user, source_system=None, kind="accounts",
                           upload=csv_upload("x.csv", *ACCOUNTS))
    if persona != "anonymous":
        login(client, request.getfixturevalue(persona))
    urls = [reverse("ar_loads"), reverse("ar_upload"), reverse("ar_load", args=[load.pk]),
            reverse("ar_load_mapping", args=[load.pk])]
    pages = [client.get(url) for url in urls]
    posted = [_upload(client, new_name="Someone's"),
              client.post(reverse("ar_load_apply", args=[load.pk]))]
    nav = client.get(reverse("inbox")) if persona != "anonymous" else None
    if persona == "anonymous":
        assert all(response.status_code == 302 and response.url.startswith(LOGIN)
                   for response in [*pages, *posted])
    elif persona in ("hr", "admin"):
        assert pages[0].status_code == pages[1].status_code == 200
        assert 'href="/ar/"' in nav.content.decode()
    else:
        assert {response.status_code for response in [*pages, *posted]} == {403}
        assert "for Human Resources and administrators" in pages[0].content.decode()
        assert 'href="/ar/"' not in nav.content.decode()
        assert not SourceSystem.objects.exists() and LedgerLoad.objects.count() == 1


def test_a_load_that_does_not_exist_answers_404_and_a_lost_file_is_said(client, hr):
    login(client, hr)
    assert client.get(reverse("ar_load", args=[999])).status_code == 404
    lost = LedgerLoad.objects.create(kind="accounts", loaded_by=hr.user, file="gone.csv")
    response = client.get(reverse("ar_load_mapping", args=[lost.pk]))
    assert "no longer in storage" in by_testid(response, "ar-file-problem")


MB = 1024 * 1024


@pytest.mark.parametrize("content, message", [
    (b"", "file is empty"),
    (b"\x00\x01binary", "This is not a CSV file"),
    (b"No,No\n1,2", "names No twice"),
    (b"A" * (10 * MB), "not valid CSV"),
    (b"No," + b"B" * 500 + b"\nA1,x\n", "longer than 100 characters"),
    (",".join(f"c{n}" for n in range(500)).encode(), "more than 200 columns"),
    ("No,Name\nA1,Zoë\n".encode("utf-16"), None),
    (b"\xff\xfe\x00\x00garbage\x81\x8d", "not text"),
])
def test_hostile_exports_are_explained_never_a_500(client, hr, content, message):
    login(client, hr)
    response = client.post(reverse("ar_upload"), {
        "new_source_system": "X", "kind": "accounts",
        "file": SimpleUploadedFile("x.csv", content)})
    if message is None:  # UTF-16 with its mark is an export like any other
        assert response.status_code == 302
    else:
        assert response.status_code == 200 and message in field_error(response, "id_file")
        assert len(response.content) < 200_000
        assert not LedgerLoad.objects.exists()


def test_a_file_broken_after_its_header_is_said_in_the_preview(client, hr):
    login(client, hr)
    _upload(client, new_name="X", lines=("No,Name", "A1,Acme", 'A2,"Bolt', "A3,Cove"))
    load = LedgerLoad.objects.get()
    client.post(reverse("ar_load_mapping", args=[load.pk]), {"number": "No", "name": "Name"})
    preview = client.get(reverse("ar_load", args=[load.pk]))
    assert preview.status_code == 200
    assert "not valid CSV" in by_testid(preview, "ar-file-problem")
    assert "Apply this load" not in preview.content.decode()
