"""The ledger's columns per kind of file: our field names, what each holds, how a cell is read
and checked, and which other table a reference names. CSV mappings, the API's rows, the
staging tables and the messages are all read from here."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from goalsapp.models import Employee

from .models import (
    MONEY,
    ContactAttempt,
    CustomerAccount,
    Dispute,
    Invoice,
    LedgerLoad,
    Payment,
    PromiseToPay,
)

Kind = LedgerLoad.Kind
MAX_AMOUNT = Decimal(10 ** (MONEY["max_digits"] - MONEY["decimal_places"])) - Decimal("0.01")
CENT = Decimal("0.01")


class CellProblem(ValueError):
    """A cell that cannot be read; the message says why, naming the value."""


# The fast path (loading.py): a row whose cells, joined by tabs, match every column's
# `pattern` (and pass its `passes`, where set) is valid as it stands, and its cells are its
# values; any other row is read cell by cell by `read`, which explains what is wrong.
PLAIN = "[^\t\n\r\\\\\x00]"  # nothing COPY would need escaped, no NUL


def _text(max_length: int):
    def read(cell: str) -> str:
        if len(cell) > max_length:
            raise CellProblem(f"is longer than {max_length} characters")
        if "\x00" in cell:
            raise CellProblem("holds a NUL character")
        return cell
    read.pattern = f"{PLAIN}{{1,{max_length}}}"
    return read


def _is_day(cell: str) -> bool:
    try:
        date.fromisoformat(cell)
    except ValueError:
        return False
    return True


def read_day(cell: str) -> str:
    """A YYYY-MM-DD date, checked and kept as that text: ISO dates compare as text, and the
    database reads them as dates (fromisoformat alone would let week dates through)."""
    try:
        if len(cell) != 10 or cell[4] != "-" or cell[7] != "-":
            raise ValueError
        date.fromisoformat(cell)
    except ValueError:
        raise CellProblem(f"“{cell[:40]}” is not a date: write it as YYYY-MM-DD") from None
    return cell


read_day.pattern = r"\d{4}-\d{2}-\d{2}"
read_day.passes = _is_day


def _amount(*, positive: bool):
    """A money amount from what an export wrote (a thousands comma is accepted: 1,234.50),
    as plain text for the database; negative amounts are refused (and zero where `positive`)."""
    def read(cell: str) -> str:
        try:
            value = Decimal(cell.replace(",", "") if "," in cell else cell)
        except InvalidOperation:
            raise CellProblem(f"“{cell[:40]}” is not an amount") from None
        if not value.is_finite():
            raise CellProblem(f"“{cell[:40]}” is not an amount")
        if value < 0 or (positive and value == 0):
            raise CellProblem("must be more than zero" if positive else "cannot be negative")
        if value > MAX_AMOUNT:
            raise CellProblem("is too large")
        if value != value.quantize(CENT):
            raise CellProblem("has more than two decimals")
        return f"{value:f}"
    digits = MONEY["max_digits"] - MONEY["decimal_places"]
    read.pattern = rf"\d{{1,{digits}}}(?:\.\d{{1,2}})?"
    read.money = True
    if positive:
        read.passes = lambda cell: float(cell) > 0  # only zero is refused: exact in a float
    return read


def _choice(choices):
    values = {value: value for value, _ in choices}
    values.update({label.lower(): value for value, label in choices})
    listed = ", ".join(value for value, _ in choices)

    def read(cell: str) -> str:
        value = values.get(cell.lower())
        if value is None:
            raise CellProblem(f"“{cell[:40]}” is not one of {listed}")
        return value
    read.pattern = "(?:" + "|".join(value for value, _ in choices) + ")"
    return read


@dataclass(frozen=True)
class Column:
    name: str            # our field name (the API's key, the mapping's key)
    label: str           # what the mapping step and the messages call it
    read: object         # cell text → value, raising CellProblem
    required: bool = True
    # A reference to another table by its number: (model, the column holding the number).
    refers_to: tuple | None = None


NUMBER_LENGTH = 60


def _number(label):
    return Column("number", label, _text(NUMBER_LENGTH))


def _ref(name, label, model, *, required=True):
    key = "employee_number" if model is Employee else "number"
    return Column(name, label, _text(NUMBER_LENGTH if model is not Employee else 20),
                  required=required, refers_to=(model, key))


POSITIVE, NOT_NEGATIVE = _amount(positive=True), _amount(positive=False)

COLUMNS: dict[str, tuple[Column, ...]] = {
    Kind.ACCOUNTS: (
        _number("Account number"),
        Column("name", "Account name", _text(200)),
        _ref("collector", "Collector's employee number", Employee, required=False),
        Column("territory", "Territory", _text(100), required=False),
    ),
    Kind.INVOICES: (
        _number("Invoice number"),
        _ref("account", "Account number", CustomerAccount),
        Column("issued_on", "Issue date", read_day),
        Column("due_on", "Due date", read_day),
        Column("amount", "Amount", NOT_NEGATIVE),
        Column("open_balance", "Open balance", NOT_NEGATIVE),
    ),
    Kind.PAYMENTS: (
        _number("Payment number"),
        _ref("invoice", "Invoice number", Invoice),
        Column("paid_on", "Payment date", read_day),
        Column("amount", "Amount", POSITIVE),
    ),
    Kind.PROMISES: (
        _number("Promise number"),
        _ref("account", "Account number", CustomerAccount),
        Column("made_on", "Date made", read_day, required=False),
        Column("promised_on", "Promised date", read_day),
        Column("amount", "Promised amount", POSITIVE),
        Column("status", "Status (open, kept, broken)", _choice(PromiseToPay.Status.choices),
               required=False),
    ),
    Kind.DISPUTES: (
        _number("Dispute number"),
        _ref("invoice", "Invoice number", Invoice),
        Column("opened_on", "Opened", read_day),
        Column("resolved_on", "Resolved", read_day, required=False),
    ),
    Kind.CONTACTS: (
        _number("Contact attempt number"),
        _ref("account", "Account number", CustomerAccount),
        _ref("collector", "Collector's employee number", Employee),
        Column("contacted_on", "Contact date", read_day),
        Column("channel", "Channel (phone, email, letter, sms, visit)",
               _choice(ContactAttempt.ContactChannel.choices)),
        Column("outcome", "Outcome", _text(200), required=False),
    ),
}

MODELS = {Kind.ACCOUNTS: CustomerAccount, Kind.INVOICES: Invoice, Kind.PAYMENTS: Payment,
          Kind.PROMISES: PromiseToPay, Kind.DISPUTES: Dispute, Kind.CONTACTS: ContactAttempt}

# What an empty optional cell is stored as: text columns hold "", the rest NULL; a promise
# without a status is open.
EMPTY = {("promises", "status"): PromiseToPay.Status.OPEN}


def fast_pattern(kind: str, column: Column) -> str:
    """The column's cell on the fast path: optional text may be empty (it is stored as ""),
    any other empty or unusual cell takes the slow path."""
    if empty_value(kind, column) == "":
        return f"{PLAIN}{{0,{column.read.pattern.rpartition(',')[2]}"
    return column.read.pattern


def empty_value(kind: str, column: Column):
    if (kind, column.name) in EMPTY:
        return EMPTY[(kind, column.name)]
    return "" if column.name in ("territory", "outcome") else None


def cross_field_problem(kind: str, values: dict) -> tuple[str, str] | None:
    """A rule across two cells of one row: (the field it is shown at, the sentence)."""
    if kind == Kind.INVOICES:
        if values["due_on"] < values["issued_on"]:
            return "due_on", "The due date is before the issue date."
        if Decimal(values["open_balance"]) > Decimal(values["amount"]):
            return "open_balance", "The open balance is larger than the invoice's amount."
    elif kind == Kind.DISPUTES:
        if values["resolved_on"] is not None and values["resolved_on"] < values["opened_on"]:
            return "resolved_on", "The dispute is resolved before it was opened."
    return None


def suggested_mapping(kind: str, header: list[str], saved: dict | None = None) -> dict:
    """Our field → their column: the saved mapping where its column is still in the header,
    else a header cell that reads like our field's name or label."""
    saved = saved or {}
    by_key = {_key(cell): cell for cell in header}
    mapping = {}
    for column in COLUMNS[kind]:
        if saved.get(column.name) in header:
            mapping[column.name] = saved[column.name]
            continue
        for wanted in (column.name, column.label.split(" (")[0], _short(column.label)):
            if _key(wanted) in by_key:
                mapping[column.name] = by_key[_key(wanted)]
                break
    return mapping


def _key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _short(label: str) -> str:
    """"Collector's employee number" → "collector"; "Invoice number" → "invoice"."""
    return label.split()[0].removesuffix("'s")
