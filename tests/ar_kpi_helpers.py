"""Ledger rows for KPI tests, written straight through the ORM (loading is the loader's work):
`worked_example` builds the ledger of docs/kpis.md's worked example, whose every figure is
computed by hand there."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from goalsapp.ar.models import (
    ContactAttempt,
    CustomerAccount,
    Dispute,
    Invoice,
    LedgerLoad,
    Payment,
    PromiseToPay,
)
from goalsapp.models import Employee
from tests.factories import EmployeeFactory, UserFactory

D = datetime.date
PERIOD_START = D(2027, 1, 1)
AS_OF = D(2027, 3, 31)  # 90 days into the period


@dataclass
class Example:
    load: LedgerLoad
    sam: Employee  # the supervisor
    casey: Employee  # collector, territory North
    dana: Employee  # collector, territory South


_numbers = iter(range(1, 10**9))


def _n(prefix: str) -> str:
    return f"{prefix}-{next(_numbers)}"


def ledger_load(kind=LedgerLoad.Kind.PAYMENTS, **values) -> LedgerLoad:
    values.setdefault("loaded_by", values.pop("user", None) or UserFactory())
    values.setdefault("file_name", "march-payments.csv")
    return LedgerLoad.objects.create(kind=kind, **values)


def account(load, collector, territory, name="Acme") -> CustomerAccount:
    return CustomerAccount.objects.create(number=_n("A"), load=load, name=name,
                                          collector=collector, territory=territory)


def invoice(load, acct, issued, due, amount, payments=()) -> Invoice:
    inv = Invoice.objects.create(number=_n("I"), load=load, account=acct, issued_on=issued,
                                 due_on=due, amount=Decimal(amount), open_balance=Decimal(amount))
    for paid_on, paid in payments:
        Payment.objects.create(number=_n("P"), load=load, invoice=inv, paid_on=paid_on,
                               amount=Decimal(paid))
    return inv


def promise(load, acct, promised_on, status, amount="100") -> PromiseToPay:
    return PromiseToPay.objects.create(number=_n("T"), load=load, account=acct,
                                       promised_on=promised_on, status=status,
                                       amount=Decimal(amount))


def dispute(load, inv, opened, resolved=None) -> Dispute:
    return Dispute.objects.create(number=_n("D"), load=load, invoice=inv, opened_on=opened,
                                  resolved_on=resolved)


def contact(load, acct, collector, on) -> ContactAttempt:
    return ContactAttempt.objects.create(number=_n("C"), load=load, account=acct,
                                         collector=collector, contacted_on=on,
                                         channel=ContactAttempt.ContactChannel.PHONE)


def worked_example(sam=None) -> Example:
    """docs/kpis.md, "Worked example": Casey and Dana collect for Sam, as of 31 March 2027."""
    load = ledger_load()
    sam = sam or EmployeeFactory(full_name="Sam Supervisor", title="Collection Manager")
    casey = EmployeeFactory(full_name="Casey Collector", supervisor=sam, territory="North")
    dana = EmployeeFactory(full_name="Dana Collector", supervisor=sam, territory="South")
    a1, a2 = account(load, casey, "North"), account(load, casey, "North")
    a3 = account(load, dana, "South")
    i1 = invoice(load, a1, D(2026, 12, 1), D(2026, 12, 31), "1000",
                 [(D(2026, 12, 20), "600"), (D(2027, 2, 10), "300")])
    invoice(load, a1, D(2027, 1, 15), D(2027, 2, 14), "2000", [(D(2027, 2, 10), "2000")])
    invoice(load, a2, D(2027, 3, 1), D(2027, 3, 31), "1500", [(D(2027, 3, 20), "500")])
    i4 = invoice(load, a2, D(2027, 2, 1), D(2027, 3, 3), "500", [(D(2027, 4, 5), "100")])
    invoice(load, a2, D(2027, 4, 10), D(2027, 5, 10), "900")
    invoice(load, a3, D(2027, 1, 10), D(2027, 2, 9), "1000", [(D(2027, 3, 1), "1000")])
    kept, broken, still_open = (PromiseToPay.Status.KEPT, PromiseToPay.Status.BROKEN,
                                PromiseToPay.Status.OPEN)
    promise(load, a1, D(2027, 1, 20), kept)
    promise(load, a1, D(2027, 2, 15), kept)
    promise(load, a2, D(2027, 3, 10), broken)
    promise(load, a2, D(2027, 3, 25), still_open)
    promise(load, a2, D(2027, 4, 2), kept)
    dispute(load, i1, D(2027, 1, 5), D(2027, 1, 25))
    dispute(load, i4, D(2027, 2, 5), D(2027, 3, 7))
    dispute(load, i4, D(2027, 3, 1))
    dispute(load, i1, D(2026, 12, 1), D(2026, 12, 15))
    contact(load, a1, casey, D(2027, 1, 10))
    contact(load, a1, casey, D(2027, 2, 1))
    contact(load, a2, casey, D(2027, 3, 5))
    contact(load, a3, casey, D(2027, 3, 6))
    contact(load, a3, casey, D(2027, 4, 1))
    contact(load, a3, dana, D(2027, 3, 15))
    return Example(load=load, sam=sam, casey=casey, dana=dana)


def bound_signed_sheet(employee, period, bindings):
    """A signed sheet whose goals are bound to KPIs: `bindings` is [(kpi code, scope)], each
    goal measured as its KPI is (skipping the workflow, as progress_helpers.signed_sheet does)."""
    from django.utils import timezone

    from goalsapp.kpis import BY_CODE
    from goalsapp.models import GoalSheet, SheetState
    from tests.factories import GoalFactory, GoalSheetFactory

    sheet = GoalSheetFactory(employee=employee, period=period)
    for position, (code, scope) in enumerate(bindings, start=1):
        kpi = BY_CODE[code]
        GoalFactory(sheet=sheet, position=position, text=f"Reach the target for {kpi.name}.",
                    measure_kind=kpi.kind, unit=kpi.unit, direction=kpi.direction,
                    target=Decimal(100), baseline=None, due_on=period.ends_on, kpi=code,
                    kpi_scope=scope)
    GoalSheet.objects.filter(pk=sheet.pk).update(state=SheetState.SIGNED,
                                                 locked_at=timezone.now())
    sheet.refresh_from_db()
    return sheet
