"""The canonical content of a sheet that the three signatures vouch for, and its hash."""

import json
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from goalsapp.models import GoalSheet, SheetLocked, SheetState
from reviews import services
from reviews.canonical import canonical_json, content_hash, sheet_canonical
from reviews.models import GoalAnswer, Signature
from tests.workflow_helpers import ALL_PASS

pytestmark = pytest.mark.django_db


def fresh(sheet) -> GoalSheet:
    return GoalSheet.objects.get(pk=sheet.pk)


def test_the_hash_changes_when_a_goals_text_changes(sheet):
    before = content_hash(sheet)
    goal = sheet.goals.get(position=1)
    goal.text = "Reduce DSO on the assigned portfolio from 52 to 40 days by June 30, 2027."
    goal.save()

    assert content_hash(fresh(sheet)) != before


def test_the_hash_changes_when_a_goals_target_changes(sheet):
    before = content_hash(sheet)
    goal = sheet.goals.get(position=2)
    goal.target = Decimal("275000")
    goal.save()

    assert content_hash(fresh(sheet)) != before


def test_the_hash_changes_when_the_summary_changes(sheet):
    before = content_hash(sheet)
    sheet.action_plans = "Call every 90+ day account each week."
    sheet.save()

    assert content_hash(fresh(sheet)) != before


def test_the_hash_changes_when_the_employee_answers(sheet, supervisor, employee, advance):
    advance(sheet, SheetState.EMPLOYEE_REVIEW)
    before = content_hash(fresh(sheet))

    services.goal_answer(
        goal_id=sheet.goals.get(position=1).pk,
        actor=employee.user,
        answer=GoalAnswer.Answer.NEEDS_CLARIFICATION,
        comment="Which accounts count?",
    )

    assert content_hash(fresh(sheet)) != before


def test_the_hash_is_unchanged_by_a_smart_check(sheet, hr, advance):
    advance(sheet, SheetState.HR_REVIEW)
    before = content_hash(fresh(sheet))

    for goal in sheet.goals.all():
        services.goal_smart_check(goal_id=goal.pk, actor=hr.user, verdicts=ALL_PASS, note="")
    services.goal_smart_check(
        goal_id=sheet.goals.get(position=2).pk,
        actor=hr.user,
        verdicts={**ALL_PASS, "achievable": False},
        note="A stretch.",
    )

    assert content_hash(fresh(sheet)) == before


def test_the_hash_is_unchanged_by_moving_through_the_workflow(sheet, advance):
    advance(sheet, SheetState.EMPLOYEE_SIGNATURE)
    signed_by_supervisor = Signature.objects.get(sheet=sheet, role="supervisor").content_hash

    advance(sheet, SheetState.SIGNED)

    assert content_hash(fresh(sheet)) == signed_by_supervisor


def test_the_canonical_json_holds_the_goals_answers_and_summary(sheet, employee, advance):
    advance(sheet, SheetState.EMPLOYEE_REVIEW)
    first, second = sheet.goals.order_by("position")
    services.goal_answer(
        goal_id=first.pk,
        actor=employee.user,
        answer=GoalAnswer.Answer.NEEDS_CLARIFICATION,
        comment="Which accounts count?",
    )
    services.goal_answer(goal_id=second.pk, actor=employee.user, answer="okay", comment="")
    advance(sheet, SheetState.EMPLOYEE_SIGNATURE)  # replies, second round "Okay", summary

    content = json.loads(canonical_json(fresh(sheet)))

    assert (content["employee_name"], content["supervisor_name"]) == ("Emma Ellis", "Sam Sutton")
    assert content["employee_number"] == "E-1003"
    assert content["period"] == {"name": "2027", "starts_on": "2027-01-01", "ends_on": "2027-12-31"}
    assert [goal["text"] for goal in content["goals"]] == [first.text, second.text]
    assert content["goals"][0]["target"] == "45.00"
    assert content["goals"][0]["direction"] == "lower"
    assert content["goals"][1]["competency"] == second.competency.name
    # The latest round's answer is what was agreed.
    assert [goal["employee_answer"] for goal in content["goals"]] == ["okay", "okay"]
    assert content["summary"]["milestones"].startswith("Q1: 25% of target.")
    assert "state" not in content and "signatures" not in content


def test_the_canonical_json_holds_a_clarification_comment(sheet, employee, advance):
    advance(sheet, SheetState.EMPLOYEE_REVIEW)
    services.goal_answer(
        goal_id=sheet.goals.get(position=1).pk,
        actor=employee.user,
        answer=GoalAnswer.Answer.NEEDS_CLARIFICATION,
        comment="Which accounts count?",
    )

    first = sheet_canonical(fresh(sheet))["goals"][0]

    assert (first["employee_answer"], first["employee_comment"]) == (
        "needs_clarification",
        "Which accounts count?",
    )


def test_the_canonical_json_is_stable(sheet):
    assert canonical_json(fresh(sheet)) == canonical_json(fresh(sheet))
    assert content_hash(fresh(sheet)) == content_hash(fresh(sheet))


def test_a_signed_sheets_hash_survives_a_later_change_of_employee_number(sheet, advance):
    advance(sheet, SheetState.SIGNED)
    signed_hash = Signature.objects.get(sheet=sheet, role="hr").content_hash
    sheet.employee.employee_number = "E-9999"
    sheet.employee.save()

    assert content_hash(fresh(sheet)) == signed_hash


def test_a_period_with_signed_sheets_keeps_its_name_and_dates(sheet, advance):
    advance(sheet, SheetState.SIGNED)
    signed_hash = Signature.objects.get(sheet=sheet, role="hr").content_hash
    sheet.period.name = "FY 2027"
    with pytest.raises(SheetLocked):
        sheet.period.save()
    with pytest.raises(ValidationError, match="can no longer change"):
        sheet.period.full_clean()

    assert content_hash(fresh(sheet)) == signed_hash
