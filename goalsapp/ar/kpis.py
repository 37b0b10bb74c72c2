"""The collector KPIs: their formulas over additive aggregates (pure functions, the worked
examples of docs/kpis.md are their tests) and the SQL that gathers those aggregates from the
ledger for every collector, team and territory at once.

The ledger keeps no history, so "as of day D" is read from dates: an invoice is receivable
from the day it is issued, a payment counts from the day it is paid, an invoice is *current*
at D while it is not past due (due_on >= D). The window is the period's first day to D.

Only sums and counts are gathered (`Aggregates`); the KPIs are ratios of them. Sums add up,
so a team's figure is its collectors' aggregates summed, never an average of their ratios.
"""

from dataclasses import dataclass, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction

from goalsapp.kpis import BY_CODE, SCOPE_COLLECTOR, SCOPE_TEAM, SCOPE_TERRITORY

from .models import ContactAttempt, CustomerAccount, Dispute, Invoice, Payment, PromiseToPay

ZERO = Decimal("0")
HUNDRED = Decimal("100")
CENTS = Decimal("0.01")


@dataclass
class Aggregates:
    """What the KPIs of one scope are computed from, for a window from `start` to `as_of`."""

    days: int = 0  # the window's length, both ends included
    beginning: Decimal = ZERO  # receivables open the day before the window
    credit_sales: Decimal = ZERO  # invoiced inside the window
    ending_total: Decimal = ZERO  # receivables open at the end of the window
    ending_current: Decimal = ZERO  # … of which not yet past due
    cash_collected: Decimal = ZERO  # paid inside the window
    promises_kept: int = 0  # promises due inside the window, by their status now
    promises_broken: int = 0
    disputes_resolved: int = 0  # disputes resolved inside the window
    dispute_days: int = 0  # their days from opening to resolution, summed
    accounts_contacted: int = 0  # distinct accounts contacted inside the window

    ADDITIVE = ("beginning", "credit_sales", "ending_total", "ending_current", "cash_collected",
                "promises_kept", "promises_broken", "disputes_resolved", "dispute_days",
                "accounts_contacted")


def total(aggregates, days: int) -> Aggregates:
    """The sum of many scopes' aggregates over the same window."""
    aggregates = list(aggregates)
    return Aggregates(days=days, **{
        name: sum((getattr(a, name) for a in aggregates), getattr(Aggregates, name))
        for name in Aggregates.ADDITIVE})


def _ratio(numerator, denominator, scale=HUNDRED) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator) * scale).quantize(CENTS, ROUND_HALF_UP)


def cash_collected(a: Aggregates) -> Decimal:
    return a.cash_collected.quantize(CENTS, ROUND_HALF_UP)


def cei(a: Aggregates) -> Decimal | None:
    """(beginning + credit sales − ending total) ÷ (beginning + credit sales − ending current)
    × 100: the share of what could have been collected that was."""
    collectable = a.beginning + a.credit_sales
    return _ratio(collectable - a.ending_total, collectable - a.ending_current)


def dso(a: Aggregates) -> Decimal | None:
    """Ending total receivables ÷ credit sales × days in the window."""
    return _ratio(a.ending_total, a.credit_sales, Decimal(a.days))


def best_possible_dso(a: Aggregates) -> Decimal | None:
    """Ending current receivables ÷ credit sales × days in the window."""
    return _ratio(a.ending_current, a.credit_sales, Decimal(a.days))


def average_days_delinquent(a: Aggregates) -> Decimal | None:
    """DSO − best possible DSO (both already rounded to cents, so the difference is exact)."""
    total_dso, best = dso(a), best_possible_dso(a)
    return None if total_dso is None else total_dso - best


def percent_current(a: Aggregates) -> Decimal | None:
    return _ratio(a.ending_current, a.ending_total)


def promise_kept_rate(a: Aggregates) -> Decimal | None:
    """Kept ÷ (kept + broken) × 100; promises still open are not judged yet."""
    return _ratio(a.promises_kept, a.promises_kept + a.promises_broken)


