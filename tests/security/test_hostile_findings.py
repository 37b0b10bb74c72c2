"""What the hostile-input run (test_hostile_input.py) found, each a 500 once, pinned here so it
stays fixed: the request that broke a page now gets a sentence and changes nothing."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_user_name_longer_than_any_account_is_refused_not_a_500(client, employee):
    response = client.post(reverse("login"), {"username": "a" * 300, "password": "x"})

    assert response.status_code == 200
    assert "No account has a user name that long" in response.content.decode()
    assert not AccessAttempt.objects.exists()
