"""The reminder sweep: who is due a reminder or an escalation today, claimed in the database so
each is sent once, then the outbox is delivered. Run by Celery beat or `manage.py send_reminders`.

Rules (the numbers are NotificationSettings, edited in the admin):
- *before due*: once, from `lead_days` before the stage's due date up to the due date itself;
- *overdue*: the day after the due date, then every `overdue_cadence_days` while still overdue;
- *escalation*: once, from `escalation_after_days` overdue days on, to the supervisor's own
  supervisor and HR.

Set-based: the due date depends only on the period and the state, so the day slot of each kind
is worked out per (period, state) in Python, and each kind is one query over the sheets that have
a slot today and no claim for it yet. The claims are one INSERT … ON CONFLICT DO NOTHING on the
unique key (sheet, stage, recipient, kind, day): retries and overlapping sweeps add nothing.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Case, Count, DateField, Exists, OuterRef, Q, Value, When
from django.utils import timezone

from goalsapp.access import hr_user_ids
from goalsapp.models import GoalSheet, ReviewPeriod
from reviews.workflow import STAGE_DUE_FIELD, current_state_expression

from .delivery import BATCH, DeliveryReport, outbox_deliver
from .models import Notification, NotificationPreference, NotificationSettings
from .queueing import enqueue
from .recipients import (
    SHEET_VALUES,
    SheetRow,
    escalation_recipients,
    next_actors,
)
from .wording import message

K = Notification.Kind
MAX_FOLLOW_UPS = 200  # deliveries queued by one sweep; the next sweep queues the rest


@dataclass(frozen=True)
class Slot:
    """Today's slot of one kind for one (period, state): the claim's day, and the due date."""

    kind: str
    day: date
    due: date


def slots_for(due: date, today: date, rules: NotificationSettings) -> list[Slot]:
    """The reminder and escalation slots open today for a stage due on `due`."""
    # A due-soon reminder and an escalation are claimed under the due date itself, so that
    # changing the lead days or the threshold in the admin never sends either a second time.
    slots = []
    if due - timedelta(days=rules.lead_days) <= today <= due:
        slots.append(Slot(K.BEFORE_DUE, due, due))
    overdue = (today - due).days
    if overdue >= 1:
        latest = (overdue - 1) // rules.overdue_cadence_days * rules.overdue_cadence_days
        slots.append(Slot(K.OVERDUE, due + timedelta(days=1 + latest), due))
    if overdue >= rules.escalation_after_days:
        slots.append(Slot(K.ESCALATION, due, due))
    return slots


@dataclass
class SweepReport:
    created: dict[str, int] = field(default_factory=dict)
    delivery: DeliveryReport = field(default_factory=DeliveryReport)
    follow_ups: int = 0

    def __str__(self):
        made = ", ".join(f"{count} {kind}" for kind, count in self.created.items()) or "none"
        return (f"Reminders claimed: {made}. E-mails sent: {self.delivery.emails} "
                f"({self.delivery.sent} notifications); failed: {self.delivery.failed}; "
                f"without an address: {self.delivery.no_address}; further deliveries "
                f"queued: {self.follow_ups}.")


def _open_slots(today: date, rules) -> dict[str, dict[tuple[int, str], Slot]]:
    """For each kind, the (period id, state) pairs with a slot today. One query."""
    by_kind: dict[str, dict[tuple[int, str], Slot]] = {kind: {} for kind in
                                                         (K.BEFORE_DUE, K.OVERDUE, K.ESCALATION)}
    # A closing review is held to its period's closing dates after the period has ended and
    # perhaps been closed to new sheets; a period without those dates has no closing slots.
    for period in ReviewPeriod.objects.filter(Q(is_open=True) | Q(sheets__closing__isnull=False)
                                              ).distinct():
        for state, due_field in STAGE_DUE_FIELD.items():
            if due_field is None or getattr(period, due_field) is None:
                continue
            for slot in slots_for(getattr(period, due_field), today, rules):
                by_kind[slot.kind][(period.pk, str(state))] = slot
    return by_kind


def _unclaimed_sheets(kind: str, slots: dict[tuple[int, str], Slot]) -> list[SheetRow]:
    """Sheets with a `kind` slot today that nobody has claimed yet. One query."""
    match = Q()
    day = Case(*[When(Q(period_id=p, stage=s), then=Value(slot.day))
                 for (p, s), slot in slots.items()], output_field=DateField())
    for period_id, state in slots:
        match |= Q(period_id=period_id, stage=state)
    claimed = Notification.objects.filter(sheet_id=OuterRef("pk"), stage=OuterRef("stage"),
                                          kind=kind, day=OuterRef("slot_day"))
    rows = (GoalSheet.objects.annotate(stage=current_state_expression()).filter(match)
            .alias(slot_day=day)
            .exclude(Exists(claimed)).order_by().values_list(*SHEET_VALUES))
    return [SheetRow(*values) for values in rows]


CLAIM_COLUMNS = ("recipient_id", "sheet_id", "kind", "stage", "day", "message", "via_digest",
                 "email_status")  # then the same batch, created_at, attempts and error for all


def claims_insert(rows: list[tuple], *, batch: uuid.UUID, now) -> dict[str, int]:
    """INSERT … ON CONFLICT DO NOTHING of new notification rows (CLAIM_COLUMNS tuples): a row
    whose (sheet, stage, recipient, kind, day) exists already is silently left out. Returns how
    many of each kind were made. PostgreSQL gets them through COPY into a temporary table (far
    cheaper than building 100,000 model instances); other databases through bulk_create."""
    if connection.vendor != "postgresql":
        Notification.objects.bulk_create(
            [Notification(**dict(zip(CLAIM_COLUMNS, row, strict=True)), batch=batch,
                          created_at=now) for row in rows],
            ignore_conflicts=True)
        made = Notification.objects.filter(batch=batch).order_by().values("kind")
        return dict(made.annotate(n=Count("pk")).values_list("kind", "n"))
    table = Notification._meta.db_table
    columns = ", ".join((*CLAIM_COLUMNS, "batch", "created_at", "attempts", "email_error"))
    same_for_all = f"\t{batch}\t{now.isoformat()}\t0\t\n"
    with transaction.atomic(), connection.cursor() as cursor:
        # Not waiting for the disk here is safe: before any of these rows is e-mailed, the
        # delivery's own (synchronous) commit flushes them. A crash before that loses only
        # claims nobody acted on, which the next sweep makes again.
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(f"CREATE TEMPORARY TABLE new_claims ON COMMIT DROP AS "
                       f"SELECT {columns} FROM {table} WITH NO DATA")
        with cursor.copy(f"COPY new_claims ({columns}) FROM STDIN") as copy:
            for start in range(0, len(rows), 5000):
                copy.write("".join(_copy_line(row) + same_for_all
                                   for row in rows[start:start + 5000]))
        cursor.execute(f"WITH made AS (INSERT INTO {table} ({columns}) "
                       f"SELECT {columns} FROM new_claims ON CONFLICT DO NOTHING RETURNING kind) "
                       "SELECT kind, count(*) FROM made GROUP BY kind")
        made = dict(cursor.fetchall())
        cursor.execute("DROP TABLE new_claims")  # at once: an outer transaction may go on
    return made


def _copy_text(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = (value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                 .replace("\r", "\\r"))
    return value


def _copy_line(row: tuple) -> str:
    """One row in COPY's text format, built by hand: cheaper than psycopg's write_row, which
    adapts every value one by one. Only the message is free text; the rest are ids, choices,
    dates and a boolean, which need no escaping."""
    recipient, sheet, kind, stage, day, text, digest, status = row
    return (f"{recipient}\t{sheet}\t{kind}\t{stage}\t{day}\t{_copy_text(text)}\t"
            f"{'t' if digest else 'f'}\t{status}")


def reminders_sweep(*, today: date | None = None, deliver: bool = True,
                    limit: int | None = None) -> SweepReport:
    """Claims today's reminders and escalations, then sends the outbox (everything unsent,
    including e-mails a broker outage kept from going out)."""
    today = today or timezone.localdate()
    rules = NotificationSettings.load()
    report = SweepReport()
    by_kind = _open_slots(today, rules)
    if any(by_kind.values()):
        hr_ids = hr_user_ids()
        inactive = set(get_user_model().objects.filter(is_active=False)
                       .values_list("pk", flat=True))
        digest = set(NotificationPreference.objects.filter(daily_digest=True)
                     .values_list("user_id", flat=True))
        batch, now = uuid.uuid4(), timezone.now()
        notices = []
        for kind, slots in by_kind.items():
            if not slots:
                continue
            for row in _unclaimed_sheets(kind, slots):
                slot = slots[(row.period_id, row.state)]
                who = (escalation_recipients(row, hr_ids) if kind == K.ESCALATION
                       else next_actors(row, hr_ids))
                for pk in who:
                    if pk in inactive:
                        continue
                    in_digest = kind != K.ESCALATION and pk in digest
                    notices.append((
                        pk, row.pk, kind, row.state, slot.day,
                        message(kind, row, pk, due=slot.due, today=today), in_digest,
                        Notification.Email.DIGEST if in_digest else Notification.Email.PENDING))
        if notices:
            report.created = claims_insert(notices, batch=batch, now=now)
    if deliver:
        limit = limit or BATCH
        report.delivery = outbox_deliver(limit=limit)
        taken = report.delivery.sent + report.delivery.failed + report.delivery.no_address
        if taken >= limit:  # a full batch: there may be more (failures wait for the next sweep)
            report.follow_ups = _queue_the_rest(limit)
    return report


def _queue_the_rest(limit: int) -> int:
    """More unsent than one batch (a first run over many sheets, or a long broker outage):
    queue further deliveries, which workers take in parallel, each claiming its own rows."""
    backlog = Notification.objects.filter(email_status=Notification.Email.PENDING).count()
    follow_ups = min(-(-backlog // limit), MAX_FOLLOW_UPS)
    if follow_ups:
        from .tasks import deliver_notifications  # tasks import this module

        for _ in range(follow_ups):
            if not enqueue(deliver_notifications):
                break  # the broker is down: the next sweep carries on
    return follow_ups
