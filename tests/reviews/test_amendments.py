"""Amending a signed sheet (reviews/amendments.py): every guard, the copy, the signed version
left byte-for-byte as it was, and the new version through the whole workflow again."""

from decimal import Decimal

import pytest
from django.db import IntegrityError

from goalsapp.models import Goal, GoalSheet, SheetState
from reviews import closing, services
from reviews.amendments import REASON_REQUIRED
from reviews.canonical import canonical_json, content_hash, sheet_canonical
from reviews.closing_models import ClosingReview
from reviews.integrity import signed_record_problems
from reviews.models import ReviewEvent
from reviews.workflow import ActionForbidden, WorkflowError, actions_for
from tests.amendment_helpers import REASON, amend, signed_and_amended
from tests.closing_helpers import open_closing
from tests.page_helpers import fresh

pytestmark = pytest.mark.django_db
S = SheetState


def row_of(sheet) -> dict:
    return GoalSheet.objects.filter(pk=sheet.pk).values().get()


def test_the_supervisor_starts_version_2_as_a_draft_copy_of_the_signed_sheet(sheet, advance):
    first = advance(sheet, S.SIGNED)
    second = amend(first, first.employee.supervisor.user)

    assert (second.state, second.edition, second.amends_id) == (S.DRAFTING, 2, first.pk)
    assert second.amendment_reason == REASON
    assert second.amendment_started_by == first.employee.supervisor.user
    assert (second.employee_id, second.period_id) == (first.employee_id, first.period_id)
    assert second.action_plans == first.action_plans
    copies = list(second.goals.order_by("position"))
    originals = list(first.goals.order_by("position"))
    assert [g.carried_from_id for g in copies] == [g.pk for g in originals]
    assert [(g.text, g.target, g.due_on, g.kpi, g.kpi_scope) for g in copies] == [
        (g.text, g.target, g.due_on, g.kpi, g.kpi_scope) for g in originals]


def test_hr_may_start_an_amendment_too(sheet, advance, hr):
    first = advance(sheet, S.SIGNED)
    second = amend(first, hr.user)
    assert second.amendment_started_by == hr.user
    # The supervisor drafts it, as any sheet: it waits on them.
    assert "edit_goals" in {a.name for a in actions_for(first.employee.supervisor.user, second)}


def test_the_amendment_is_in_the_timeline_of_both_versions(sheet, advance):
    first, second = signed_and_amended(sheet, advance)
    for version in (first, second):
        event = ReviewEvent.objects.filter(sheet=version, action="amend").get()
        assert event.note == f"Version 2: {REASON}"
    assert ReviewEvent.objects.get(sheet=first, action="amend").to_state == S.SIGNED


@pytest.mark.parametrize("persona", ["employee", "other_supervisor", "manager"])
def test_only_the_supervisor_or_hr_may_amend(sheet, advance, persona, request):
    first = advance(sheet, S.SIGNED)
    person = request.getfixturevalue(persona)
    with pytest.raises(ActionForbidden,
                       match="Only the employee's supervisor or Human Resources may"):
        amend(first, person.user)
    assert not GoalSheet.objects.filter(amends=first).exists()


@pytest.mark.parametrize("state", [S.DRAFTING, S.EMPLOYEE_REVIEW, S.HR_REVIEW])
def test_only_a_signed_sheet_is_amended(sheet, advance, state):
    advance(sheet, state)
    with pytest.raises(WorkflowError, match="is not possible now"):
        amend(sheet, sheet.employee.supervisor.user)


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_reason_is_required(sheet, advance, reason):
    first = advance(sheet, S.SIGNED)
    with pytest.raises(WorkflowError, match=REASON_REQUIRED):
        amend(first, first.employee.supervisor.user, reason)
    assert GoalSheet.objects.count() == 1


def test_one_amendment_at_a_time(sheet, advance, hr):
    first, second = signed_and_amended(sheet, advance)
    with pytest.raises(WorkflowError, match="Version 2 of this sheet is already under way"):
        amend(first, hr.user)
    assert GoalSheet.objects.filter(amends=first).count() == 1


def test_a_replaced_version_is_not_amended_again_but_the_one_in_force_is(sheet, advance):
    first, second = signed_and_amended(sheet, advance)
    second = advance(second, S.SIGNED)
    supervisor = first.employee.supervisor.user
    with pytest.raises(WorkflowError, match="already replaced by version 2"):
        amend(first, supervisor)
    third = amend(second, supervisor, "Target proved wrong.")
    assert (third.edition, third.amends_id) == (3, second.pk)


def test_the_database_refuses_a_second_amendment_of_one_version(sheet, advance):
    first, second = signed_and_amended(sheet, advance)
    with pytest.raises(IntegrityError):
        GoalSheet.objects.create(employee=first.employee, period=first.period, edition=3,
                                 amends=first, employee_name="Emma Ellis", title="x")


