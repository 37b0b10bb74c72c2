"""Redis stopped while a person acts: the transition commits and the page says so, the notice
waits in the outbox as a row, and once Redis is back the worker's beat sends it. The test runs
its own redis-server on a free port (never the shared one) and stops and starts it."""

import logging

import pytest
from django.urls import reverse

from goalsapp.models import GoalSheet, SheetState
from reviews.notifications.models import Notification
from tests.deploy import processes
from tests.faults.fault_helpers import OwnRedis, broker, celery_worker, worker_environment

pytestmark = [pytest.mark.redis,
              pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("postgresql_only")]


def test_a_transition_with_redis_stopped_commits_and_its_notice_arrives_when_redis_returns(
        tmp_path, client, sheet, supervisor, caplog):
    redis_server = OwnRedis(tmp_path)
    redis_server.start()
    env = worker_environment(redis_server.url, tmp_path, tmp_path / "media",
                             NOTIFICATION_OUTBOX_SECONDS="1")
    log = tmp_path / "worker.log"
    mail = tmp_path / "mail"
    try:
        with celery_worker(env, log, "--beat", f"--schedule={tmp_path / 'beat'}"):
            redis_server.stop()
            client.force_login(supervisor.user)
            url = reverse("sheet_transition", args=[sheet.pk, "send_to_employee"])
            with broker(redis_server.url), caplog.at_level(logging.WARNING):
                response = client.post(url, {"version": sheet.version, "note": ""},
                                       follow=True)

            assert response.status_code == 200
            assert "Sent to the employee for their answers." in response.content.decode()
            assert GoalSheet.objects.get(pk=sheet.pk).state == SheetState.EMPLOYEE_REVIEW
            assert "the next reminder sweep will send it" in caplog.text
            notice = Notification.objects.get(recipient=sheet.employee.user)
            assert notice.email_status == Notification.Email.PENDING
            assert not list(mail.glob("*.log"))

            redis_server.start()  # same port: the worker and beat reconnect on their own

            def delivered():
                notice.refresh_from_db()
                return notice.email_status == Notification.Email.SENT
            processes.wait_for(delivered, "the notice to be sent after Redis returned", log)
    finally:
        redis_server.stop()

    emails = [path.read_text() for path in mail.glob("*.log")]
    to_emma = [text for text in emails if "To: emma@example.com" in text]
    assert len(to_emma) == 1
    assert "now waits on you: answer goals" in to_emma[0]
