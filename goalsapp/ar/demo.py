"""A realistic AR ledger for `manage.py demo`: for each collector, customer accounts with
monthly invoices from four months before the period to today, payments (on time, late, partial
or missing, each collector at their own pace), promises to pay, disputes and contact attempts.
Seeded, so every run builds the same ledger; a few thousand rows in bulk. Loading it a second
time changes nothing."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from goalsapp.models import Employee, ReviewPeriod

from .computing import period_recompute
from .models import (
    ContactAttempt,
    CustomerAccount,
    Dispute,
    Invoice,
    LedgerLoad,
    Payment,
    PromiseToPay,
)

DEMO_FILE = "demo-ledger.csv"
ACCOUNTS_EACH = 12
# How reliably each tier's customers pay on time: a high performer's accounts pay sooner.
ON_TIME = {Employee.Tier.HIGH: 0.8, Employee.Tier.CORE: 0.65, Employee.Tier.NEW: 0.5}
CHANNELS = [c for c, _ in ContactAttempt.ContactChannel.choices]
CUSTOMERS = ("Acme Supply", "Birch Logistics", "Cedar Health", "Delta Foods", "Elm Clinics",
             "Fjord Marine", "Granite Build", "Harbor Retail", "Iris Labs", "Juniper Farms",
             "Keystone Auto", "Lumen Energy", "Maple Dental", "Nimbus Air", "Oak Furniture")


def _money(rng, low, high) -> Decimal:
    return Decimal(rng.randrange(low * 100, high * 100)) / 100


class _Ledger:
    def __init__(self, load, today):
        self.load, self.today, self.count = load, today, 0
        self.rows = {model: [] for model in (CustomerAccount, Invoice, Payment, PromiseToPay,
                                              Dispute, ContactAttempt)}

    def add(self, model, **values):
        self.count += 1
        row = model(number=f"DEMO-{model.__name__[:3].upper()}-{self.count:06d}",
                    load=self.load, **values)
        self.rows[model].append(row)
        return row

    def save(self):
        for model, rows in self.rows.items():  # parents first: their ids are set on insert
            model.objects.bulk_create(rows, batch_size=2000)


def _account_history(ledger, rng, account, collector, team, start):
    on_time = ON_TIME.get(collector.performance_tier, 0.6)
    today = ledger.today
    issued = start - timedelta(days=120) + timedelta(days=rng.randrange(0, 28))
    while issued <= today:
        amount = _money(rng, 400, 9000)
        due = issued + timedelta(days=30)
        invoice = ledger.add(Invoice, account=account, issued_on=issued, due_on=due,
                             amount=amount, open_balance=amount)
        luck = rng.random()
        paid_on = due + timedelta(days=rng.randrange(-12, 1) if luck < on_time
                                  else rng.randrange(3, 50))
        if luck < 0.93 and paid_on <= today:
            share = Decimal(1) if rng.random() < 0.85 else Decimal(rng.choice([25, 50, 75])) / 100
            paid = (amount * share).quantize(Decimal("0.01"))
            ledger.add(Payment, invoice=invoice, paid_on=paid_on, amount=paid)
            invoice.open_balance = amount - paid
        if rng.random() < 0.06:
            opened = issued + timedelta(days=rng.randrange(3, 25))
            if opened <= today:
                resolved = opened + timedelta(days=rng.randrange(2, 45))
                ledger.add(Dispute, invoice=invoice, opened_on=opened,
                           resolved_on=resolved if resolved <= today else None)
        issued += timedelta(days=rng.randrange(24, 38))
    for _ in range(rng.randrange(0, 4)):
        promised = start - timedelta(days=30) + timedelta(days=rng.randrange(0, 75))
        status = (PromiseToPay.Status.OPEN if promised > today else
                  PromiseToPay.Status.KEPT if rng.random() < on_time + 0.1 else
                  PromiseToPay.Status.BROKEN)
        ledger.add(PromiseToPay, account=account, made_on=promised - timedelta(days=7),
                   promised_on=promised, amount=_money(rng, 200, 4000), status=status)
    for _ in range(rng.randrange(0, 5)):
        contacted = start - timedelta(days=20) + timedelta(days=rng.randrange(0, 60))
        if contacted <= today:
            # Now and then a teammate covers the call.
            caller = collector if rng.random() < 0.85 or not team else rng.choice(team)
            ledger.add(ContactAttempt, account=account, collector=caller,
                       contacted_on=contacted, channel=rng.choice(CHANNELS),
                       outcome=rng.choice(["Promised to pay", "Left a message",
                                           "Disputed an invoice", "No answer", "Paid"]))


def create_demo_ledger(period: ReviewPeriod, today: date, *, collectors: list[Employee],
                       loaded_by, seed: int = 17) -> LedgerLoad:
    """The demo ledger (or the one already loaded) for `collectors`."""
    existing = LedgerLoad.objects.filter(file_name=DEMO_FILE).first()
    if existing is not None:
        return existing
    rng = random.Random(seed)
    with transaction.atomic():
        load = LedgerLoad.objects.create(kind=LedgerLoad.Kind.INVOICES, file_name=DEMO_FILE,
                                         loaded_by=loaded_by)
        ledger = _Ledger(load, today)
        for collector in collectors:
            team = [c for c in collectors
                    if c.supervisor_id == collector.supervisor_id and c != collector]
            for index in range(ACCOUNTS_EACH):
                account = ledger.add(
                    CustomerAccount, collector=collector, territory=collector.territory,
                    name=f"{CUSTOMERS[(index + collector.pk) % len(CUSTOMERS)]} "
                         f"({collector.territory or 'HQ'} {index + 1})")
                _account_history(ledger, rng, account, collector, team, period.starts_on)
        ledger.save()
        load.rows_total = load.rows_created = ledger.count
        load.save(update_fields=["rows_total", "rows_created"])
    return load


def compute_demo_kpis(period: ReviewPeriod, today: date, load: LedgerLoad) -> int:
    """Weekly figures from the period's first week to today, as weekly loads would have left
    them, so a bound goal's chart shows its KPI over time. Returns the snapshots computed."""
    days = []
    day = min(period.starts_on + timedelta(days=6), today)
    while day < today:
        days.append(day)
        day += timedelta(days=7)
    days.append(today)
    for day in days:
        period_recompute(period, today=day, load=load)
    return len(days)
