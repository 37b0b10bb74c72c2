"""The goalsapp models: signed sheets stay as signed, SSNs stay secret, the seeds load as data."""

import datetime
from decimal import Decimal

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection

from goalsapp import crypto, seeds
from goalsapp.access import HR_GROUP
from goalsapp.models import Competency, Employee, Goal, GoalSheet, SheetLocked, SheetState
from tests.factories import GoalFactory, GoalSheetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_sheet(sheet, advance):
    advance(sheet, SheetState.SIGNED)
    return GoalSheet.objects.get(pk=sheet.pk)


# Locked sheets ----------------------------------------------------------------------------------


def test_a_signed_sheet_refuses_save(signed_sheet):
    signed_sheet.action_plans = "Rewritten after signing."

    with pytest.raises(SheetLocked, match="is signed and locked"):
        signed_sheet.save()
    assert GoalSheet.objects.get(pk=signed_sheet.pk).action_plans != "Rewritten after signing."


def test_a_signed_sheet_refuses_save_after_refresh_from_db(sheet, advance):
    # refresh_from_db() must not lose the lock: save() asks the database.
    advance(sheet, SheetState.SIGNED)  # refreshes `sheet` from the database
    assert sheet.locked_at is not None
    sheet.milestones = "Changed after signing."

    with pytest.raises(SheetLocked):
        sheet.save()
    assert GoalSheet.objects.get(pk=sheet.pk).milestones != "Changed after signing."


def test_a_sheet_loaded_before_signing_cannot_overwrite_the_signed_sheet(sheet, hr, advance):
    # An instance loaded before HR signed (an open admin form) must not un-sign the sheet.
    stale = GoalSheet.objects.get(pk=sheet.pk)
    advance(sheet, SheetState.SIGNED)
    stale.additional_comments = "Saved from a page opened before HR signed."

    with pytest.raises(SheetLocked):
        stale.save()
    signed = GoalSheet.objects.get(pk=sheet.pk)
    assert (signed.state, signed.locked_at is not None) == (SheetState.SIGNED, True)


def test_a_signed_sheet_refuses_delete(signed_sheet):
    with pytest.raises(SheetLocked):
        signed_sheet.delete()
    assert GoalSheet.objects.filter(pk=signed_sheet.pk).exists()


def test_the_goals_of_a_signed_sheet_refuse_save_and_delete(signed_sheet):
    goal = signed_sheet.goals.get(position=1)
    goal.target = Decimal("40")

    with pytest.raises(SheetLocked):
        goal.save()
    with pytest.raises(SheetLocked):
        goal.delete()
    assert signed_sheet.goals.get(position=1).target == Decimal("45")


def test_a_signed_sheet_refuses_a_new_goal(signed_sheet):
    with pytest.raises(SheetLocked):
        GoalFactory(sheet=signed_sheet)
    assert signed_sheet.goals.count() == 2


def test_a_goal_cannot_be_moved_off_a_signed_sheet(signed_sheet, other_employee, period):
    draft = GoalSheetFactory(employee=other_employee, period=period)
    goal = signed_sheet.goals.get(position=1)
    goal.sheet = draft

    with pytest.raises(SheetLocked):
        goal.save()
    assert signed_sheet.goals.count() == 2


def test_bulk_create_refuses_goals_on_a_signed_sheet(signed_sheet):
    template = signed_sheet.goals.get(position=1)
    extra = Goal(
        sheet=signed_sheet,
        competency=template.competency,
        text="Added after signing.",
        target=Decimal("1"),
        due_on=datetime.date(2027, 6, 30),
    )

    with pytest.raises(SheetLocked):
        Goal.objects.bulk_create([extra])
    assert signed_sheet.goals.count() == 2


def test_bulk_changes_to_a_signed_sheets_goals_are_refused(signed_sheet):
    goals = Goal.objects.filter(sheet=signed_sheet)

    with pytest.raises(SheetLocked):
        goals.update(text="Rewritten in bulk.")
    with pytest.raises(SheetLocked):
        goals.delete()
    with pytest.raises(SheetLocked):
        signed_sheet.goals.all().update(target=Decimal("1"))
    assert not goals.filter(text="Rewritten in bulk.").exists()
    assert goals.count() == 2


def test_bulk_changes_to_a_signed_sheet_are_refused(signed_sheet):
    sheets = GoalSheet.objects.filter(pk=signed_sheet.pk)

    with pytest.raises(SheetLocked):
        sheets.update(state=SheetState.DRAFTING, locked_at=None)
    with pytest.raises(SheetLocked):
        sheets.delete()
    assert GoalSheet.objects.get(pk=signed_sheet.pk).state == SheetState.SIGNED


