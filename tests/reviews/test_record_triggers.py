"""Below the ORM: on PostgreSQL, raw SQL that changes or removes a row of a signed sheet, a
review event or a stored archive is refused by triggers (reviews/migrations/0005); a superuser
who names a reason in the transaction may correct, and each corrected row is logged."""

import pytest
from django.db import IntegrityError, connection, transaction

from goalsapp.models import GoalSheet, SheetState
from reviews.models import RecordCorrection, ReviewEvent, Signature

pytestmark = pytest.mark.usefixtures("postgresql_only")


@pytest.fixture
def signed(sheet, advance):
    advance(sheet, SheetState.SIGNED)
    return sheet


def _sql(statement, params=()):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


@pytest.mark.parametrize("statement", [
    "UPDATE goalsapp_goal SET text = 'Rewritten in SQL.' WHERE sheet_id = %s",
    "DELETE FROM goalsapp_goal WHERE sheet_id = %s",
    "UPDATE goalsapp_goalsheet SET milestones = 'None.' WHERE id = %s",
    "DELETE FROM reviews_signature WHERE sheet_id = %s",
    "UPDATE reviews_signature SET typed_name = 'Someone Else' WHERE sheet_id = %s",
    "UPDATE reviews_goalanswer SET comment = 'x' WHERE goal_id IN "
    "(SELECT id FROM goalsapp_goal WHERE sheet_id = %s)",
    "DELETE FROM reviews_smartcheck WHERE goal_id IN "
    "(SELECT id FROM goalsapp_goal WHERE sheet_id = %s)",
    "UPDATE reviews_reviewevent SET note = 'Rewritten.' WHERE sheet_id = %s",
    "DELETE FROM reviews_reviewevent WHERE sheet_id = %s",
])
def test_raw_sql_on_a_signed_record_is_refused(signed, statement):
    with pytest.raises(IntegrityError, match="belongs to a signed record"):
        _sql(statement, [signed.pk])
    assert Signature.objects.filter(sheet=signed, voided_at__isnull=True).count() == 3


def test_raw_sql_on_a_draft_still_works_but_events_never_change(sheet, advance):
    advance(sheet, SheetState.EMPLOYEE_REVIEW)
    assert _sql("UPDATE goalsapp_goalsheet SET milestones = 'Q1.' WHERE id = %s",
                [sheet.pk]) == 1
    with pytest.raises(IntegrityError):
        _sql("UPDATE reviews_reviewevent SET note = 'x' WHERE sheet_id = %s", [sheet.pk])


# Committed for real: the reason must end with its own transaction, not the test's.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_superuser_correction_names_its_reason_and_is_logged(signed):
    reason = "Court order 2027-0113: the typed name was misspelt."
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('goalpost.correction_reason', %s, true)", [reason])
        cursor.execute("UPDATE reviews_signature SET typed_name = 'Emma J. Ellis' "
                       "WHERE sheet_id = %s AND role = 'employee'", [signed.pk])

    correction = RecordCorrection.objects.get()
    assert (correction.reason, correction.table_name, correction.operation) == (
        reason, "reviews_signature", "UPDATE")
    assert correction.row_after["typed_name"] == "Emma J. Ellis"
    assert correction.row_before["typed_name"] != "Emma J. Ellis"
    # The reason lasted one transaction only.
    with pytest.raises(IntegrityError):
        _sql("UPDATE reviews_signature SET typed_name = 'x' WHERE sheet_id = %s", [signed.pk])
    assert GoalSheet.objects.get(pk=signed.pk).state == SheetState.SIGNED
    assert ReviewEvent.objects.filter(sheet=signed).exists()


def _function_source(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT prosrc FROM pg_proc WHERE proname = %s", [name])
        return cursor.fetchone()[0]


def test_the_cores_trigger_function_names_no_table_of_the_archive():
    # The archive guards its rows with a function of its own (reviews/archive/migrations/0003).
    assert "sheetarchive" not in _function_source("goalpost_guard_signed_record")
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgfoid::regproc::text FROM pg_trigger WHERE tgname = "
                       "'goalpost_guard' AND tgrelid = 'reviews_sheetarchive'::regclass")
        assert cursor.fetchone()[0] == "goalpost_guard_stored_archive"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_corrected_typed_name_is_said_on_the_sheet_page_with_its_reason(client, signed, hr):
    from django.urls import reverse

    from tests.page_helpers import by_testid, login

    reason = "Court order 2027-0113: the typed name was misspelt."
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('goalpost.correction_reason', %s, true)", [reason])
        cursor.execute("UPDATE reviews_signature SET typed_name = 'Emma J. Ellis' "
                       "WHERE sheet_id = %s AND role = 'employee'", [signed.pk])

    login(client, hr)
    warning = by_testid(client.get(reverse("sheet_detail", args=[signed.pk])), "record-altered")
    assert "This record was altered outside Goalpost" in warning
    assert "by the database user" in warning
    assert "1 row of reviews_signature updated" in warning
    assert reason in warning
