"""The reminder sweep's rules under a frozen clock: not before the lead days, once per day slot,
the overdue cadence, escalation once, digests once a day, the right people, bounded queries."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command

from goalsapp.access import HR_GROUP
from goalsapp.models import SheetState
from reviews.notifications.models import Notification, NotificationPreference, NotificationSettings
from reviews.notifications.reminders import reminders_sweep
from tests.factories import EmployeeFactory, GoalSheetFactory, ReviewPeriodFactory

pytestmark = pytest.mark.django_db

S = SheetState
K = Notification.Kind
GOALS_DUE = datetime.date(2027, 1, 31)  # ReviewPeriodFactory's goals_due (drafting)
HR_DUE = datetime.date(2027, 3, 15)  # and hr_review_due


def on(day: datetime.date, hour: int = 9):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour,
                                                 tzinfo=datetime.UTC), tick=False)


def sweep(day: datetime.date):
    with on(day):
        return reminders_sweep()


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def sent_to(username: str) -> list:
    return [m for m in mail.outbox if m.to == [f"{username}@example.com"]]


@pytest.fixture
def rules(db):
    rules = NotificationSettings.load()
    rules.lead_days, rules.overdue_cadence_days, rules.escalation_after_days = 3, 3, 7
    rules.save()
    return rules


# Before the due date --------------------------------------------------------------------------

def test_nothing_is_sent_before_the_lead_days(sheet, rules, mailoutbox):
    sweep(GOALS_DUE - days(4))
    assert mailoutbox == []
    assert not Notification.objects.exists()


def test_one_reminder_lead_days_before_the_due_date_and_only_once(sheet, supervisor, rules,
                                                                 mailoutbox):
    sweep(GOALS_DUE - days(3))
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["sam@example.com"]
    assert "Emma Ellis's goal sheet (2027) is due by Jan 31, 2027" in email.subject
    assert f"/sheets/{sheet.pk}/" in email.body
    html = email.alternatives[0][0]
    assert f"/sheets/{sheet.pk}/" in html and "Open the sheet" in html
    # Later the same day, the next day, and on the due date: the slot is already taken.
    sweep(GOALS_DUE - days(3))
    sweep(GOALS_DUE - days(2))
    sweep(GOALS_DUE)
    assert len(mailoutbox) == 1
    notice = Notification.objects.get()
    assert (notice.recipient, notice.kind, notice.email_status) == (
        supervisor.user, K.BEFORE_DUE, Notification.Email.SENT)


def test_a_sweep_that_missed_the_lead_day_still_reminds_before_the_due_date(sheet, rules,
                                                                           mailoutbox):
    sweep(GOALS_DUE - days(1))
    assert [m.to for m in mailoutbox] == [["sam@example.com"]]


# Overdue ---------------------------------------------------------------------------------------

def test_overdue_reminders_the_day_after_then_at_the_cadence(sheet, rules, mailoutbox):
    sent_on = []
    for offset in range(1, 11):
        before = len(mailoutbox)
        sweep(GOALS_DUE + days(offset))
        sweep(GOALS_DUE + days(offset))  # a second run the same day adds nothing
        if len(mailoutbox) > before:
            sent_on.append(offset)
    overdue = Notification.objects.filter(kind=K.OVERDUE).order_by("day")
    assert [n.day for n in overdue] == [GOALS_DUE + days(d) for d in (1, 4, 7, 10)]
    assert "Overdue: Emma Ellis's goal sheet (2027) was due on Jan 31, 2027, 1 day ago" in \
        overdue[0].message
    # Day 7 also escalates, to others; Sam hears only at the cadence.
    assert len(sent_to("sam")) == 4
    assert sent_on == [1, 4, 7, 10]


def test_the_cadence_setting_is_read_from_the_admin_settings(sheet, rules, mailoutbox):
    rules.overdue_cadence_days = 1
    rules.save()
    for offset in (1, 2, 3):
        sweep(GOALS_DUE + days(offset))
    assert Notification.objects.filter(kind=K.OVERDUE).count() == 3


def test_a_sheet_that_moves_on_is_reminded_for_its_new_stage_only(sheet, employee, rules, advance,
                                                                  mailoutbox):
    sweep(GOALS_DUE + days(1))
    advance(sheet, S.EMPLOYEE_REVIEW)
    sweep(GOALS_DUE + days(4))  # drafting's slot, but the sheet is no longer drafting
    assert [n.recipient for n in Notification.objects.order_by("pk")] == [
        sheet.employee.supervisor.user]
    sweep(datetime.date(2027, 2, 15))  # the day after answers were due
    latest = Notification.objects.latest("pk")
    assert (latest.recipient, latest.stage, latest.kind) == (employee.user, S.EMPLOYEE_REVIEW,
                                                             K.OVERDUE)


# Escalation -------------------------------------------------------------------------------------

def test_escalation_goes_once_to_the_managers_manager_and_hr(sheet, rules, hr, mailoutbox):
    sweep(GOALS_DUE + days(6))
    assert not Notification.objects.filter(kind=K.ESCALATION).exists()
    for offset in range(7, 30):
        sweep(GOALS_DUE + days(offset))
    escalations = Notification.objects.filter(kind=K.ESCALATION)
    assert sorted(n.recipient.username for n in escalations) == ["hana", "maria"]
    assert len(sent_to("maria")) == 1 and len(sent_to("hana")) == 1
    email = sent_to("maria")[0]
    assert "1 goal sheet is stuck past its due date" in email.subject
    assert "has waited on Sam Sutton (the employee's supervisor)" in email.body
    assert "7 days overdue" in email.body


def test_one_escalation_email_per_person_lists_every_stuck_sheet(sheet, supervisor, period,
                                                               rules, mailoutbox):
    other = GoalSheetFactory(employee=EmployeeFactory(full_name="Eli Evans", supervisor=supervisor),
                             period=period)
    sweep(GOALS_DUE + days(7))
    to_maria = sent_to("maria")
    assert len(to_maria) == 1
    assert "2 goal sheets are stuck past their due date" in to_maria[0].subject
    assert "Emma Ellis's goal sheet" in to_maria[0].body
    assert "Eli Evans's goal sheet" in to_maria[0].body
    assert Notification.objects.filter(kind=K.ESCALATION, sheet=other).count() == 1


def test_a_sheet_stuck_in_hr_review_escalates_naming_hr(sheet, rules, hr, advance, mailoutbox):
    advance(sheet, S.HR_REVIEW)
    sweep(HR_DUE + days(7))
    escalation = Notification.objects.get(kind=K.ESCALATION, recipient__username="maria")
    assert "has waited on Human Resources" in escalation.message


# Recipients ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("state", "due", "who"), [
    (S.DRAFTING, GOALS_DUE, "sam"),
    (S.EMPLOYEE_REVIEW, datetime.date(2027, 2, 14), "emma"),
    (S.SUPERVISOR_SIGNATURE, datetime.date(2027, 2, 28), "sam"),
    (S.EMPLOYEE_SIGNATURE, datetime.date(2027, 2, 28), "emma"),
    (S.HR_REVIEW, HR_DUE, "hana"),
])
def test_the_reminder_goes_to_whoever_the_state_waits_on(state, due, who, sheet, rules, advance,
                                                         mailoutbox):
    advance(sheet, state)
    sweep(due)
    assert [n.recipient.username for n in Notification.objects.all()] == [who]
    assert [m.to for m in mailoutbox] == [[f"{who}@example.com"]]


def test_an_hr_member_who_is_party_to_a_sheet_is_not_asked_to_review_it(rules, period,
                                                                       mailoutbox):
    hr_group = Group.objects.get_or_create(name=HR_GROUP)[0]
    hr_supervisor = EmployeeFactory(full_name="Harriet Head", user__username="harriet")
    hr_supervisor.user.groups.add(hr_group)
    colleague = EmployeeFactory(full_name="Holly Hart", user__username="holly")
    colleague.user.groups.add(hr_group)
    report = EmployeeFactory(full_name="Rory Report", user__username="rory",
                             supervisor=hr_supervisor)
    GoalSheetFactory(employee=report, period=period, state=S.HR_REVIEW)
    sweep(HR_DUE)
    assert [n.recipient.username for n in Notification.objects.all()] == ["holly"]


def test_signed_sheets_closed_periods_and_inactive_people_get_nothing(rules, sheet, employee,
                                                                      supervisor, mailoutbox):
    closed = ReviewPeriodFactory(name="2026", is_open=False)
    GoalSheetFactory(employee=employee, period=closed)
    supervisor.user.is_active = False
    supervisor.user.save()
    sweep(GOALS_DUE + days(1))
    assert mailoutbox == []


# Digest -----------------------------------------------------------------------------------------

def test_a_digest_user_gets_one_email_a_day_with_every_reminder(sheet, supervisor, period, rules,
                                                              mailoutbox):
    NotificationPreference.objects.create(user=supervisor.user, daily_digest=True)
    GoalSheetFactory(employee=EmployeeFactory(full_name="Eli Evans", supervisor=supervisor),
                     period=period)
    sweep(GOALS_DUE - days(3))
    sweep(GOALS_DUE - days(3))
    assert len(sent_to("sam")) == 1
    digest = sent_to("sam")[0]
    assert "your daily digest — 2 reminders" in digest.subject
    assert "Emma Ellis's goal sheet" in digest.body and "Eli Evans's goal sheet" in digest.body
    sweep(GOALS_DUE - days(2))  # nothing new: no digest
    sweep(GOALS_DUE + days(1))  # two overdue reminders: tomorrow's digest
    assert len(sent_to("sam")) == 2
    assert "2 reminders" in sent_to("sam")[1].subject


def test_reminders_that_arrive_after_todays_digest_wait_for_tomorrows(sheet, supervisor, rules,
                                                                     mailoutbox):
    NotificationPreference.objects.create(user=supervisor.user, daily_digest=True)
    sweep(GOALS_DUE - days(3))
    with on(GOALS_DUE - days(3), hour=18):
        Notification.objects.create(
            recipient=supervisor.user, sheet=sheet, kind=K.OVERDUE, stage=S.DRAFTING,
            day=GOALS_DUE - days(3), via_digest=True, email_status=Notification.Email.DIGEST,
                message="Late arrival")  # arrives after today's digest went
        reminders_sweep()
    assert len(sent_to("sam")) == 1
    sweep(GOALS_DUE - days(2))
    assert len(sent_to("sam")) == 2 and "Late arrival" in sent_to("sam")[1].body


# Outbox ----------------------------------------------------------------------------------------

def test_a_failed_email_is_kept_and_sent_by_the_next_sweep(sheet, rules, settings, mailoutbox):
    settings.EMAIL_BACKEND = "tests.notifications.failing_email.FailingBackend"
    sweep(GOALS_DUE)
    notice = Notification.objects.get()
    assert notice.email_status == Notification.Email.PENDING
    assert notice.attempts == 1 and "SMTP is down" in notice.email_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sweep(GOALS_DUE)
    notice.refresh_from_db()
    assert notice.email_status == Notification.Email.SENT
    assert len(mailoutbox) == 1


def test_someone_without_an_email_address_is_told_in_the_app_only(sheet, supervisor, rules,
                                                                  mailoutbox):
    supervisor.user.email = ""
    supervisor.user.save()
    sweep(GOALS_DUE)
    assert mailoutbox == []
    assert Notification.objects.get().email_status == Notification.Email.NO_ADDRESS


# Scale and repetition ---------------------------------------------------------------------------

def _department(period, size: int) -> None:
    """`size` sheets spread over every unsigned state, supervisors with a manager, HR of two."""
    hr_group = Group.objects.get_or_create(name=HR_GROUP)[0]
    for _ in range(2):
        EmployeeFactory().user.groups.add(hr_group)
    manager = EmployeeFactory()
    boss = None
    states = [S.DRAFTING, S.EMPLOYEE_REVIEW, S.SUPERVISOR_SIGNATURE, S.EMPLOYEE_SIGNATURE,
              S.HR_REVIEW]
    for number in range(size):
        if number % 4 == 0:  # four reports a supervisor
            boss = EmployeeFactory(supervisor=manager)
            if number == 0:
                NotificationPreference.objects.create(user=boss.user, daily_digest=True)
        GoalSheetFactory(employee=EmployeeFactory(supervisor=boss), period=period,
                         state=states[number % len(states)])


@pytest.mark.parametrize("size", [5, 40])
def test_the_sweep_runs_in_the_same_number_of_queries_however_many_sheets(
        size, period, rules, django_assert_max_num_queries, mailoutbox):
    _department(period, size)
    # 8 to read settings, periods, people and the due sheets; 5 to insert the claims (a COPY
    # besides, which Django's query log does not see); 6 to deliver; a savepoint pair in tests.
    with on(datetime.date(2027, 4, 1)), django_assert_max_num_queries(20):
        report = reminders_sweep()
    assert report.created[K.OVERDUE] >= size
    assert report.created[K.ESCALATION] >= size
    assert len(mailoutbox) > size / 2
    assert any("daily digest" in email.subject for email in mailoutbox)


def test_two_sweeps_on_the_same_day_send_each_reminder_once(period, rules, mailoutbox):
    _department(period, 12)
    sweep(datetime.date(2027, 4, 1))
    first = (len(mailoutbox), Notification.objects.count())
    sweep(datetime.date(2027, 4, 1))
    assert (len(mailoutbox), Notification.objects.count()) == first


def test_claims_are_inserted_the_same_way_without_postgresql(sheet, rules, monkeypatch,
                                                             mailoutbox):
    # The embedded default is SQLite: claims go through bulk_create(ignore_conflicts=True).
    from reviews.notifications import reminders

    monkeypatch.setattr(reminders.connection, "vendor", "sqlite")
    first = sweep(GOALS_DUE)
    again = sweep(GOALS_DUE)
    assert first.created == {K.BEFORE_DUE: 1} and again.created == {}
    assert len(mailoutbox) == 1


def test_send_reminders_command_runs_the_sweep(sheet, rules, mailoutbox):
    with on(GOALS_DUE):
        call_command("send_reminders")
    assert len(mailoutbox) == 1


def test_send_reminders_command_takes_a_day_to_try(sheet, rules, mailoutbox, capsys):
    call_command("send_reminders", "--today", "2027-01-28")
    assert "1 before_due" in capsys.readouterr().out


def test_a_backlog_bigger_than_one_batch_is_delivered_by_follow_up_deliveries(period, rules,
                                                                             mailoutbox):
    _department(period, 10)
    with on(datetime.date(2027, 4, 1)):
        report = reminders_sweep(limit=4)
    assert report.follow_ups > 0
    assert not Notification.objects.filter(email_status=Notification.Email.PENDING).exists()
    assert Notification.objects.filter(email_status=Notification.Email.SENT).count() == \
        sum(report.created.values())


def test_names_with_backslashes_and_tabs_survive_the_bulk_insert(period, supervisor, rules):
    odd = EmployeeFactory(full_name="Zoë \\ O'Neil\tJr.", supervisor=supervisor)
    GoalSheetFactory(employee=odd, period=period)
    sweep(GOALS_DUE)
    assert Notification.objects.get().message.startswith(
        "Reminder: Zoë \\ O'Neil\tJr.'s goal sheet (2027)")


def test_rows_left_sending_by_a_dead_sender_are_sent_after_half_an_hour(sheet, supervisor,
                                                                        mailoutbox):
    dead = "Taken by a worker that died"
    with on(GOALS_DUE, hour=8):
        orphan = Notification.objects.create(
            recipient=supervisor.user, sheet=sheet, kind=K.OVERDUE, stage=S.DRAFTING,
            day=GOALS_DUE, message=dead, email_status=Notification.Email.SENDING,
            claimed_at=datetime.datetime(2027, 1, 31, 8, tzinfo=datetime.UTC))
    with on(GOALS_DUE, hour=8):  # still being sent, as far as anyone knows
        reminders_sweep()
    assert not [m for m in mailoutbox if dead in m.body]
    with on(GOALS_DUE, hour=9):
        reminders_sweep()
    assert len([m for m in mailoutbox if dead in m.body]) == 1
    orphan.refresh_from_db()
    assert orphan.email_status == Notification.Email.SENT


def test_names_are_escaped_in_the_html_email(period, supervisor, rules, mailoutbox):
    GoalSheetFactory(employee=EmployeeFactory(full_name="<b>Bold</b> Name", supervisor=supervisor),
                     period=period)
    sweep(GOALS_DUE)
    html = mailoutbox[0].alternatives[0][0]
    assert "&lt;b&gt;Bold&lt;/b&gt; Name" in html and "<b>Bold</b>" not in html
    assert "<b>Bold</b> Name's goal sheet" in mailoutbox[0].body  # plain text stays plain


def test_beat_runs_the_sweep_from_a_static_schedule():
    from config.celery import app
    from reviews.notifications import tasks

    entry = app.conf.beat_schedule["send-reminders"]
    assert entry["task"] == tasks.send_reminders.name == "notifications.send_reminders"


def test_changing_the_settings_never_repeats_a_due_soon_reminder_or_an_escalation(
        sheet, rules, hr, mailoutbox):
    sweep(GOALS_DUE - days(3))
    rules.lead_days = 1
    rules.save()
    sweep(GOALS_DUE - days(1))
    assert Notification.objects.filter(kind=K.BEFORE_DUE).count() == 1
    sweep(GOALS_DUE + days(7))
    escalated = Notification.objects.filter(kind=K.ESCALATION).count()
    rules.escalation_after_days = 8
    rules.save()
    sweep(GOALS_DUE + days(8))
    assert escalated == 2  # maria and hana
    assert Notification.objects.filter(kind=K.ESCALATION).count() == escalated
