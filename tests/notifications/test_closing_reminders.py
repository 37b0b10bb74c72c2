"""The closing review in the inbox, the notices, reminders, escalations and the workflow
overview: the same machinery as the goals, reading the closing review's state once a sheet has
one."""

import datetime

from django.urls import reverse

from reviews.closing_states import ClosingState
from reviews.notifications.models import Notification
from reviews.notifications.reminders import reminders_sweep
from reviews.selectors import sheets_waiting_on
from tests.closing_helpers import advance_closing, open_closing
from tests.page_helpers import by_testid, login

C = ClosingState
K = Notification.Kind


def test_the_inbox_offers_each_person_their_closing_step(client, sheet, hr, employee,
                                                         supervisor):
    review = open_closing(sheet, hr_user=hr.user)
    assert list(sheets_waiting_on(employee.user)) == [sheet]
    assert not sheets_waiting_on(supervisor.user).exists()
    login(client, employee)
    inbox = client.get(reverse("inbox"))
    assert "Write self-assessment" in inbox.content.decode()
    assert reverse("closing_self_assessment", args=[sheet.pk]) in inbox.content.decode()
    advance_closing(review, C.CALIBRATION)
    assert list(sheets_waiting_on(hr.user)) == [sheet]
    login(client, hr)
    inbox = client.get(reverse("inbox"))
    assert reverse("closing_transition", args=[sheet.pk, "release_for_signatures"]) in \
        inbox.content.decode()


def test_each_closing_step_tells_whoever_it_now_waits_on(sheet, hr, employee, supervisor,
                                                         django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        review = open_closing(sheet, hr_user=hr.user)
    told = Notification.objects.filter(kind=K.WAITING, stage=C.SELF_ASSESSMENT)
    assert [n.recipient for n in told] == [employee.user]
    assert "Your closing review (2027) now waits on you: write self-assessment." in \
        told.get().message
    with django_capture_on_commit_callbacks(execute=True):
        advance_closing(review, C.SUPERVISOR_ASSESSMENT)
    assert Notification.objects.filter(kind=K.WAITING, stage=C.SUPERVISOR_ASSESSMENT,
                                       recipient=supervisor.user).exists()


def test_reminders_and_escalations_follow_the_closing_due_dates(sheet, hr, employee, manager,
                                                                period):
    open_closing(sheet, hr_user=hr.user)
    period.self_assessments_due = datetime.date(2028, 1, 20)
    period.is_open = False  # the period ended; its closing goes on
    period.save()
    reminders_sweep(today=datetime.date(2028, 1, 18), deliver=False)
    assert Notification.objects.filter(kind=K.BEFORE_DUE, recipient=employee.user,
                                       stage=C.SELF_ASSESSMENT).exists()
    reminders_sweep(today=datetime.date(2028, 2, 20), deliver=False)
    assert Notification.objects.filter(kind=K.OVERDUE, recipient=employee.user).exists()
    escalated = Notification.objects.filter(kind=K.ESCALATION)
    assert {n.recipient for n in escalated} == {manager.user, hr.user}
    assert "closing review" in escalated.first().message


def test_a_stage_without_a_due_date_is_never_overdue(sheet, hr, period):
    open_closing(sheet, hr_user=hr.user)
    reminders_sweep(today=datetime.date(2029, 1, 1), deliver=False)
    assert not Notification.objects.filter(stage=C.SELF_ASSESSMENT).exclude(
        kind=K.WAITING).exists()


def test_the_workflow_overview_counts_and_lists_closing_stages(client, sheet, hr, period):
    open_closing(sheet, hr_user=hr.user)
    period.self_assessments_due = datetime.date(2020, 1, 1)
    period.save()
    login(client, hr)
    page = client.get(reverse("workflow_overview"))
    assert "Self-assessment" in by_testid(page, "workflow-table")
    assert "Self-assessment" in by_testid(page, "overdue-table")
    assert "Emma Ellis" in by_testid(page, "overdue-table")