def test_the_signed_version_is_untouched_and_still_verifies(sheet, advance):
    first = advance(sheet, S.SIGNED)
    row_before = row_of(first)
    goals_before = list(Goal.objects.filter(sheet=first).order_by("pk").values())
    json_before = canonical_json(first)

    second = amend(first, first.employee.supervisor.user)
    goal = second.goals.order_by("position").first()
    services.sheet_save_draft(
        sheet_id=second.pk, actor=second.employee.supervisor.user, version=second.version,
        sheet_values={}, rows=[services.goals.GoalRow.of(goal)], replies={})
    advance(second, S.SIGNED)

    first = fresh(first)
    assert row_of(first) == row_before
    assert list(Goal.objects.filter(sheet=first).order_by("pk").values()) == goals_before
    assert canonical_json(first) == json_before
    assert "version" not in sheet_canonical(first)  # the first version's form is unchanged
    assert signed_record_problems(first) == []


def test_version_2_signs_its_version_and_what_it_amends(sheet, advance):
    first, second = signed_and_amended(sheet, advance)
    second = advance(second, S.SIGNED)
    canonical = sheet_canonical(second)
    assert canonical["version"] == 2
    assert canonical["amends"] == {"sheet": first.pk, "version": 1, "reason": REASON}
    hashes = {s.content_hash for s in second.signatures.filter(voided_at__isnull=True)}
    assert hashes == {content_hash(second)}
    assert signed_record_problems(second) == []


def test_version_2_goes_through_the_clarification_loop_again(sheet, advance):
    from reviews.models import GoalAnswer

    first, second = signed_and_amended(sheet, advance)
    advance(second, S.EMPLOYEE_REVIEW)
    goal = second.goals.order_by("position").first()
    employee = second.employee.user
    services.goal_answer(goal_id=goal.pk, actor=employee,
                         answer=GoalAnswer.Answer.NEEDS_CLARIFICATION, comment="Which accounts?")
    for other in second.goals.exclude(pk=goal.pk):
        services.goal_answer(goal_id=other.pk, actor=employee, answer="okay", comment="")
    second = fresh(second)
    services.sheet_submit_answers(sheet_id=second.pk, actor=employee, version=second.version)
    assert fresh(second).state == S.DRAFTING
    assert advance(second, S.SIGNED).state == S.SIGNED
    assert fresh(first).state == S.SIGNED


def test_an_edited_target_changes_only_the_new_version(sheet, advance):
    first, second = signed_and_amended(sheet, advance)
    goal = second.goals.order_by("position").first()
    row = services.goals.GoalRow.of(goal)
    row.target = Decimal("40")
    services.sheet_save_draft(sheet_id=second.pk, actor=second.employee.supervisor.user,
                              version=second.version, sheet_values={}, rows=[
                                  row, *[services.goals.GoalRow.of(g)
                                         for g in second.goals.exclude(pk=goal.pk)]],
                              replies={})
    assert Goal.objects.get(pk=goal.pk).target == Decimal("40")
    assert Goal.objects.get(pk=goal.carried_from_id).target == Decimal("45")


def test_a_closed_periods_sheet_is_not_amended(sheet, advance):
    first = advance(sheet, S.SIGNED)
    type(first.period).objects.filter(pk=first.period_id).update(is_open=False)
    with pytest.raises(WorkflowError, match="The period 2027 is closed."):
        amend(fresh(first), first.employee.supervisor.user)
    assert not GoalSheet.objects.filter(amends=first).exists()


def test_a_goal_set_extends_the_amendment_in_draft_never_the_signed_version(sheet, advance):
    from goalsapp.models import GoalSet, GoalSetItem
    from reviews import bulk_assign

    first, second = signed_and_amended(sheet, advance)
    supervisor = first.employee.supervisor.user
    goal_set = GoalSet.objects.create(name="Midwest accounts", owner=supervisor)
    GoalSetItem.objects.create(
        goal_set=goal_set, competency=first.goals.first().competency, target=Decimal(30),
        text="Resolve 30 disputed invoices of the Midwest accounts by the period's end.",
        unit="invoices")
    plan = bulk_assign.goal_set_apply(actor=supervisor, goal_set=goal_set,
                                      period=first.period, employees=[first.employee])
    assert [(o.kind, o.sheet.pk) for o in plan.outcomes] == [(bulk_assign.EXTEND, second.pk)]
    assert (second.goals.count(), first.goals.count()) == (3, 2)


def test_a_sheet_whose_year_is_closing_is_not_amended(sheet, hr):
    review = open_closing(sheet, hr_user=hr.user)
    with pytest.raises(WorkflowError, match="closing review of version 1 has opened"):
        amend(review.sheet, hr.user)
    assert not GoalSheet.objects.filter(amends=sheet).exists()


def test_closing_opens_on_the_version_in_force_only(sheet, advance, hr):
    first, second = signed_and_amended(sheet, advance)
    # Under way: neither version is closed yet, by HR or by the period's end.
    with pytest.raises(WorkflowError, match="Version 2 of this sheet is under way"):
        closing.closing_open(sheet_id=first.pk, actor=hr.user)
    assert closing.closing_open_for_period(period=first.period) == 0

    advance(second, S.SIGNED)
    with pytest.raises(WorkflowError, match="Version 2 replaced this version"):
        closing.closing_open(sheet_id=first.pk, actor=hr.user)
    assert closing.closing_open_for_period(period=first.period) == 1
    assert ClosingReview.objects.get().sheet_id == second.pk
