"""The unread-notification count for the navigation badge: one query per page."""

from .models import Notification


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.filter(
        recipient=user, read_at__isnull=True).count()}
