"""HR sees and changes the reminder settings on a page of their own, from the first day: the row
exists with its defaults before any sweep, and only HR and administrators may change it."""

import pytest
from django.urls import reverse

from reviews.notifications.models import NotificationSettings
from tests.page_helpers import alerts, field_error, form_values, login
from tests.permission_helpers import PERSONAS

pytestmark = pytest.mark.django_db

URL = reverse("reminder_settings")


def test_the_settings_row_exists_with_its_defaults_before_any_sweep():
    row = NotificationSettings.objects.get(pk=NotificationSettings.SINGLETON_PK)
    assert (row.lead_days, row.overdue_cadence_days, row.escalation_after_days) == (3, 3, 7)


def test_hr_sees_the_numbers_in_force_and_changes_them(client, hr):
    login(client, hr)
    page = client.get(URL)
    assert 'href="/notifications/reminders/"' in page.content.decode()  # in HR's navigation
    values = form_values(page, form_id=None, having="lead_days")
    assert (values["lead_days"], values["overdue_cadence_days"],
            values["escalation_after_days"]) == ("3", "3", "7")
    response = client.post(URL, {"lead_days": "5", "overdue_cadence_days": "2",
                                 "escalation_after_days": "10"}, follow=True)
    assert "Reminder settings saved" in alerts(response)
    row = NotificationSettings.load()
    assert (row.lead_days, row.overdue_cadence_days, row.escalation_after_days) == (5, 2, 10)


@pytest.mark.parametrize("values, field, message", [
    ({"lead_days": "61"}, "lead_days", "from 0 to 60"),
    ({"lead_days": "-1"}, "lead_days", "from 0 to 60"),
    ({"overdue_cadence_days": "0"}, "overdue_cadence_days", "from 1 to 60"),
    ({"escalation_after_days": "lots"}, "escalation_after_days", "from 1 to 365"),
    ({"escalation_after_days": ""}, "escalation_after_days", "from 1 to 365"),
])
def test_bad_numbers_are_refused_at_the_field_and_kept(client, hr, values, field, message):
    login(client, hr)
    data = {"lead_days": "3", "overdue_cadence_days": "3", "escalation_after_days": "7",
            **values}
    response = client.post(URL, data)
    assert response.status_code == 200
    assert message in field_error(response, f"id_{field}")
    assert "Nothing was saved" in alerts(response)
    assert form_values(response, having="lead_days")[field] == values[field]
    row = NotificationSettings.load()
    assert (row.lead_days, row.overdue_cadence_days, row.escalation_after_days) == (3, 3, 7)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_hr_and_administrators_may_open_or_change_them(client, request, persona):
    if persona != "anonymous":
        login(client, request.getfixturevalue(persona))
    page = client.get(URL)
    posted = client.post(URL, {"lead_days": "9", "overdue_cadence_days": "9",
                               "escalation_after_days": "9"})
    if persona == "anonymous":
        assert page.status_code == 302 and page.url.startswith(reverse("login"))
    elif persona in ("hr", "admin"):
        assert page.status_code == 200
        assert posted.status_code == 302
    else:
        assert page.status_code == posted.status_code == 403
        assert "kept by Human Resources" in page.content.decode()
        assert NotificationSettings.load().lead_days == 3


def test_a_flushed_database_gets_the_row_back_with_its_defaults():
    NotificationSettings.objects.all().delete()
    assert NotificationSettings.load().escalation_after_days == 7
