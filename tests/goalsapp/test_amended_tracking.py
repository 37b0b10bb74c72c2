"""Tracking follows the version in force (goalsapp.models.in_force_q): an amended sheet counts
once, the version under way waits until HR signs it, and then the goals it kept keep their
actuals (goalsapp.amendments.progress_carry_over) while new goals start empty."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from goalsapp import services as goal_services
from goalsapp.dashboards import people_figures, person_board
from goalsapp.models import Goal, GoalSheet, ProgressEntry, SheetState
from reviews import services
from tests.amendment_helpers import amend
from tests.page_helpers import alerts, login
from tests.progress_helpers import record

pytestmark = pytest.mark.django_db
S = SheetState
TODAY = datetime.date(2027, 7, 2)


def edit_goals(sheet, *, first_target=None, add=None, drop_last=False):
    """Version 2's editor, as the supervisor: a new target on the first goal, a goal removed,
    a goal added."""
    rows = [services.goals.GoalRow.of(g) for g in sheet.goals.order_by("position")]
    if first_target is not None:
        rows[0].target = Decimal(first_target)
    if drop_last:
        rows[-1].delete = True
    if add:
        rows.append(services.goals.GoalRow(goal_id=None, **add))
    sheet = GoalSheet.objects.get(pk=sheet.pk)
    services.sheet_save_draft(sheet_id=sheet.pk, actor=sheet.employee.supervisor.user,
                              version=sheet.version, sheet_values={}, rows=rows, replies={})


@pytest.fixture
def tracked(sheet, advance):
    """Emma's signed sheet with an actual on each goal, and version 2 under way."""
    first = advance(sheet, S.SIGNED)
    dso, collected = first.goals.order_by("position")
    record(dso, "48", datetime.date(2027, 3, 31), today=TODAY)
    record(dso, "46", datetime.date(2027, 6, 30), today=TODAY)
    record(collected, "120000", datetime.date(2027, 6, 30), today=TODAY)
    return first, amend(first, first.employee.supervisor.user)


def test_while_version_2_is_under_way_version_1_is_tracked(tracked, period):
    first, second = tracked
    board = person_board(first.employee, period, TODAY)
    assert board.sheet == first
    [emma] = people_figures(period, TODAY)
    assert (emma.goals, emma.with_data) == (2, 2)
    # And actuals still go to version 1.
    dso = first.goals.order_by("position").first()
    assert record(dso, "45", datetime.date(2027, 7, 1), today=TODAY) == "new"


def test_once_signed_version_2_is_tracked_and_keeps_the_actuals(tracked, period, advance):
    first, second = tracked
    competency = second.goals.first().competency
    edit_goals(second, first_target="44", drop_last=True, add=dict(
        competency=competency, text="Resolve 30 disputed invoices by November 30, 2027.",
        measure_kind="count", target=Decimal(30), unit="invoices", direction="higher",
        baseline=None, due_on=datetime.date(2027, 11, 30), weight=None))
    second = advance(second, S.SIGNED)

    board = person_board(first.employee, period, TODAY)
    assert board.sheet == second
    dso, disputes = [line for line in board.lines]
    assert dso.goal.carried_from.sheet_id == first.pk
    assert [(e.as_of, e.actual, e.source) for e in dso.entries] == [
        (datetime.date(2027, 3, 31), Decimal("48.00"), ProgressEntry.Source.CARRIED),
        (datetime.date(2027, 6, 30), Decimal("46.00"), ProgressEntry.Source.CARRIED)]
    # Graded against version 2's target (44 from a baseline of 52), not version 1's 45.
    assert dso.progress.attained == goal_services.stored_attainment(dso.goal, Decimal("46"))
    assert dso.progress.attained != goal_services.stored_attainment(
        dso.goal.carried_from, Decimal("46"))
    assert disputes.entries == [] and disputes.goal.carried_from is None
    # The dashboards count Emma once: version 2's two goals, one with data.
    [emma] = people_figures(period, TODAY)
    assert (emma.goals, emma.with_data) == (2, 1)
    # Version 1's own entries stay where they were.
    assert ProgressEntry.objects.filter(goal__sheet=first).count() == 3


def test_a_goal_whose_measure_changed_kind_starts_empty(tracked, advance, period):
    first, second = tracked
    goal = second.goals.order_by("position").first()
    rows = [services.goals.GoalRow.of(g) for g in second.goals.order_by("position")]
    rows[0].measure_kind, rows[0].unit, rows[0].target, rows[0].baseline = (
        "percent", "%", Decimal(90), None)
    second = GoalSheet.objects.get(pk=second.pk)
    services.sheet_save_draft(sheet_id=second.pk, actor=second.employee.supervisor.user,
                              version=second.version, sheet_values={}, rows=rows, replies={})
    advance(second, S.SIGNED)
    assert not ProgressEntry.objects.filter(goal=goal).exists()
    assert ProgressEntry.objects.filter(goal__sheet=second).count() == 1


def test_a_replaced_version_takes_no_more_actuals(tracked, advance, client, employee):
    first, second = tracked
    advance(second, S.SIGNED)
    dso = first.goals.order_by("position").first()
    with pytest.raises(goal_services.ProgressRefused, match="An amendment replaced this version"):
        record(dso, "44", datetime.date(2027, 7, 1), today=TODAY)

    login(client, employee)
    response = client.get(reverse("sheet_progress", args=[first.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("sheet_detail", args=[first.pk])
    assert "An amendment replaced this version" in alerts(response)
    assert client.get(reverse("sheet_progress", args=[second.pk])).status_code == 200


def test_the_csv_load_records_on_the_version_in_force(tracked, advance, hr):
    first, second = tracked
    second = advance(second, S.SIGNED)
    csv = ("employee_number,period,goal,as_of,actual\n"
           f"{first.employee_number},{first.period.name},1,2027-07-01,44\n").encode()
    upload, preview = goal_services.progress_import_upload(actor=hr.user, file_name="a.csv",
                                                           raw=csv, today=TODAY)
    assert [row.goal.sheet_id for row in preview.valid] == [second.pk]
    assert Goal.objects.filter(sheet=first).count() == 2
