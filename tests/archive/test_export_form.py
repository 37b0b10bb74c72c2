"""The export page opens ready to use: the only open period chosen, its summary shown, and the
filter form (a GET) never puts the CSRF token into the URL."""

import pytest
from django.urls import reverse

from tests.factories import ReviewPeriodFactory
from tests.page_helpers import by_testid, form_values, login

pytestmark = pytest.mark.django_db


def test_the_only_open_period_is_chosen_on_the_first_visit(client, admin, period):
    login(client, admin)

    response = client.get(reverse("archive_export"))

    filters = form_values(response, form_id="export-filters")
    assert filters["period"] == str(period.pk)
    assert "csrfmiddlewaretoken" not in filters
    assert "of 0 signed sheets" in by_testid(response, "export-summary")
    assert "Choose the review period to export." not in response.content.decode()


def test_with_two_open_periods_the_admin_chooses(client, admin, period):
    ReviewPeriodFactory(name="2028")
    login(client, admin)

    response = client.get(reverse("archive_export"))

    assert form_values(response, form_id="export-filters").get("period", "") == ""
    assert by_testid(response, "export-summary") == ""
