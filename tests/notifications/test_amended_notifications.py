"""Notices and reminders treat version 2 of an amended sheet like any sheet (they key on its
state) and never tell anyone about version 1, which is signed and waits on no one."""

import datetime

import pytest
import time_machine

from goalsapp.models import SheetState
from reviews.notifications.models import Notification
from reviews.notifications.reminders import reminders_sweep
from tests.amendment_helpers import amend

pytestmark = pytest.mark.django_db
S = SheetState


def test_hr_starting_an_amendment_tells_the_supervisor_once_about_version_2(
        sheet, advance, hr, django_capture_on_commit_callbacks, mailoutbox):
    first = advance(sheet, S.SIGNED)
    Notification.objects.all().delete()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        second = amend(first, hr.user)

    notices = list(Notification.objects.all())
    assert [(n.recipient.username, n.sheet_id, n.stage) for n in notices] == [
        ("sam", second.pk, S.DRAFTING)]
    assert [m.to for m in mailoutbox] == [["sam@example.com"]]
    assert f"/sheets/{second.pk}/" in mailoutbox[0].body


def test_the_supervisor_who_starts_it_is_not_told_it_waits_on_them(
        sheet, advance, django_capture_on_commit_callbacks, mailoutbox):
    first = advance(sheet, S.SIGNED)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        amend(first, first.employee.supervisor.user)
    assert mailoutbox == []


def test_reminders_go_about_version_2_only(sheet, advance, mailoutbox):
    first = advance(sheet, S.SIGNED)
    second = amend(first, first.employee.supervisor.user)
    mailoutbox.clear()
    with time_machine.travel(datetime.datetime(2027, 7, 1, 9, tzinfo=datetime.UTC), tick=False):
        reminders_sweep()
    reminded = set(Notification.objects.exclude(kind=Notification.Kind.WAITING)
                   .values_list("sheet_id", flat=True))
    assert reminded == {second.pk}
