"""Loading the AR ledger: every wrong row named with its line and field, the preview's
counts, a load applied whole or not at all, a re-load that changes nothing, and the signal
the KPIs listen to — sent once, after commit."""

import io
from decimal import Decimal

import pytest
from django.db import connection

from goalsapp.ar import loading
from goalsapp.ar.columns import suggested_mapping
from goalsapp.ar.models import CustomerAccount, Invoice, LedgerLoad, Payment, PromiseToPay
from goalsapp.ar.reading import CsvFile, CsvProblem
from goalsapp.ar.signals import ledger_loaded
from tests.ar_helpers import ledger, new_load, records

pytestmark = pytest.mark.django_db

INVOICE = {"number": "I9", "account": "A1", "issued_on": "2026-03-01",
           "due_on": "2026-03-31", "amount": "1,200.50", "open_balance": "200"}


def _errors(result) -> dict[tuple[int, str], str]:
    return {(error.line, error.field): error.message for error in result.errors}


@pytest.fixture
def books(hr, employee):
    ledger(hr.user, employee.employee_number)
    return hr.user


# Reading files ---------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding, text, delimiter", [
    ("utf-8-sig", "Nº;Name\nA1;Müller\n", ";"),
    ("cp1252", "No,Name\nA1,Müller\n", ","),
    ("utf-16", "No\tName\nA1\tMüller\n", "\t"),
])
def test_exports_are_read_in_their_encoding_and_delimiter(encoding, text, delimiter):
    csv_file = CsvFile(io.BytesIO(text.encode(encoding)))
    assert csv_file.delimiter == delimiter
    mapping = {"number": csv_file.header[0], "name": "Name"}
    assert list(csv_file.records("accounts", mapping)) == [(2, ["A1", "Müller", "", ""])]


@pytest.mark.parametrize("content, message", [
    (b"", "The file is empty"),
    (b"\x00\x01\x02PK", "not a CSV file"),
    (b"No,No\nA1,A2\n", "names No twice"),
    (b'No,"Name\nA1', "not valid CSV"),
])
def test_a_file_that_cannot_be_read_says_why(content, message):
    with pytest.raises(CsvProblem, match=message):
        csv_file = CsvFile(io.BytesIO(content))
        list(csv_file.records("accounts", {"number": "No"}))


def test_the_mapping_is_suggested_from_the_saved_one_then_from_names():
    header = ["Customer No", "Customer Name", "Collector", "Region"]
    assert suggested_mapping("accounts", header) == {"collector": "Collector"}
    assert suggested_mapping("accounts", ["number", "Account Name", "Territory"]) == {
        "number": "number", "name": "Account Name", "territory": "Territory"}
    saved = {"number": "Customer No", "name": "Customer Name", "territory": "Gone"}
    assert suggested_mapping("accounts", header, saved) == {
        "number": "Customer No", "name": "Customer Name", "collector": "Collector"}


# Every row error --------------------------------------------------------------------------------

def test_every_wrong_cell_is_named_by_line_and_field(books, employee):
    load = new_load("invoices", books)
    result = loading.ledger_preview(load, records(
        "invoices",
        {**INVOICE, "number": "", "amount": "12,5x"},
        {**INVOICE, "number": "I10", "account": "A404"},
        {**INVOICE, "number": "I11", "issued_on": "2026-02-30", "amount": "-5"},
        {**INVOICE, "number": "I12", "due_on": "2026-02-01"},
        {**INVOICE, "number": "I13", "open_balance": "5000"},
        {**INVOICE, "number": "I14", "amount": "1.005"},
        {**INVOICE, "number": "I15"},
        {**INVOICE, "number": "I15"},
    ))
    assert _errors(result) == {
        (2, "number"): "The invoice number is empty.",
        (2, "amount"): "The amount “12,5x” is not an amount.",
        (3, "account"): "Unknown account number “A404”: no customer account with this number "
                        "in the ledger (load the customer accounts first).",
        (4, "issued_on"): "The issue date “2026-02-30” is not a date: write it as YYYY-MM-DD.",
        (4, "amount"): "The amount cannot be negative.",
        (5, "due_on"): "The due date is before the issue date.",
        (6, "open_balance"): "The open balance is larger than the invoice's amount.",
        (7, "amount"): "The amount has more than two decimals.",
        (9, "number"): "Line 8 has the same invoice number “I15”: each id once.",
    }
    assert (result.rows_with_errors, result.created, result.total) == (7, 1, 8)


def test_a_payment_for_an_unknown_invoice_an_unknown_collector_and_bad_choices(books):
    payments = loading.ledger_preview(new_load("payments", books), records(
        "payments", {"number": "P1", "invoice": "I404", "paid_on": "2026-03-01", "amount": "5"},
        {"number": "P2", "invoice": "I1", "paid_on": "2026-03-01", "amount": "0"}))
    assert _errors(payments) == {
        (2, "invoice"): "Unknown invoice number “I404”: no invoice with this number in the "
                        "ledger (load the invoices first).",
        (3, "amount"): "The amount must be more than zero."}
    contacts = loading.ledger_preview(new_load("contacts", books), records(
        "contacts", {"number": "K1", "account": "A1", "collector": "E-404",
                     "contacted_on": "2026-03-01", "channel": "pigeon"},
        {"number": "K2", "account": "A1", "collector": "E-404", "contacted_on": "2026-03-01",
         "channel": "Phone"}))
    assert _errors(contacts) == {
        (2, "channel"): "The channel “pigeon” is not one of phone, email, letter, sms, visit.",
        (3, "collector"): "Unknown collector: no employee has the number “E-404”."}


