"""The department's accounts-receivable ledger as AR systems export it: customer accounts,
invoices, payments, promises to pay, disputes and contact attempts, each row remembering the
load (file or API batch) that last wrote it.

Every row carries the source system's own id (`number`): a re-load of the same export finds
its rows by that id and changes nothing, which is what makes loads idempotent. Amounts are
in the period's currency; the ledger keeps no history of its own, the loads are its history.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from goalsapp.models import Employee

MONEY = {"max_digits": 16, "decimal_places": 2}


class SourceSystem(models.Model):
    """An AR system whose CSV exports are loaded, with the column mapping saved per kind of
    file: {"invoices": {"number": "Invoice No", "amount": "Amt", …}, …}."""

    name = models.CharField(max_length=100, unique=True)
    column_mappings = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class LedgerLoad(models.Model):
    """One load into the ledger: an uploaded file (previewed, then applied) or an API batch."""

    class Kind(models.TextChoices):
        ACCOUNTS = "accounts", "Customer accounts"
        INVOICES = "invoices", "Invoices"
        PAYMENTS = "payments", "Payments"
        PROMISES = "promises", "Promises to pay"
        DISPUTES = "disputes", "Disputes"
        CONTACTS = "contacts", "Contact attempts"

    class Channel(models.TextChoices):
        FILE = "file", "CSV file"
        API = "api", "API batch"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.FILE)
    source_system = models.ForeignKey(SourceSystem, null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="loads")
    file_name = models.CharField(max_length=255, blank=True)
    batch_id = models.CharField("API batch id", max_length=100, blank=True)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="ledger_loads")
    created_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField(null=True, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_updated = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    # An uploaded file waits here between upload, mapping, preview and apply, and stays as
    # the record of what was loaded; the mapping is the one it was read with.
    file = models.FileField(upload_to="ar-loads/%Y/%m/", blank=True)
    column_mapping = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        where = self.file_name or self.batch_id or f"load {self.pk}"
        return f"{self.get_kind_display()}: {where}"


class LedgerRow(models.Model):
    # Unique by a constraint, not `unique=True`: the same index, without the second
    # (LIKE-pattern) index PostgreSQL gets for a unique CharField, which no query uses and
    # every loaded row would pay for. Each table's Meta adds `number_unique(...)`.
    number = models.CharField("Id in the source system", max_length=60)
    # No index on `load`: a load's rows are never looked up by it, and at two million
    # payments a load, every index is paid for on every row. No database constraint either
    # (db_constraint=False, here and on the references between ledger tables): PostgreSQL
    # checks a foreign key row by row at commit, which was a third of a million-row load.
    # The loader checks every reference itself, in SQL, in the same transaction and under
    # its lock (goalsapp/ar/loading.py); PROTECT still keeps Django from deleting a row
    # that another names.
    load = models.ForeignKey(LedgerLoad, on_delete=models.PROTECT, related_name="+",
                             db_index=False, db_constraint=False)

    class Meta:
        abstract = True

    def __str__(self):
        return self.number


def number_unique(table: str) -> models.UniqueConstraint:
    """The source system's id, once per table: what a re-load finds its rows by (ON CONFLICT)."""
    return models.UniqueConstraint(fields=["number"], name=f"ar_{table}_number_unique")


class CustomerAccount(LedgerRow):
    name = models.CharField(max_length=200)
    collector = models.ForeignKey(Employee, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="ar_accounts",
                                  db_index=False)  # ar_account_collector serves it
    territory = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["number"]
        indexes = [models.Index(fields=["collector"], name="ar_account_collector")]
        constraints = [number_unique("account")]


class Invoice(LedgerRow):
    account = models.ForeignKey(CustomerAccount, on_delete=models.PROTECT,
                                related_name="invoices", db_index=False,
                                db_constraint=False)  # ar_invoice_account
    issued_on = models.DateField()
    due_on = models.DateField()
    amount = models.DecimalField(**MONEY)
    open_balance = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["issued_on", "number"]
        indexes = [models.Index(fields=["account", "issued_on"], name="ar_invoice_account")]
        constraints = [
            number_unique("invoice"),
            models.CheckConstraint(condition=Q(open_balance__gte=0),
                                   name="ar_invoice_open_balance_not_negative"),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("issued_on")),
                                   name="ar_invoice_due_after_issue"),
        ]


class Payment(LedgerRow):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments",
                                db_index=False,  # ar_payment_invoice serves it
                                db_constraint=False)
    paid_on = models.DateField()
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["paid_on", "number"]
        indexes = [models.Index(fields=["invoice", "paid_on"], name="ar_payment_invoice")]
        constraints = [number_unique("payment"),
                       models.CheckConstraint(condition=Q(amount__gt=0),
                                              name="ar_payment_positive")]


