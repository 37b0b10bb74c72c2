"""The Celery app. With no CELERY_BROKER_URL set, settings make every task run eagerly."""

import os
import sys

from celery import Celery
from celery.schedules import crontab
from celery.signals import setup_logging

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# --- Deployment (issue 11): a worker or beat started with a bad production setting stops with the
# same sentences as manage.py and gunicorn (config/deploy.py), not a traceback from inside
# Django's setup.
if sys.argv and sys.argv[0].endswith(("celery", "celery/__main__.py")):
    from config import deploy

    if not deploy.is_debug(os.environ) and (_problems := deploy.production_problems(os.environ)):
        sys.exit(deploy.refusal(_problems))

app = Celery("goalpost")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# --- Reminders (issue 4): the periodic sweep, static so every beat process agrees. Each
# reminder is claimed in the database, so a second beat or an overlapping run sends nothing
# twice; running often only catches up sooner on e-mails a broker outage held back.
app.conf.beat_schedule = {
    "send-reminders": {"task": "notifications.send_reminders", "schedule": crontab(minute="*/15")},
    # The API's Idempotency-Keys are kept API_IDEMPOTENCY_HOURS, then forgotten.
    "purge-idempotency-keys": {"task": "api.purge_idempotency_keys",
                               "schedule": crontab(minute=7)},
    # --- Faults (issue 12): a notice whose delivery could not be queued (the broker was down
    # when the action committed) waits in the outbox as a row; this sends it within a minute of
    # the broker's return instead of at the next reminder sweep. An empty outbox costs a query.
    "deliver-outbox": {"task": "notifications.deliver_notifications",
                       "schedule": float(os.getenv("NOTIFICATION_OUTBOX_SECONDS", "60"))},
    # --- Closing (issue 15): the morning after a period ends, every signed sheet of it gets its
    # closing review. Opening is idempotent, so a missed night only opens them a day later.
    "open-due-closing-reviews": {"task": "reviews.open_due_closing_reviews",
                                 "schedule": crontab(hour=2, minute=30)},
}


# --- Deployment (issue 11): the worker and beat log through settings.LOGGING, like the web
# process: same format (text or JSON), each line once. Connecting this signal stops Celery from
# installing a root handler of its own beside Django's.
@setup_logging.connect
def _use_django_logging(**kwargs):
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
