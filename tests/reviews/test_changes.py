"""The sheet page lists what changed after the employee first saw the goals, and by whom."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from goalsapp.models import Competency, SheetState
from goalsapp.services import GoalRow
from reviews import services
from reviews.models import GoalAnswer

pytestmark = pytest.mark.django_db


def _rows(sheet, changes_by_position=None):
    rows = []
    for goal in sheet.goals.order_by("position"):
        values = {
            "goal_id": goal.pk, "competency": goal.competency, "text": goal.text,
            "measure_kind": goal.measure_kind, "target": goal.target, "unit": goal.unit,
            "direction": goal.direction, "baseline": goal.baseline, "due_on": goal.due_on,
            "weight": goal.weight,
        }
        values.update((changes_by_position or {}).get(goal.position, {}))
        rows.append(GoalRow(**values))
    return rows


def _save(sheet, actor, rows):
    sheet.refresh_from_db()
    services.sheet_save_draft(sheet_id=sheet.pk, actor=actor, version=sheet.version,
                              sheet_values={}, rows=rows, replies={})


def _changes_on_page(client, user, sheet) -> str:
    client.force_login(user)
    response = client.get(reverse("sheet_detail", args=[sheet.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    marker = 'data-testid="changes"'
    return html.split(marker)[1].split("</ul>")[0] if marker in html else ""


def _question_the_first_goal(sheet, employee, advance, comment):
    """The employee asks about the first goal, agrees to the rest and sends the answers back."""
    advance(sheet, SheetState.EMPLOYEE_REVIEW)
    first = sheet.goals.get(position=1)
    services.goal_answer(goal_id=first.pk, actor=employee.user,
                         answer=GoalAnswer.Answer.NEEDS_CLARIFICATION, comment=comment)
    for goal in sheet.goals.exclude(pk=first.pk):
        services.goal_answer(goal_id=goal.pk, actor=employee.user,
                             answer=GoalAnswer.Answer.OKAY, comment="")
    sheet.refresh_from_db()
    services.sheet_submit_answers(sheet_id=sheet.pk, actor=employee.user, version=sheet.version)
    return first


def test_it_shows_a_target_the_supervisor_changed_after_a_clarification(
        client, sheet, supervisor, employee, advance):
    _question_the_first_goal(sheet, employee, advance, "45 is too low.")

    _save(sheet, supervisor.user, _rows(sheet, {1: {"target": Decimal("48")}}))

    shown = _changes_on_page(client, employee.user, sheet)
    assert "Sam Sutton" in shown
    assert "target" in shown and "45.00" in shown and "48.00" in shown


def test_a_changed_competency_and_measure_are_shown_by_their_names(
        client, sheet, supervisor, employee, advance):
    first = _question_the_first_goal(sheet, employee, advance, "Wrong area?")
    other = Competency.objects.exclude(pk=first.competency_id).first()
    before = first.competency.name

    turned = "higher" if first.direction == "lower" else "lower"
    _save(sheet, supervisor.user, _rows(sheet, {1: {"competency": other, "direction": turned}}))

    shown = _changes_on_page(client, employee.user, sheet)
    # By their names, not their keys or codes.
    assert "competency" in shown and escape(before) in shown and escape(other.name) in shown
    assert "Higher is better" in shown and "Lower is better" in shown


def test_it_leaves_out_the_drafting_before_the_employee_saw_the_goals(
        client, sheet, supervisor, employee):
    _save(sheet, supervisor.user, _rows(sheet, {1: {"unit": "calendar days"}}))

    assert _changes_on_page(client, employee.user, sheet) == ""


def test_it_shows_a_goal_removed_in_a_later_round(client, sheet, supervisor, employee, advance):
    advance(sheet, SheetState.SUPERVISOR_SIGNATURE)
    sheet.refresh_from_db()
    services.sheet_reopen(sheet_id=sheet.pk, actor=supervisor.user, version=sheet.version)
    rows = _rows(sheet)
    rows[1].delete = True
    _save(sheet, supervisor.user, rows)

    shown = _changes_on_page(client, employee.user, sheet)
    assert "removed" in shown and "Collect $250,000" in shown


def test_a_change_names_the_login_without_an_employee_record_and_the_system_without_a_login(
        client, sheet, supervisor, employee, advance, admin):
    from goalsapp.models import Goal

    _question_the_first_goal(sheet, employee, advance, "45 is too low.")
    _save(sheet, supervisor.user, _rows(sheet, {1: {"target": Decimal("48")}}))
    change = Goal.history.filter(sheet_id=sheet.pk).latest("history_date", "history_id")
    assert "Sam Sutton" in _changes_on_page(client, employee.user, sheet)

    # Made by an administrator's login with no employee record, then by no login at all.
    Goal.history.filter(history_id=change.history_id).update(history_user=admin)
    shown = _changes_on_page(client, employee.user, sheet)
    assert escape(admin.get_username()) in shown and "Sam Sutton" not in shown

    Goal.history.filter(history_id=change.history_id).update(history_user=None)
    shown = _changes_on_page(client, employee.user, sheet)
    assert "the system" in shown and "48.00" in shown
