"""The Celery app. With no CELERY_BROKER_URL set, settings make every task run eagerly."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("goalpost")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# --- Reminders (issue 4): the periodic sweep, static so every beat process agrees. Each
# reminder is claimed in the database, so a second beat or an overlapping run sends nothing
# twice; running often only catches up sooner on e-mails a broker outage held back.
app.conf.beat_schedule = {
    "send-reminders": {"task": "notifications.send_reminders", "schedule": crontab(minute="*/15")},
}