def test_bulk_changes_to_draft_sheets_still_work_beside_a_signed_one(
    signed_sheet, other_employee, period
):
    draft = GoalSheetFactory(employee=other_employee, period=period)
    GoalFactory(sheet=draft, text="Old text.")

    assert Goal.objects.filter(sheet=draft).update(text="New text.") == 1
    assert GoalSheet.objects.filter(pk=draft.pk).update(milestones="Quarterly.") == 1
    assert draft.goals.get().text == "New text."


# SSN --------------------------------------------------------------------------------------------


def test_it_stores_the_ssn_encrypted_and_shows_it_masked(employee):
    employee.set_ssn("123-45-1234")
    employee.save()

    stored = Employee.objects.values_list("ssn_encrypted", flat=True).get(pk=employee.pk)
    assert stored
    assert "123451234" not in stored
    assert "123-45-1234" not in stored
    reloaded = Employee.objects.get(pk=employee.pk)
    assert reloaded.ssn == "123-45-1234"
    assert reloaded.masked_ssn == "***-**-1234"


def test_it_accepts_an_ssn_without_dashes(employee):
    employee.set_ssn(" 987654321 ")

    assert (employee.ssn, employee.masked_ssn) == ("987-65-4321", "***-**-4321")


@pytest.mark.parametrize("typed", ["12-345-6789", "123-45-678", "1234567890", "abc-de-fghi"])
def test_it_refuses_an_invalid_ssn(employee, typed):
    employee.set_ssn("123-45-1234")

    with pytest.raises(ValidationError) as refused:
        employee.set_ssn(typed)

    assert refused.value.message_dict == {"ssn": ["Enter the SSN as 123-45-6789."]}
    assert employee.ssn == "123-45-1234"


def test_a_blank_ssn_clears_it(employee):
    employee.set_ssn("123-45-1234")
    employee.set_ssn("")

    assert (employee.ssn_encrypted, employee.ssn, employee.masked_ssn) == ("", "", "")


def test_an_ssn_still_reads_after_the_key_is_rotated(employee, settings):
    employee.set_ssn("123-45-1234")
    employee.save()

    settings.SSN_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.SSN_ENCRYPTION_KEYS]
    crypto._fernet.cache_clear()

    assert Employee.objects.get(pk=employee.pk).masked_ssn == "***-**-1234"


def test_the_history_tables_never_hold_the_ssn(employee):
    employee.set_ssn("123-45-1234")
    employee.save()

    history_model = Employee.history.model
    field_names = {field.name for field in history_model._meta.get_fields()}
    assert "ssn_encrypted" not in field_names
    assert not [name for name in field_names if "ssn" in name]
    with connection.cursor() as cursor:
        columns = connection.introspection.get_table_description(
            cursor, history_model._meta.db_table
        )
    assert not [column.name for column in columns if "ssn" in column.name]
    assert employee.history.count() >= 1


# Seeds ------------------------------------------------------------------------------------------


def test_the_seed_holds_ten_responsibility_areas_with_four_kpis_each():
    areas = seeds.responsibility_areas()

    assert len(areas) == 10
    assert [area.number for area in areas] == list(range(1, 11))
    assert all(len(area.kpis) == 4 for area in areas)
    assert areas[0].name == "Customer Account Management"
    assert areas[0].kpis[0] == "Percentage of accounts with timely payments"
    assert areas[-1].name == "Team Collaboration"
    assert all(area.description and area.short_description for area in areas)


def test_the_paper_form_holds_twenty_example_goals():
    goals = seeds.form_example_goals()

    assert len(goals) == 20
    assert goals[0].startswith("Learn to figure out different possible options")
    assert goals[-1].startswith("Always assess whether the current procedures")
    assert "[employee comments goal]" not in goals


def test_the_acknowledgement_is_the_one_on_the_paper_form():
    assert seeds.form_acknowledgement() == (
        "I acknowledge that I discussed this performance feedback with my supervisor. "
        "My signature does not mean that I agree or disagree with this appraisal."
    )


def test_the_migration_creates_the_ten_kras_as_competencies_in_order():
    names = list(Competency.objects.order_by("position").values_list("name", flat=True))

    assert names == [area.name for area in seeds.responsibility_areas()]
    first = Competency.objects.get(name="Customer Account Management")
    assert first.short_description == "Account Management for Payment Collection"


def test_the_migration_creates_the_hr_group():
    assert Group.objects.filter(name=HR_GROUP).exists()
