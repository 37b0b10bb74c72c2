"""Shared by the URL × persona matrices of every package: signing a persona in (or not), the
login URL, a page compared with its CSRF tokens blanked, and the notification URLs (whose own
matrix is in tests/notifications/)."""

import re

from django.urls import reverse

from tests.page_helpers import login

LOGIN = reverse("login")
# Everyone the matrices try, by conftest fixture name ("anonymous": nobody signed in).
PERSONAS = (
    "anonymous",
    "employee",
    "supervisor",
    "manager",
    "other_supervisor",
    "other_employee",
    "hr",
    "admin",
)
NOTIFICATION_URLS = ("notifications", "notification_read_all", "notification_read",
                     "notification_open", "notification_settings")
# The closing review's URLs (and the editor's carry-forward): their matrix is
# tests/reviews/test_closing_permissions.py.
CLOSING_URL_NAMES = ("closing_open", "closing_self_assessment", "closing_assessment",
                     "closing_transition", "closing_hr", "rating_scale", "sheet_carry_forward")
# Calibration and the closing dashboards: their matrix is
# tests/reviews/test_calibration_permissions.py.
CALIBRATION_URL_NAMES = ("closing_calibration", "calibration_targets", "closing_adjust_rating",
                         "closing_dashboard")
# HR's page among the notifications URLs: its matrix is tests/notifications/test_reminder_settings.
HR_NOTIFICATION_URLS = ("reminder_settings",)


def sign_in(client, person) -> None:
    """Signs `person` in; None stays anonymous."""
    if person is not None:
        login(client, person)


def page_without_csrf(content: bytes) -> bytes:
    """A page with its CSRF tokens blanked: they are masked afresh for every response."""
    content = re.sub(rb'"X-CSRFToken": "[^"]*"', b'"X-CSRFToken": ""', content)
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b'name="csrfmiddlewaretoken"',
                  content)
