"""Read queries for the notifications page and the settings page."""

from django.db.models import QuerySet

from goalsapp.access import sheets_visible_to

from .models import Notification, NotificationPreference


def notifications_for(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("sheet__period")


def notification_of(user, pk) -> Notification | None:
    """One of the user's own notifications; someone else's is as good as nonexistent."""
    return Notification.objects.filter(pk=pk, recipient=user).first()


def visible_sheet_ids(user, notices) -> set[int]:
    """Which of these notices' sheets the user may open now (the one visibility policy)."""
    ids = {notice.sheet_id for notice in notices}
    return set(sheets_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))


def prefers_digest(user) -> bool:
    return NotificationPreference.objects.filter(user=user, daily_digest=True).exists()