def broken_promise_rate(a: Aggregates) -> Decimal | None:
    return _ratio(a.promises_broken, a.promises_kept + a.promises_broken)


def dispute_resolution_days(a: Aggregates) -> Decimal | None:
    return _ratio(a.dispute_days, a.disputes_resolved, Decimal(1))


def accounts_contacted(a: Aggregates) -> Decimal:
    return Decimal(a.accounts_contacted)


FORMULAS = {
    "cash_collected": cash_collected,
    "cei": cei,
    "dso": dso,
    "best_possible_dso": best_possible_dso,
    "add": average_days_delinquent,
    "percent_current": percent_current,
    "promise_kept_rate": promise_kept_rate,
    "broken_promise_rate": broken_promise_rate,
    "dispute_resolution_days": dispute_resolution_days,
    "accounts_contacted": accounts_contacted,
}
assert set(FORMULAS) == set(BY_CODE), "every KPI the library names has its formula"

# The formulas in words, as the dashboard explains them (docs/kpis.md has the worked example).
FORMULA_TEXT = {
    "cash_collected": "Payments received from the period's first day to the day chosen.",
    "cei": "(beginning receivables + credit sales − ending total receivables) ÷ (beginning "
           "receivables + credit sales − ending current receivables) × 100.",
    "dso": "Ending total receivables ÷ credit sales × days so far in the period.",
    "best_possible_dso": "Ending current receivables ÷ credit sales × days so far.",
    "add": "DSO − best possible DSO.",
    "percent_current": "Receivables not yet past due ÷ all open receivables × 100.",
    "promise_kept_rate": "Promises due so far that were kept ÷ those kept or broken × 100.",
    "broken_promise_rate": "Promises due so far that were broken ÷ those kept or broken × 100.",
    "dispute_resolution_days": "Average days from opening to resolution of the disputes "
                               "resolved so far.",
    "accounts_contacted": "Distinct accounts contacted so far (by the collector, or in the "
                          "territory).",
}
assert set(FORMULA_TEXT) == set(BY_CODE)


def kpi_values(a: Aggregates) -> dict[str, Decimal | None]:
    """Every KPI of one scope; None where the figure has no meaning yet (nothing invoiced,
    no promise due, no dispute resolved)."""
    return {code: formula(a) for code, formula in FORMULAS.items()}


def window_days(start: date, as_of: date) -> int:
    return (as_of - start).days + 1


# From the ledger ---------------------------------------------------------------------------

# A scope's key: ("collector", employee id), ("team", supervisor id), ("territory", name).
ScopeKey = tuple[str, object]


def _tables():
    return {name: model._meta.db_table for name, model in (
        ("account", CustomerAccount), ("invoice", Invoice), ("payment", Payment),
        ("promise", PromiseToPay), ("dispute", Dispute), ("contact", ContactAttempt))}


# Each query groups by the three scopes at once (GROUPING SETS) and names its scope in the first
# column. The team of an account is its collector's supervisor, read from the employee now.
_SCOPES = """
    CASE WHEN GROUPING(e.id) = 0 THEN 'collector'
         WHEN GROUPING(e.supervisor_id) = 0 THEN 'team' ELSE 'territory' END,
    CASE WHEN GROUPING(e.id) = 0 THEN e.id::text
         WHEN GROUPING(e.supervisor_id) = 0 THEN e.supervisor_id::text ELSE {territory} END"""
_GROUPS = "GROUP BY GROUPING SETS ((e.id), (e.supervisor_id), ({territory}))"
EMPLOYEE = "goalsapp_employee"

