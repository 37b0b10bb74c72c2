"""`manage.py demo` leaves its signed sheets archived, through the real task, once."""

from io import StringIO

import pytest
from django.core.management import call_command

from goalsapp.models import GoalSheet, SheetState
from reviews.archive.models import SheetArchive
from tests.archive.archive_helpers import sha256, stored_bytes

pytestmark = pytest.mark.django_db


def test_the_demo_archives_its_signed_sheets_once():
    out = StringIO()
    call_command("demo", stdout=out)

    signed = GoalSheet.objects.filter(state=SheetState.SIGNED)
    assert signed.exists()
    archives = SheetArchive.objects.filter(sheet__in=signed)
    # Each signed sheet's goals, and the one closed closing review (docs/closing.md).
    assert archives.filter(kind=SheetArchive.Kind.GOALS).count() == signed.count()
    assert archives.filter(kind=SheetArchive.Kind.CLOSING).count() == 1
    for archive in archives:
        assert archive.status == SheetArchive.Status.RENDERED
        assert archive.sha256 == sha256(stored_bytes(archive))
    assert "Archived PDF of" in out.getvalue()

    again = StringIO()
    call_command("demo", stdout=again)
    assert "Archived PDF of" not in again.getvalue()
    assert list(SheetArchive.objects.values_list("pk", "sha256")) == list(
        archives.values_list("pk", "sha256"))