# Counts, all or nothing, idempotency ------------------------------------------------------------

def test_the_preview_counts_new_changed_and_unchanged_and_writes_nothing(books):
    load = new_load("invoices", books)
    result = loading.ledger_preview(load, records(
        "invoices", INVOICE,
        {"number": "I1", "account": "A1", "issued_on": "2026-01-05", "due_on": "2026-02-04",
         "amount": "1000", "open_balance": "0"},
        {"number": "I2", "account": "A2", "issued_on": "2026-01-10", "due_on": "2026-02-09",
         "amount": "250.00", "open_balance": "250"}))
    assert (result.total, result.created, result.updated, result.unchanged) == (3, 1, 1, 1)
    assert result.ok
    assert not Invoice.objects.filter(number="I9").exists()
    assert Invoice.objects.get(number="I1").open_balance == Decimal("400.00")
    load.refresh_from_db()
    assert load.applied_at is None


def test_one_wrong_row_means_nothing_is_written(books):
    load = new_load("invoices", books)
    with pytest.raises(loading.LoadRefused) as refused:
        loading.ledger_apply(load, records("invoices", INVOICE,
                                           {**INVOICE, "number": "I10", "account": "A404"}))
    assert refused.value.result.rows_with_errors == 1
    assert not Invoice.objects.filter(number__in=["I9", "I10"]).exists()
    load.refresh_from_db()
    assert load.applied_at is None and load.rows_total == 0


def test_a_reload_changes_nothing_and_a_change_is_written_with_its_load(
        books, django_capture_on_commit_callbacks):
    heard = []

    def receiver(sender, load, **kwargs):
        heard.append((load.pk, load.rows_created, load.rows_updated, load.rows_unchanged))

    ledger_loaded.connect(receiver)
    try:
        rows = records("payments",
                       {"number": "P1", "invoice": "I1", "paid_on": "2026-02-01", "amount": "300"},
                       {"number": "P2", "invoice": "I2", "paid_on": "2026-02-02", "amount": "50"})
        first, again = new_load("payments", books), new_load("payments", books)
        with django_capture_on_commit_callbacks(execute=True):
            loading.ledger_apply(first, rows)
        with django_capture_on_commit_callbacks(execute=True):
            result = loading.ledger_apply(again, rows)
        assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
        # Unchanged rows keep the load that last wrote them.
        assert set(Payment.objects.values_list("load_id", flat=True)) == {first.pk}
        changed = records("payments",
                          {"number": "P1", "invoice": "I1", "paid_on": "2026-02-01",
                           "amount": "310"})
        third = new_load("payments", books)
        with django_capture_on_commit_callbacks(execute=True):
            loading.ledger_apply(third, changed)
        assert Payment.objects.get(number="P1").amount == Decimal("310.00")
        assert Payment.objects.get(number="P1").load_id == third.pk
        assert heard == [(first.pk, 2, 0, 0), (again.pk, 0, 0, 2), (third.pk, 0, 1, 0)]
    finally:
        ledger_loaded.disconnect(receiver)


def test_a_load_is_applied_once(books):
    load = new_load("accounts", books)
    rows = records("accounts", {"number": "A7", "name": "Cove"})
    loading.ledger_apply(load, rows)
    with pytest.raises(loading.LoadRefused, match="applied already"):
        loading.ledger_apply(load, rows)
    assert CustomerAccount.objects.get(number="A7").collector is None


def test_optional_cells_take_their_defaults(books):
    loading.ledger_apply(new_load("promises", books), records(
        "promises", {"number": "PR1", "account": "A1", "promised_on": "2026-04-01",
                     "amount": "100"}))
    promise = PromiseToPay.objects.get(number="PR1")
    assert (promise.status, promise.made_on) == ("open", None)


def test_the_copy_path_and_its_duplicate_check_on_postgresql(postgresql_only, books):
    """On PostgreSQL rows are staged with COPY and the apply leaves duplicate ids to the
    upsert, which refuses them; the lines are still named and nothing is written."""
    assert connection.vendor == "postgresql"
    load = new_load("accounts", books)
    with pytest.raises(loading.LoadRefused) as refused:
        loading.ledger_apply(load, records("accounts", {"number": "A8", "name": "One"},
                                           {"number": "A8", "name": "Two"}))
    assert _errors(refused.value.result) == {
        (3, "number"): "Line 2 has the same account number “A8”: each id once."}
    assert not CustomerAccount.objects.filter(number="A8").exists()
    result = loading.ledger_apply(load, records("accounts", {"number": "A8", "name": "One"}))
    assert result.created == 1 and LedgerLoad.objects.get(pk=load.pk).rows_created == 1


def test_text_that_copy_would_misread_is_stored_as_written(postgresql_only, books):
    """Tabs, line breaks and backslashes take the slow path and are escaped for COPY."""
    name = "Tab\there, back\\slash,\nnew line"
    loading.ledger_apply(new_load("accounts", books),
                         records("accounts", {"number": "A\\9", "name": name}))
    assert CustomerAccount.objects.get(number="A\\9").name == name
