"""Writes for notifications: the notice that a sheet now waits on someone, reading them, a
person's choice between single e-mails and a daily digest, and HR's reminder settings."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from goalsapp.access import hr_user_ids
from goalsapp.models import GoalSheet

from .models import Notification, NotificationPreference, NotificationSettings
from .queueing import enqueue
from .recipients import SheetRow, next_actors
from .wording import message


def notifications_create_for_event(*, sheet: GoalSheet, event) -> int:
    """Tells whoever `sheet` now waits on (after the transition `event`), in the database first,
    then queues the e-mails once that is committed. Never the person who just acted; always
    an immediate e-mail, whatever their digest choice. Running it twice adds nothing."""
    row = SheetRow.of(GoalSheet.objects.select_related(
        "employee__supervisor__supervisor", "period").get(pk=sheet.pk))
    if row.state != event.to_state:
        return 0  # the sheet has moved on again; that later transition tells its own people
    candidates = [pk for pk in next_actors(row, hr_user_ids()) if pk != event.actor_id]
    recipients = get_user_model().objects.filter(pk__in=candidates, is_active=True)
    today = timezone.localdate()
    notices = [Notification(recipient_id=pk, sheet_id=row.pk, kind=Notification.Kind.WAITING,
                            stage=row.state, day=today, event=event,
                            message=message(Notification.Kind.WAITING, row, pk))
               for pk in recipients.values_list("pk", flat=True)]
    if not notices:
        return 0
    with transaction.atomic():
        Notification.objects.bulk_create(notices, ignore_conflicts=True)
        transaction.on_commit(_queue_delivery(event.pk))
    return len(notices)


def _queue_delivery(event_id: int):
    def queue():
        from .tasks import deliver_notifications  # tasks import services, not back

        enqueue(deliver_notifications, event_id=event_id)
    return queue


def notification_mark_read(*, user, notification_id: int) -> bool:
    """Marks one of the user's own notifications read; False if it is not theirs or unknown."""
    found = Notification.objects.filter(pk=notification_id, recipient=user)
    found.filter(read_at__isnull=True).update(read_at=timezone.now())
    return found.exists()


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now())


def notification_preference_set(*, user, daily_digest: bool) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.update_or_create(
        user=user, defaults={"daily_digest": daily_digest})
    return preference


REMINDER_FIELDS = ("lead_days", "overdue_cadence_days", "escalation_after_days")


def reminder_settings_save(*, actor, values: dict) -> NotificationSettings:
    """Changes the numbers reminders go by (HR and administrators: the caller asks
    access.may_change_reminder_settings); the next sweep uses them."""
    with transaction.atomic():
        NotificationSettings.load()
        row = NotificationSettings.objects.select_for_update().get(
            pk=NotificationSettings.SINGLETON_PK)
        for name in REMINDER_FIELDS:
            setattr(row, name, values[name])
        row.full_clean()
        row.save(update_fields=REMINDER_FIELDS)
    return row
