"""Signed means immutable at every ORM path: signatures, answers, SMART checks and stored
archives of a signed sheet refuse instance and queryset update, delete, bulk_update and
bulk_create; review events are append-only. (Raw SQL: test_record_triggers.py.)"""

import pytest
from django.utils import timezone

from goalsapp.models import SheetLocked, SheetState
from reviews.archive.models import ArchiveStored, SheetArchive
from reviews.models import GoalAnswer, RecordAltered, ReviewEvent, Signature, SmartCheck
from tests.factories import GoalFactory, GoalSheetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(sheet, advance):
    advance(sheet, SheetState.SIGNED)
    return sheet


def _rows(model, sheet):
    path = "sheet" if model is Signature else "goal__sheet"
    return model.objects.filter(**{path: sheet})


def _snapshot(sheet):
    return [list(_rows(model, sheet).order_by("pk").values())
            for model in (Signature, GoalAnswer, SmartCheck)]


@pytest.mark.parametrize("model, field, value", [
    (Signature, "typed_name", "Someone Else"),
    (GoalAnswer, "comment", "Rewritten after signing."),
    (SmartCheck, "note", "Rewritten after signing."),
])
def test_every_orm_path_to_a_signed_sheets_records_is_refused(signed, model, field, value):
    before = _snapshot(signed)
    rows = _rows(model, signed)
    row = rows.first()
    assert row is not None

    with pytest.raises(SheetLocked):
        rows.update(**{field: value})
    with pytest.raises(SheetLocked):
        rows.delete()
    setattr(row, field, value)
    with pytest.raises(SheetLocked):
        model.objects.bulk_update([row], [field])
    with pytest.raises(SheetLocked):
        row.save()
    with pytest.raises(SheetLocked):
        row.delete()
    row.pk = None
    with pytest.raises(SheetLocked):
        model.objects.bulk_create([row])
    assert _snapshot(signed) == before


def test_signatures_of_a_sheet_not_yet_signed_can_still_be_voided(sheet, advance):
    advance(sheet, SheetState.HR_REVIEW)
    assert Signature.objects.filter(sheet=sheet).update(voided_at=timezone.now()) == 2


def test_review_events_are_append_only(sheet, advance, supervisor):
    advance(sheet, SheetState.EMPLOYEE_REVIEW)
    events = ReviewEvent.objects.filter(sheet=sheet)
    event = events.get()

    with pytest.raises(RecordAltered):
        events.update(note="Rewritten.")
    with pytest.raises(RecordAltered):
        events.delete()
    event.note = "Rewritten."
    with pytest.raises(RecordAltered):
        event.save()
    with pytest.raises(RecordAltered):
        event.delete()
    with pytest.raises(RecordAltered):
        ReviewEvent.objects.bulk_update([event], ["note"])
    assert events.get().note == ""
    ReviewEvent.objects.create(sheet=sheet, actor=supervisor.user, action="note",
                               from_state="employee_review", to_state="employee_review")
    assert events.count() == 2


def test_a_stored_archive_is_never_changed_or_removed(signed):
    archive = SheetArchive.objects.create(sheet=signed, status=SheetArchive.Status.RENDERED,
                                          file="archive/emma.pdf", sha256="a" * 64, size=10)
    rows = SheetArchive.objects.filter(pk=archive.pk)

    with pytest.raises(ArchiveStored):
        rows.update(sha256="b" * 64)
    with pytest.raises(ArchiveStored):
        rows.delete()
    archive.sha256 = "b" * 64
    with pytest.raises(ArchiveStored):
        archive.save()
    with pytest.raises(ArchiveStored):
        archive.delete()
    with pytest.raises(ArchiveStored):
        SheetArchive.objects.bulk_update([archive], ["sha256"])
    assert rows.get().sha256 == "a" * 64


def test_bulk_writes_on_drafts_still_work(other_employee, period, supervisor):
    draft = GoalSheetFactory(employee=other_employee, period=period)
    goal = GoalFactory(sheet=draft)
    GoalAnswer.objects.bulk_create([GoalAnswer(goal=goal, round=1, answer="okay",
                                               answered_by=supervisor.user)])
    assert GoalAnswer.objects.filter(goal=goal).update(comment="Fine.") == 1
