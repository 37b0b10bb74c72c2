"""Two sweeps (two beat processes, or a retry overlapping a slow run) at the same moment: each
reminder and each e-mail goes out once. Real threads and connections: PostgreSQL only."""

import datetime

import pytest
from django.db import connection

from goalsapp.models import SheetState
from reviews.notifications.delivery import outbox_deliver
from reviews.notifications.models import Notification, NotificationPreference, NotificationSettings
from reviews.notifications.reminders import reminders_sweep
from tests.concurrency_helpers import race
from tests.factories import EmployeeFactory, GoalSheetFactory

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("postgresql_only")]

OVERDUE_DAY = datetime.date(2027, 4, 1)  # every stage of the 2027 period is overdue


@pytest.fixture(autouse=True)
def _postgresql():
    assert connection.vendor == "postgresql", (
        "These tests need PostgreSQL: set DATABASE_URL (scripts/test.sh does).")


@pytest.fixture
def stuck(period, supervisor, hr):
    NotificationSettings.load()
    states = [SheetState.DRAFTING, SheetState.EMPLOYEE_REVIEW, SheetState.HR_REVIEW]
    for number in range(9):
        GoalSheetFactory(employee=EmployeeFactory(supervisor=supervisor), period=period,
                         state=states[number % 3])
    NotificationPreference.objects.create(user=supervisor.user, daily_digest=True)


def test_two_simultaneous_sweeps_send_every_reminder_once(stuck, mailoutbox):
    outcomes = race(*[lambda: reminders_sweep(today=OVERDUE_DAY)] * 2)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    single = reminders_sweep(today=OVERDUE_DAY)  # a third, later: nothing left to do
    assert single.created == {} and single.delivery.emails == 0

    notices = Notification.objects.all()
    keys = [(n.sheet_id, n.stage, n.recipient_id, n.kind, n.day) for n in notices]
    assert len(keys) == len(set(keys))
    assert all(n.email_status == Notification.Email.SENT for n in notices)
    recipients = [tuple(email.to) for email in mailoutbox]
    assert recipients.count(("sam@example.com",)) == 1  # one digest, not two
    assert recipients.count(("maria@example.com",)) == 1  # one escalation e-mail
    assert recipients.count(("hana@example.com",)) == 1 + 3  # escalation + 3 HR reviews
    single_emails = sum(1 for n in notices if not n.via_digest and n.kind != "escalation")
    assert len(mailoutbox) == single_emails + 1 + 2  # + sam's digest + two escalation e-mails


def test_two_simultaneous_deliveries_send_each_email_once(stuck, mailoutbox):
    reminders_sweep(today=OVERDUE_DAY, deliver=False)
    pending = Notification.objects.exclude(email_status=Notification.Email.SENT).count()
    assert pending > 10
    race(outbox_deliver, outbox_deliver, outbox_deliver)
    assert Notification.objects.filter(email_status=Notification.Email.SENT).count() == pending
    notices = Notification.objects.all()
    single_emails = sum(1 for n in notices if not n.via_digest and n.kind != "escalation")
    assert len(mailoutbox) == single_emails + 1 + 2  # + sam's digest + two escalation e-mails
    per_person = [tuple(email.to) for email in mailoutbox if "daily digest" in email.subject]
    assert per_person == [("sam@example.com",)]
