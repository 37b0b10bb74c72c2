"""Hangs notifications off the workflow's sheet_transitioned signal (sent after commit)."""

import logging

from django.dispatch import receiver

from reviews.signals import sheet_transitioned

from .services import notifications_create_for_event

logger = logging.getLogger(__name__)


@receiver(sheet_transitioned, dispatch_uid="reviews.notifications.tell_next_actor")
def tell_next_actor(sender, sheet, event, **kwargs):
    # The transition has committed; a failure here must not turn the user's page into a 500.
    try:
        notifications_create_for_event(sheet=sheet, event=event)
    except Exception:
        logger.exception("Could not record the notifications for event %s on sheet %s",
                         event.pk, sheet.pk)