# Invoices and payments are each summed per account first (20,000 groups, not a group per
# invoice): grouping 2,000,000 payments by invoice before joining took twice as long
# (bench/ar_kpis.py). Open at D = invoiced by D − paid by D, both per account.
RECEIVABLES_SQL = """
    WITH invoiced AS (
        SELECT account_id,
               SUM(amount) FILTER (WHERE issued_on < %(start)s) AS before,
               SUM(amount) FILTER (WHERE issued_on >= %(start)s) AS credit_sales,
               SUM(amount) AS total,
               SUM(amount) FILTER (WHERE due_on >= %(as_of)s) AS current
          FROM {invoice} WHERE issued_on <= %(as_of)s GROUP BY account_id),
    paid AS (
        SELECT i.account_id,
               SUM(p.amount) FILTER (WHERE i.issued_on < %(start)s AND p.paid_on < %(start)s)
                   AS before,
               SUM(p.amount) AS total,
               SUM(p.amount) FILTER (WHERE i.due_on >= %(as_of)s) AS current,
               SUM(p.amount) FILTER (WHERE p.paid_on >= %(start)s) AS inside
          FROM {payment} p JOIN {invoice} i ON i.id = p.invoice_id
         WHERE p.paid_on <= %(as_of)s AND i.issued_on <= %(as_of)s GROUP BY i.account_id)
    SELECT {scopes},
           COALESCE(SUM(v.before), 0) - COALESCE(SUM(p.before), 0),
           COALESCE(SUM(v.credit_sales), 0),
           COALESCE(SUM(v.total), 0) - COALESCE(SUM(p.total), 0),
           COALESCE(SUM(v.current), 0) - COALESCE(SUM(p.current), 0),
           COALESCE(SUM(p.inside), 0)
      FROM {account} a
      JOIN invoiced v ON v.account_id = a.id
      LEFT JOIN paid p ON p.account_id = a.id
      LEFT JOIN {employee} e ON e.id = a.collector_id
     {groups}"""

PROMISES_SQL = """
    SELECT {scopes},
           COUNT(*) FILTER (WHERE t.status = 'kept'), COUNT(*) FILTER (WHERE t.status = 'broken')
      FROM {promise} t
      JOIN {account} a ON a.id = t.account_id
      LEFT JOIN {employee} e ON e.id = a.collector_id
     WHERE t.promised_on BETWEEN %(start)s AND %(as_of)s
     {groups}"""

DISPUTES_SQL = """
    SELECT {scopes}, COUNT(*), COALESCE(SUM(d.resolved_on - d.opened_on), 0)
      FROM {dispute} d
      JOIN {invoice} i ON i.id = d.invoice_id
      JOIN {account} a ON a.id = i.account_id
      LEFT JOIN {employee} e ON e.id = a.collector_id
     WHERE d.resolved_on BETWEEN %(start)s AND %(as_of)s
     {groups}"""

# Accounts contacted counts the collector who made the contact (the attempt names them), and the
# territory of the account contacted.
CONTACTS_SQL = """
    SELECT {scopes}, COUNT(DISTINCT c.account_id)
      FROM {contact} c
      JOIN {account} a ON a.id = c.account_id
      JOIN {employee} e ON e.id = c.collector_id
     WHERE c.contacted_on BETWEEN %(start)s AND %(as_of)s
     {groups}"""

QUERIES = (
    (RECEIVABLES_SQL, ("beginning", "credit_sales", "ending_total", "ending_current",
                       "cash_collected")),
    (PROMISES_SQL, ("promises_kept", "promises_broken")),
    (DISPUTES_SQL, ("disputes_resolved", "dispute_days")),
    (CONTACTS_SQL, ("accounts_contacted",)),
)


WORK_MEM = "64MB"


def _key(scope: str, raw: str | None) -> ScopeKey | None:
    if raw is None or raw == "":
        return None  # accounts with no collector, a collector with no supervisor, no territory
    return (scope, raw if scope == SCOPE_TERRITORY else int(raw))


