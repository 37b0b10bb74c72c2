"""`manage.py demo` records actuals on its signed sheet so the dashboards have numbers to show."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from goalsapp.models import GoalSheet, ProgressEntry, SheetState
from reviews.canonical import content_hash
from reviews.selectors import sheet_view

pytestmark = pytest.mark.django_db


def test_the_demo_records_weekly_actuals_once_and_keeps_the_signature_valid(settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("demo", stdout=StringIO())
    signed = GoalSheet.objects.get(state=SheetState.SIGNED, period__is_open=True)
    entries = ProgressEntry.objects.filter(goal__sheet=signed)
    assert entries.count() > 0
    assert set(entries.values_list("goal__sheet__state", flat=True)) == {SheetState.SIGNED}
    assert entries.filter(is_latest=True).count() == signed.goals.count()
    before = ProgressEntry.objects.count()
    call_command("demo", stdout=StringIO())
    assert ProgressEntry.objects.count() == before
    view = sheet_view(GoalSheet.objects.get(pk=signed.pk))
    assert view.signatures_match and view.content_hash == content_hash(signed)

    client = Client()
    client.force_login(signed.employee.user)
    page = client.get("/dashboards/me/").content.decode()
    assert 'data-chart="chart-attainment"' in page and "No data yet" not in page
