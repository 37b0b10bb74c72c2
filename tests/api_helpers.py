"""Tokens and a client that calls the API as a token would: shared by the API's tests."""

import datetime

from django.utils import timezone
from rest_framework.test import APIClient

from reviews.api.models import ApiToken
from reviews.api.tokens import token_create
from tests.factories import ReviewPeriodFactory

ALL_SCOPES = [scope.value for scope in ApiToken.Scope]


def token_client(user, scopes=ALL_SCOPES, name="test integration") -> tuple[APIClient, ApiToken]:
    token, raw = token_create(name=name, acts_as=user, scopes=list(scopes))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client, token


def current_period(name="Current"):
    """A period that has started and holds today, so actuals up to today are accepted."""
    today = timezone.localdate()
    return ReviewPeriodFactory(name=name, starts_on=today - datetime.timedelta(days=200),
                               ends_on=today + datetime.timedelta(days=100),
                               goals_due=today - datetime.timedelta(days=190),
                               answers_due=today - datetime.timedelta(days=180),
                               signatures_due=today - datetime.timedelta(days=170),
                               hr_review_due=today - datetime.timedelta(days=160))
