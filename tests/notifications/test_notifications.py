"""When a sheet reaches someone they are told, in the app and by e-mail, at once; the
notifications page, the unread badge, the settings page and the admin."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goalsapp.access import HR_GROUP
from goalsapp.models import SheetState
from reviews import services
from reviews.notifications import tasks
from reviews.notifications.models import Notification, NotificationPreference, NotificationSettings
from reviews.notifications.reminders import reminders_sweep
from tests.factories import EmployeeFactory, GoalFactory, GoalSheetFactory
from tests.permission_helpers import NOTIFICATION_URLS
from tests.workflow_helpers import STATE_ORDER
from tests.workflow_helpers import advance as advance_sheet

pytestmark = pytest.mark.django_db

S = SheetState
K = Notification.Kind


@pytest.fixture
def moving(django_capture_on_commit_callbacks, hr):
    """advance(), one state at a time, with each transition's after-commit work (notices and
    their e-mails) run as it would be after that commit."""
    def move(sheet, state):
        for step in STATE_ORDER[1:STATE_ORDER.index(state) + 1]:
            with django_capture_on_commit_callbacks(execute=True):
                sheet = advance_sheet(sheet, step)
        return sheet
    return move


def login(client, persona):
    client.force_login(persona.user if hasattr(persona, "user") else persona)
    return client


# Told when a sheet reaches you --------------------------------------------------------------------

@pytest.mark.parametrize(("state", "who", "words"), [
    (S.EMPLOYEE_REVIEW, "emma", "Your goal sheet (2027) now waits on you: answer goals"),
    (S.SUPERVISOR_SIGNATURE, "sam", "Emma Ellis's goal sheet (2027) now waits on you: "
                                    "write summary"),
    (S.EMPLOYEE_SIGNATURE, "emma", "Your goal sheet (2027) now waits on you: sign as employee"),
    (S.HR_REVIEW, "hana", "Emma Ellis's goal sheet (2027) now waits on you: SMART review"),
])
def test_whoever_the_sheet_now_waits_on_is_told_at_once(state, who, words, sheet, moving,
                                                        mailoutbox):
    moving(sheet, state)
    notice = Notification.objects.filter(kind=K.WAITING).latest("pk")
    assert notice.recipient.username == who
    assert notice.message.lower().startswith(words.lower())
    email = mailoutbox[-1]
    assert email.to == [f"{who}@example.com"]
    assert words.lower() in email.subject.lower()
    assert f"http://localhost:8000/sheets/{sheet.pk}/" in email.body
    assert f"/sheets/{sheet.pk}/" in email.alternatives[0][0]
    assert notice.email_status == Notification.Email.SENT


def test_each_transition_tells_each_person_once(sheet, moving, mailoutbox):
    moving(sheet, S.SIGNED)
    waiting = Notification.objects.filter(kind=K.WAITING)
    assert [(n.recipient.username, n.stage) for n in waiting.order_by("pk")] == [
        ("emma", S.EMPLOYEE_REVIEW), ("sam", S.SUPERVISOR_SIGNATURE),
        ("emma", S.EMPLOYEE_SIGNATURE), ("hana", S.HR_REVIEW)]
    assert len(mailoutbox) == 4  # and nobody is told about the signed sheet


def test_the_person_who_reopened_is_not_told_it_now_waits_on_them(sheet, supervisor, moving,
                                                                  django_capture_on_commit_callbacks,
                                                                  mailoutbox):
    moving(sheet, S.SUPERVISOR_SIGNATURE)
    before = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        services.sheet_reopen(sheet_id=sheet.pk, actor=supervisor.user,
                              version=sheet.__class__.objects.get(pk=sheet.pk).version)
    assert len(mailoutbox) == before


def test_a_return_by_hr_tells_the_supervisor(sheet, hr, moving, mailoutbox,
                                             django_capture_on_commit_callbacks):
    moving(sheet, S.HR_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        services.sheet_return_to_supervisor(
            sheet_id=sheet.pk, actor=hr.user, note="Make goal 2 time-bound.",
            version=sheet.__class__.objects.get(pk=sheet.pk).version)
    assert mailoutbox[-1].to == ["sam@example.com"]
    assert "now waits on you: edit goals" in mailoutbox[-1].subject


def test_digest_users_are_still_told_at_once_that_a_sheet_waits_on_them(sheet, employee, moving,
                                                                       mailoutbox):
    NotificationPreference.objects.create(user=employee.user, daily_digest=True)
    moving(sheet, S.EMPLOYEE_REVIEW)
    assert [m.to for m in mailoutbox] == [["emma@example.com"]]
    assert Notification.objects.get().via_digest is False


def test_every_hr_member_but_a_party_to_the_sheet_is_told(period, moving, mailoutbox, hr):
    hr_supervisor = EmployeeFactory(full_name="Harriet Head", user__username="harriet")
    hr_supervisor.user.groups.add(Group.objects.get(name=HR_GROUP))
    report = EmployeeFactory(full_name="Rory Report", user__username="rory",
                             supervisor=hr_supervisor)
    sheet = GoalSheetFactory(employee=report, period=period)
    GoalFactory(sheet=sheet)
    moving(sheet, S.HR_REVIEW)
    told = Notification.objects.filter(stage=S.HR_REVIEW).values_list("recipient__username",
                                                                      flat=True)
    assert list(told) == ["hana"]


def test_when_queueing_fails_the_action_stands_and_the_email_waits(sheet, supervisor, monkeypatch,
                                                                 django_capture_on_commit_callbacks,
                                                                 mailoutbox, caplog):
    def broker_down(**kwargs):
        raise ConnectionRefusedError("Redis is down")

    monkeypatch.setattr(tasks.deliver_notifications, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        services.sheet_send_to_employee(sheet_id=sheet.pk, actor=supervisor.user,
                                        version=sheet.version)
    assert sheet.__class__.objects.get(pk=sheet.pk).state == S.EMPLOYEE_REVIEW
    assert mailoutbox == []
    assert Notification.objects.get().email_status == Notification.Email.PENDING
    assert "the next reminder sweep will send it" in caplog.text
    reminders_sweep()
    assert [m.to for m in mailoutbox] == [["emma@example.com"]]


# The notifications page -------------------------------------------------------------------------

@pytest.fixture
def told(sheet, moving):
    moving(sheet, S.EMPLOYEE_SIGNATURE)  # emma is told twice, sam once
    return sheet


def test_the_navigation_shows_the_unread_count(client, employee, told):
    page = login(client, employee).get(reverse("inbox"))
    assert b'data-testid="unread-count">2<' in page.content


def test_the_unread_count_costs_one_query(client, employee, told):
    login(client, employee)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("inbox"))
    badge = [q for q in queries.captured_queries if "reviews_notification" in q["sql"]]
    assert len(badge) == 1, badge


def test_the_page_lists_my_notifications_newest_first(client, employee, told):
    page = login(client, employee).get(reverse("notifications"))
    text = page.content.decode()
    assert text.index("sign as employee") < text.index("answer goals")
    assert "Emma Ellis's goal sheet" not in text  # sam's notice is not hers
    assert text.count('data-testid="notification"') == 2


def test_mark_one_read_then_all(client, employee, told):
    login(client, employee)
    first = Notification.objects.filter(recipient=employee.user).first()
    client.post(reverse("notification_read", args=[first.pk]))
    assert client.get(reverse("inbox")).content.count(b'data-testid="unread-count">1<') == 1
    response = client.post(reverse("notification_read_all"), follow=True)
    assert "Marked 1 notification read." in response.content.decode()
    assert b"unread-count" not in client.get(reverse("inbox")).content


def test_nobody_marks_someone_elses_notification(client, other_employee, told):
    notice = Notification.objects.filter(recipient__username="emma").first()
    response = login(client, other_employee).post(reverse("notification_read", args=[notice.pk]),
                                                  follow=True)
    assert "That notification no longer exists." in response.content.decode()
    notice.refresh_from_db()
    assert notice.read_at is None


def test_opening_a_notice_marks_it_read_and_shows_the_sheet(client, employee, told):
    notice = Notification.objects.filter(recipient=employee.user).first()
    response = login(client, employee).post(reverse("notification_open", args=[notice.pk]))
    assert response.url == reverse("sheet_detail", args=[told.pk])
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_a_sheet_no_longer_visible_is_not_linked_and_answers_404(client, supervisor, told):
    notice = Notification.objects.get(recipient=supervisor.user)
    told.employee.supervisor = EmployeeFactory()  # emma moved to another team
    told.employee.save()
    login(client, supervisor)
    assert b"Open sheet" not in client.get(reverse("notifications")).content
    assert client.post(reverse("notification_open", args=[notice.pk])).status_code == 404


def test_the_page_works_for_someone_without_notifications(client, admin):
    page = login(client, admin).get(reverse("notifications"))
    assert "No notifications yet" in page.content.decode()


def test_anonymous_visitors_are_sent_to_log_in(client):
    assert client.get(reverse("notifications")).url.startswith(reverse("login"))


# Settings ---------------------------------------------------------------------------------------

def test_the_settings_page_says_waiting_notices_cannot_be_turned_off(client, employee):
    page = login(client, employee).get(reverse("notification_settings")).content.decode()
    assert "cannot be turned off" in page
    assert 'value="single" ' in page and "checked" in page.split('value="single"')[1][:40]


def test_choosing_the_daily_digest(client, employee):
    login(client, employee)
    response = client.post(reverse("notification_settings"), {"delivery": "digest"}, follow=True)
    assert "Your notification settings are saved." in response.content.decode()
    assert NotificationPreference.objects.get(user=employee.user).daily_digest is True
    client.post(reverse("notification_settings"), {"delivery": "single"})
    assert NotificationPreference.objects.get(user=employee.user).daily_digest is False


def test_a_bad_choice_is_refused_next_to_the_field(client, employee):
    response = login(client, employee).post(reverse("notification_settings"),
                                            {"delivery": "never"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not NotificationPreference.objects.exists()


# Admin ------------------------------------------------------------------------------------------

def test_admin_edits_the_reminder_settings_with_validation(client, admin):
    login(client, admin)
    NotificationSettings.load()
    url = reverse("admin:notifications_notificationsettings_change", args=[1])
    response = client.post(url, {"lead_days": "3", "overdue_cadence_days": "0",
                                 "escalation_after_days": "7"})
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 1." in response.content.decode()
    client.post(url, {"lead_days": "5", "overdue_cadence_days": "2",
                      "escalation_after_days": "10"})
    rules = NotificationSettings.load()
    assert (rules.lead_days, rules.overdue_cadence_days, rules.escalation_after_days) == (5, 2, 10)
    assert client.get(reverse("admin:notifications_notificationsettings_add")).status_code == 403


def test_the_settings_have_sane_defaults(db):
    rules = NotificationSettings.load()
    assert (rules.lead_days, rules.overdue_cadence_days, rules.escalation_after_days) == (3, 3, 7)


def test_admin_shows_the_notification_log(client, admin, told):
    page = login(client, admin).get(reverse("admin:notifications_notification_changelist"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "emma" in text and "Sent" in text
    notice = Notification.objects.first()
    detail = client.get(reverse("admin:notifications_notification_change", args=[notice.pk]))
    assert detail.status_code == 200


# Who may open what (test_permissions.py counts these among every URL of reviews/urls.py) ------
# Every signed-in person has their own notifications and settings; a notification id that is
# someone else's is treated as one that does not exist.
PERSONAS = ("anonymous", "employee", "supervisor", "other_employee", "hr", "admin")


def _notification_request(client, name, notice_pk):
    if name in ("notification_read", "notification_open"):
        return client.post(reverse(name, args=[notice_pk]))
    if name == "notification_read_all":
        return client.post(reverse(name))
    return client.get(reverse(name))


@pytest.mark.parametrize("name", NOTIFICATION_URLS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_notification_url_permissions(client, request, told, name, persona):
    emmas = Notification.objects.filter(recipient__username="emma").first()
    if persona != "anonymous":
        login(client, request.getfixturevalue(persona))
    response = _notification_request(client, name, emmas.pk)
    emmas.refresh_from_db()
    if persona == "anonymous":
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
        assert emmas.read_at is None
    elif persona == "employee":
        assert response.status_code in (200, 302)
    else:
        assert response.status_code in (200, 302)
        assert emmas.read_at is None  # nobody else reads, opens or clears Emma's notices
        if name == "notification_open":
            assert response.url == reverse("notifications")
        if response.status_code == 200:
            assert emmas.message not in response.content.decode()


def test_the_notifications_page_refuses_a_get_on_its_actions(client, employee, told):
    login(client, employee)
    notice = Notification.objects.filter(recipient=employee.user).first()
    assert client.get(reverse("notification_read", args=[notice.pk])).status_code == 405
    assert client.get(reverse("notification_read_all")).status_code == 405
