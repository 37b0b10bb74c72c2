"""The e-mail outbox: takes unsent notifications with a conditional UPDATE (so each is taken by
exactly one sender), groups them into e-mails, sends them over one connection and records the
outcome on every row. Digests are claimed once per person and day first."""

import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Case, F, Q, Subquery, Value, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import DigestDelivery, Notification

logger = logging.getLogger(__name__)

E = Notification.Email
K = Notification.Kind
BATCH = 500  # e-mails' rows taken per delivery; the rest wait for the next one
MAX_ATTEMPTS = 5
STALE_CLAIM = timedelta(minutes=30)  # a sender that died mid-way leaves rows "sending"


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    no_address: int = 0
    emails: int = 0
    errors: list[str] = field(default_factory=list)


def _claim_digests(token, now) -> None:
    """Today's digest for each person with reminders collected, claimed once per day."""
    today = timezone.localdate(now)
    waiting = list(Notification.objects.filter(email_status=E.DIGEST).order_by()
                   .values_list("recipient_id", flat=True).distinct())
    if not waiting:
        return
    DigestDelivery.objects.bulk_create(
        [DigestDelivery(recipient_id=pk, day=today, batch=token) for pk in waiting],
        ignore_conflicts=True)
    Notification.objects.filter(
        email_status=E.DIGEST,
        recipient_id__in=DigestDelivery.objects.filter(batch=token).values("recipient_id"),
    ).update(email_status=E.SENDING, claim=token, claimed_at=now)


def _claim_pending(token, now, event_id, limit) -> None:
    unsent = Q(email_status=E.PENDING) | Q(email_status=E.SENDING, claimed_at__lt=now - STALE_CLAIM)
    if event_id is not None:
        unsent &= Q(event_id=event_id)
    first = Notification.objects.filter(unsent).order_by("pk").values("pk")[:limit]
    # The status is checked again by the UPDATE itself: a row another sender took meanwhile
    # no longer matches, so it is never sent twice.
    Notification.objects.filter(unsent, pk__in=Subquery(first)).update(
        email_status=E.SENDING, claim=token, claimed_at=now)


def _template_of(notice: Notification) -> str:
    if notice.kind == K.WAITING:
        return "waiting"
    if notice.kind == K.ESCALATION:
        return "escalation"
    return "digest" if notice.via_digest else "reminder"


def _group(notices: list[Notification]) -> list[tuple[str, list[Notification]]]:
    """One e-mail per waiting notice or single reminder; one per person for their escalations
    and for their digest."""
    grouped: dict[tuple, list[Notification]] = defaultdict(list)
    for notice in notices:
        template = _template_of(notice)
        key = (template, notice.recipient_id) if template in ("escalation", "digest") \
            else (template, notice.pk)
        grouped[key].append(notice)
    return [(key[0], rows) for key, rows in grouped.items()]


def _absolute(path: str) -> str:
    return settings.SITE_ROOT.rstrip("/") + path


def _return_note(notice: Notification) -> str:
    """HR's note when the notice is about a sheet HR returned: the supervisor reads what to
    change in the e-mail itself."""
    event = notice.event
    return event.note if event and event.action == "return_to_supervisor" else ""


def _email(template: str, notices: list[Notification]) -> EmailMultiAlternatives:
    recipient = notices[0].recipient
    context = {
        "recipient_name": recipient.get_full_name() or recipient.get_username(),
        "notices": [{"message": n.message, "kind": n.get_kind_display(),
                     "url": _absolute(reverse("sheet_detail", args=[n.sheet_id])),
                     "return_note": _return_note(n)}
                    for n in notices],
        "notice": None,
        "notifications_url": _absolute(reverse("notifications")),
        "settings_url": _absolute(reverse("notification_settings")),
    }
    context["notice"] = context["notices"][0]
    subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
    email = EmailMultiAlternatives(
        subject, render_to_string(f"emails/{template}_body.txt", context),
        settings.DEFAULT_FROM_EMAIL, [recipient.email])
    email.attach_alternative(render_to_string(f"emails/{template}_body.html", context),
                             "text/html")
    return email


def outbox_deliver(*, event_id: int | None = None, limit: int = BATCH) -> DeliveryReport:
    """Sends what the outbox holds (only the notices of `event_id`, if given), in a fixed
    number of queries: claim, fetch, then one update per outcome."""
    token, now = uuid.uuid4(), timezone.now()
    if event_id is None:
        _claim_digests(token, now)
    _claim_pending(token, now, event_id, limit)
    notices = list(Notification.objects.filter(claim=token)
                   .select_related("recipient", "event").order_by("recipient_id", "pk"))
    report = DeliveryReport()
    if not notices:
        return report
    sent: list[int] = []
    no_address: list[int] = []
    failed: dict[str, list[int]] = defaultdict(list)
    connection = get_connection()
    try:
        connection.open()
        for template, rows in _group(notices):
            ids = [n.pk for n in rows]
            if not rows[0].recipient.email:
                no_address += ids
                continue
            try:
                connection.send_messages([_email(template, rows)])
            except Exception as error:  # one bad address or template must not stop the rest
                logger.warning("E-mail to %s failed: %s", rows[0].recipient, error)
                failed[f"{type(error).__name__}: {error}"[:500]] += ids
            else:
                sent += ids
                report.emails += 1
    except Exception as error:  # the mail server itself is unreachable
        logger.warning("Could not open the e-mail connection: %s", error)
        unsent = {n.pk for n in notices} - set(sent) - set(no_address)
        failed[f"{type(error).__name__}: {error}"[:500]] = sorted(unsent)
    finally:
        connection.close()
    done = timezone.now()
    if sent:
        Notification.objects.filter(pk__in=sent).update(
            email_status=E.SENT, emailed_at=done, attempts=F("attempts") + 1, email_error="")
    if no_address:
        Notification.objects.filter(pk__in=no_address).update(email_status=E.NO_ADDRESS)
    for error, ids in failed.items():
        # Tried again by the next delivery, until MAX_ATTEMPTS have failed.
        Notification.objects.filter(pk__in=ids).update(
            email_status=Case(When(attempts__gte=MAX_ATTEMPTS - 1, then=Value(E.FAILED)),
                              default=Value(E.PENDING)),
            attempts=F("attempts") + 1, email_error=error, claim=None)
        report.errors.append(error)
    report.sent, report.no_address = len(sent), len(no_address)
    report.failed = sum(len(ids) for ids in failed.values())
    return report