def ledger_aggregates(start: date, as_of: date) -> dict[ScopeKey, Aggregates]:
    """The aggregates of every collector, team and territory for the window start..as_of, in
    four queries whatever the number of collectors (docs/kpis.md, docs/benchmarks.md). The
    embedded SQLite database (a demo on a laptop) has no GROUPING SETS: there the row-by-row
    definition below computes the same, fast enough at a demo's size."""
    if connection.vendor != "postgresql":
        return python_aggregates(start, as_of)
    days = window_days(start, as_of)
    result: dict[ScopeKey, Aggregates] = {}
    tables = _tables()
    territory = "a.territory"
    params = {"start": start, "as_of": as_of}
    with transaction.atomic(), connection.cursor() as cursor:
        # Room for the hash joins and aggregates in memory, for these queries only.
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        for sql, names in QUERIES:
            cursor.execute(sql.format(
                scopes=_SCOPES.format(territory=territory),
                groups=_GROUPS.format(territory=territory), employee=EMPLOYEE, **tables),
                params)
            for scope, raw, *values in cursor.fetchall():
                key = _key(scope, raw)
                if key is None:
                    continue
                aggregates = result.setdefault(key, Aggregates(days=days))
                for name, value in zip(names, values, strict=True):
                    setattr(aggregates, name, Decimal(value) if isinstance(
                        getattr(aggregates, name), Decimal) else int(value))
    return result


# The same in Python, row by row: the reference the SQL is tested against (and small enough to
# read as the definition).

def python_aggregates(start: date, as_of: date) -> dict[ScopeKey, Aggregates]:
    days = window_days(start, as_of)
    result: dict[ScopeKey, Aggregates] = {}
    accounts = {a.pk: a for a in CustomerAccount.objects.select_related("collector")}

    def keys(collector, territory):
        found = []
        if collector is not None:
            found.append((SCOPE_COLLECTOR, collector.pk))
            if collector.supervisor_id:
                found.append((SCOPE_TEAM, collector.supervisor_id))
        if territory:
            found.append((SCOPE_TERRITORY, territory))
        return [result.setdefault(key, Aggregates(days=days)) for key in found]

    payments: dict[int, list[Payment]] = {}
    for payment in Payment.objects.filter(paid_on__lte=as_of):
        payments.setdefault(payment.invoice_id, []).append(payment)
    for invoice in Invoice.objects.filter(issued_on__lte=as_of):
        account = accounts[invoice.account_id]
        mine = payments.get(invoice.pk, [])
        open_at_end = invoice.amount - sum((p.amount for p in mine), ZERO)
        for a in keys(account.collector, account.territory):
            if invoice.issued_on < start:
                a.beginning += invoice.amount - sum(
                    (p.amount for p in mine if p.paid_on < start), ZERO)
            else:
                a.credit_sales += invoice.amount
            a.ending_total += open_at_end
            if invoice.due_on >= as_of:
                a.ending_current += open_at_end
            a.cash_collected += sum((p.amount for p in mine if p.paid_on >= start), ZERO)
    for promise in PromiseToPay.objects.filter(promised_on__range=(start, as_of)):
        account = accounts[promise.account_id]
        for a in keys(account.collector, account.territory):
            a.promises_kept += promise.status == PromiseToPay.Status.KEPT
            a.promises_broken += promise.status == PromiseToPay.Status.BROKEN
    for dispute in Dispute.objects.filter(resolved_on__range=(start, as_of)).select_related(
            "invoice"):
        account = accounts[dispute.invoice.account_id]
        for a in keys(account.collector, account.territory):
            a.disputes_resolved += 1
            a.dispute_days += (dispute.resolved_on - dispute.opened_on).days
    contacted: dict[ScopeKey, set[int]] = {}
    for contact in ContactAttempt.objects.filter(
            contacted_on__range=(start, as_of)).select_related("collector"):
        territory = accounts[contact.account_id].territory
        for key in [(SCOPE_COLLECTOR, contact.collector_id),
                    (SCOPE_TEAM, contact.collector.supervisor_id), (SCOPE_TERRITORY, territory)]:
            if key[1]:
                contacted.setdefault(key, set()).add(contact.account_id)
    for key, accounts_seen in contacted.items():
        result.setdefault(key, Aggregates(days=days)).accounts_contacted = len(accounts_seen)
    return result


def as_of_for(period_start: date, period_end: date, today: date) -> date | None:
    """The day a period's figures are computed as of: today while the period runs, its last
    day once it has ended, none before it starts."""
    if today < period_start:
        return None
    return min(today, period_end)


def aggregate_fields() -> list[str]:
    return [f.name for f in fields(Aggregates) if f.name != "days"]