class PromiseToPay(LedgerRow):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        KEPT = "kept", "Kept"
        BROKEN = "broken", "Broken"

    account = models.ForeignKey(CustomerAccount, on_delete=models.PROTECT,
                                related_name="promises", db_index=False,
                                db_constraint=False)  # ar_promise_account
    made_on = models.DateField(null=True, blank=True)
    promised_on = models.DateField("Promised date")
    amount = models.DecimalField(**MONEY)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["promised_on", "number"]
        verbose_name_plural = "promises to pay"
        indexes = [models.Index(fields=["account", "promised_on"], name="ar_promise_account")]
        constraints = [number_unique("promise"),
                       models.CheckConstraint(condition=Q(amount__gt=0),
                                              name="ar_promise_positive")]


class Dispute(LedgerRow):
    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="disputes",
                                db_index=False,  # ar_dispute_invoice serves it
                                db_constraint=False)
    opened_on = models.DateField()
    resolved_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["opened_on", "number"]
        indexes = [models.Index(fields=["invoice"], name="ar_dispute_invoice")]
        constraints = [
            number_unique("dispute"),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=models.F("opened_on")),
                name="ar_dispute_resolved_after_opened"),
        ]


class ContactAttempt(LedgerRow):
    class ContactChannel(models.TextChoices):
        PHONE = "phone", "Phone"
        EMAIL = "email", "E-mail"
        LETTER = "letter", "Letter"
        SMS = "sms", "Text message"
        VISIT = "visit", "Visit"

    account = models.ForeignKey(CustomerAccount, on_delete=models.PROTECT,
                                related_name="contact_attempts", db_constraint=False)
    collector = models.ForeignKey(Employee, on_delete=models.PROTECT, db_index=False,
                                  related_name="ar_contact_attempts")  # ar_contact_collector
    contacted_on = models.DateField()
    channel = models.CharField(max_length=10, choices=ContactChannel.choices)
    outcome = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["contacted_on", "number"]
        indexes = [models.Index(fields=["collector", "contacted_on"], name="ar_contact_collector")]
        constraints = [number_unique("contact")]


class KpiSnapshot(models.Model):
    """The KPI figures of a period as of one day, computed from the ledger after a load (or
    by `manage.py compute_kpis`): what the collector KPI dashboard and bound goals read, so a
    page never aggregates millions of ledger rows on request."""

    period = models.ForeignKey("goalsapp.ReviewPeriod", on_delete=models.CASCADE,
                               related_name="kpi_snapshots")
    as_of = models.DateField()
    computed_at = models.DateTimeField(default=timezone.now)
    # The load that asked for the computation; blank when computed by hand.
    load = models.ForeignKey(LedgerLoad, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="kpi_snapshots")

    class Meta:
        ordering = ["-as_of"]
        constraints = [models.UniqueConstraint(fields=["period", "as_of"],
                                               name="ar_one_kpi_snapshot_per_day")]

    def __str__(self):
        return f"{self.period} as of {self.as_of}"


class KpiFigure(models.Model):
    """The additive aggregates of one scope (a collector's accounts, a team's, a territory's)
    in a snapshot; goalsapp/ar/kpis.py turns them into the KPIs. Stored as sums and counts, not
    ratios, so collectors can be summed into any group (title, tier) the dashboard asks for."""

    snapshot = models.ForeignKey(KpiSnapshot, on_delete=models.CASCADE, related_name="figures")
    scope = models.CharField(max_length=20)  # goalsapp.kpis SCOPE_*
    # The collector (scope collector) or the team's supervisor (scope team).
    employee = models.ForeignKey(Employee, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="+")
    territory = models.CharField(max_length=100, blank=True)
    beginning = models.DecimalField(**MONEY, default=0)
    credit_sales = models.DecimalField(**MONEY, default=0)
    ending_total = models.DecimalField(**MONEY, default=0)
    ending_current = models.DecimalField(**MONEY, default=0)
    cash_collected = models.DecimalField(**MONEY, default=0)
    promises_kept = models.PositiveIntegerField(default=0)
    promises_broken = models.PositiveIntegerField(default=0)
    disputes_resolved = models.PositiveIntegerField(default=0)
    dispute_days = models.PositiveIntegerField(default=0)
    accounts_contacted = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["snapshot", "scope"], name="ar_kpi_figure_scope")]

    def __str__(self):
        return f"{self.scope} {self.employee_id or self.territory} in {self.snapshot_id}"
