"""Idempotency-Keys are remembered API_IDEMPOTENCY_HOURS, then purged hourly by beat (a thin task
over one service) or by `manage.py purge_idempotency_keys`; a retry after that runs again."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from config.celery import app
from reviews.api.idempotency import idempotency_records_purge
from reviews.api.models import IdempotentRequest
from reviews.api.tasks import purge_idempotency_keys
from tests.api_helpers import token_client

pytestmark = pytest.mark.django_db


def _record(user, key: str, hours_ago: float) -> IdempotentRequest:
    return IdempotentRequest.objects.create(
        user=user, key=key, fingerprint="f" * 64, status=201, body={},
        created_at=timezone.now() - datetime.timedelta(hours=hours_ago))


def test_records_older_than_the_setting_are_purged_and_younger_ones_kept(settings, hr):
    settings.API_IDEMPOTENCY_HOURS = 24
    _record(hr.user, "old", 25)
    _record(hr.user, "young", 23)
    assert idempotency_records_purge() == 1
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["young"]


def test_beat_runs_the_task_hourly_and_the_command_does_the_same(settings, hr):
    settings.API_IDEMPOTENCY_HOURS = 1
    schedule = app.conf.beat_schedule["purge-idempotency-keys"]
    assert schedule["task"] == purge_idempotency_keys.name == "api.purge_idempotency_keys"
    _record(hr.user, "a", 2)
    assert purge_idempotency_keys.delay().get() == "1 Idempotency-Key records purged"
    _record(hr.user, "b", 2)
    out = StringIO()
    call_command("purge_idempotency_keys", stdout=out)
    assert out.getvalue().startswith("1 Idempotency-Key records purged")
    assert not IdempotentRequest.objects.exists()


def test_a_retry_after_the_purge_runs_again(settings, hr):
    client, _token = token_client(hr.user, ["write_people"])
    body = {"employee_number": "E-9001", "full_name": "Pat Purge", "title": "T"}
    first = client.post("/api/employees/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201
    replay = client.post("/api/employees/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert replay["Idempotent-Replayed"] == "true"
    IdempotentRequest.objects.update(created_at=timezone.now() - datetime.timedelta(days=30))
    idempotency_records_purge()
    again = client.post("/api/employees/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 422  # run again: the person exists already
