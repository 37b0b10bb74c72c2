"""The Celery wiring for real: a transition's e-mail goes through Redis to a Celery worker that
this test starts; with the broker unreachable the action still commits, answers, and the next
sweep delivers. Needs Redis at REDIS_URL (scripts/test.sh makes sure of it): never skipped."""

import logging
import os

import pytest
import redis
from django.db import connection
from django.urls import reverse

from goalsapp.models import GoalSheet, SheetState
from reviews.notifications.models import Notification
from reviews.notifications.reminders import reminders_sweep
from tests.deploy import processes
from tests.faults.fault_helpers import broker

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

REDIS_URL = os.getenv("REDIS_URL", "redis://127.0.0.1:6379/4")
CLOSED_PORT = "redis://127.0.0.1:1/0"


@pytest.fixture
def worker(transactional_db, tmp_path):
    """A real `celery -A config worker` on REDIS_URL, reading the test database and writing
    e-mails as files into a temporary directory."""
    assert connection.vendor == "postgresql", "The worker needs the PostgreSQL test database."
    queue = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    queue.ping()  # Redis unreachable: the test fails here, it is never skipped
    # The tests' own database (scripts/test.sh refuses 0): emptied before, and after, the run.
    assert queue.connection_pool.connection_kwargs.get("db", 0) != 0, (
        f"REDIS_URL={REDIS_URL} is database 0; the test empties its database, use another")
    queue.flushdb()
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    log = tmp_path / "worker.log"
    env = {**os.environ, "CELERY_BROKER_URL": REDIS_URL,
           "DATABASE_URL": processes.test_database_url(),
           "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
           "EMAIL_FILE_PATH": str(mail_dir), "DJANGO_SETTINGS_MODULE": "config.settings"}
    command = ["celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
               "--without-mingle", "--without-gossip", "--without-heartbeat"]
    try:
        with processes.started(command, env, log) as process:
            processes.wait_for(
                lambda: process.poll() is not None or "ready." in log.read_text(),
                "the worker to start", log)
            assert process.poll() is None, log.read_text()[-3000:]
            yield mail_dir, log
    finally:
        queue.flushdb()  # no Celery keys left behind


def test_a_transitions_email_goes_through_redis_to_a_real_worker(worker, client, sheet,
                                                                 supervisor):
    mail_dir, log = worker
    client.force_login(supervisor.user)
    url = reverse("sheet_transition", args=[sheet.pk, "send_to_employee"])
    with broker(REDIS_URL):
        response = client.post(url, {"version": sheet.version, "note": ""})
    assert response.status_code == 302

    def emma_told():
        texts = [path.read_text() for path in mail_dir.glob("*.log")]
        return [t for t in texts if "To: emma@example.com" in t]

    emails = processes.wait_for(emma_told, "the worker's e-mail to Emma", log)
    assert "now waits on you: answer goals" in emails[0]
    assert f"/sheets/{sheet.pk}/" in emails[0]
    assert "notifications.deliver_notifications" in log.read_text()
    notice = Notification.objects.get()
    assert notice.email_status == Notification.Email.SENT


def test_with_the_broker_unreachable_the_action_commits_and_the_next_sweep_delivers(
        client, sheet, supervisor, mailoutbox, caplog):
    client.force_login(supervisor.user)
    url = reverse("sheet_transition", args=[sheet.pk, "send_to_employee"])
    with broker(CLOSED_PORT), caplog.at_level(logging.WARNING):
        response = client.post(url, {"version": sheet.version, "note": ""}, follow=True)

    assert response.status_code == 200  # the page answered
    assert "Sent to the employee for their answers." in response.content.decode()
    assert GoalSheet.objects.get(pk=sheet.pk).state == SheetState.EMPLOYEE_REVIEW
    assert "the next reminder sweep will send it" in caplog.text
    assert mailoutbox == []
    assert Notification.objects.get().email_status == Notification.Email.PENDING

    reminders_sweep()  # the broker is back (here: eager, as without Redis)

    assert [m.to for m in mailoutbox] == [["emma@example.com"]]
    assert "now waits on you" in mailoutbox[0].subject
    assert Notification.objects.get().email_status == Notification.Email.SENT
