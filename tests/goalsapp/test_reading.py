"""Reading the numbers (issue 13, point 8): 60, not 60.00; the over-time chart opens on a goal
that has actuals; and the browser's /favicon.ico finds the icon."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from goalsapp.templatetags.numbers import plain_number
from tests.progress_helpers import record, signed_sheet

pytestmark = pytest.mark.django_db
MIDYEAR = datetime.datetime(2027, 7, 2, 12, tzinfo=datetime.UTC)


@pytest.mark.parametrize(("value", "shown"), [
    (Decimal("60.00"), "60"), (Decimal("60"), "60"), (Decimal("1500.50"), "1,500.5"),
    (Decimal("250000.00"), "250,000"), (Decimal("-0.00"), "0")])
def test_a_number_is_shown_without_trailing_zeros_or_an_exponent(value, shown):
    assert plain_number(value) == shown


def test_the_chart_opens_on_the_first_goal_with_actuals(client, employee, period, time_machine):
    time_machine.move_to(MIDYEAR, tick=False)
    sheet = signed_sheet(employee, period)
    second = sheet.goals.order_by("position")[1]
    record(second, 30)
    client.force_login(employee.user)

    response = client.get(reverse("my_dashboard"))

    assert response.context["chosen"].goal == second


def test_the_favicon_is_found(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
