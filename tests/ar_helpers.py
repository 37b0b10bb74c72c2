"""The AR ledger's tests share these: a load to run rows through, CSV files in an AR system's
own column names, and a small ledger (two accounts of Emma's, an invoice each)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from goalsapp.ar.columns import COLUMNS
from goalsapp.ar.models import LedgerLoad, SourceSystem
from goalsapp.ar.services import api_batch_load


def records(kind: str, *rows: dict) -> list[tuple[int, list[str]]]:
    """Rows in our field names as the loader reads them: (line, cells in COLUMNS order),
    numbered as a CSV's lines after its header (2, 3, …)."""
    names = [column.name for column in COLUMNS[kind]]
    return [(line, [str(row.get(name, "")) for name in names])
            for line, row in enumerate(rows, start=2)]


def new_load(kind: str, user, **fields) -> LedgerLoad:
    return LedgerLoad.objects.create(kind=kind, loaded_by=user, **fields)


def csv_upload(name: str, *lines: str, encoding="utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, "\n".join(lines).encode(encoding), "text/csv")


def ledger(user, collector_number: str) -> None:
    """Accounts A1 and A2 (collected by `collector_number`) with invoices I1 and I2."""
    api_batch_load(actor=user, kind="accounts", batch_id="seed", rows=[
        {"number": "A1", "name": "Acme", "collector": collector_number, "territory": "West"},
        {"number": "A2", "name": "Bolt", "collector": collector_number}])
    api_batch_load(actor=user, kind="invoices", batch_id="seed", rows=[
        {"number": "I1", "account": "A1", "issued_on": "2026-01-05", "due_on": "2026-02-04",
         "amount": "1000.00", "open_balance": "400.00"},
        {"number": "I2", "account": "A2", "issued_on": "2026-01-10", "due_on": "2026-02-09",
         "amount": "250.00", "open_balance": "250.00"}])


def source_system(name="Oracle AR", **mappings) -> SourceSystem:
    return SourceSystem.objects.create(name=name, column_mappings=mappings)
