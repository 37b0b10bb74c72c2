"""Continuity: next period's sheet starts from the closed one — "goals completed since last
performance feedback" written from its achieved goals, and its unfinished goals offered to carry
forward as new drafts."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from goalsapp import services as goals
from goalsapp.models import SheetState
from reviews import services
from reviews.closing_states import ClosingState
from reviews.models import ReviewEvent
from reviews.workflow import WorkflowError
from tests.closing_helpers import advance_closing, open_closing
from tests.factories import ReviewPeriodFactory
from tests.page_helpers import alerts, by_testid, login

DSO = "Reduce DSO on the assigned portfolio from 52 to 45 days by June 30, 2027."
CASH = "Collect $250,000 of balances over 90 days past due by December 15, 2027."


@pytest.fixture
def next_period(db):
    return ReviewPeriodFactory(
        name="2028", starts_on=datetime.date(2028, 1, 1), ends_on=datetime.date(2028, 12, 31),
        goals_due=datetime.date(2028, 1, 31), answers_due=datetime.date(2028, 2, 14),
        signatures_due=datetime.date(2028, 2, 28), hr_review_due=datetime.date(2028, 3, 15))


@pytest.fixture
def closed_year(sheet, advance, hr, supervisor):
    """2027 closed: the DSO goal achieved (45 days), the cash goal half done ($125,000)."""
    advance(sheet, SheetState.SIGNED, hr_user=hr.user)
    dso, cash = sheet.goals.order_by("position")
    for goal, actual in ((dso, "45"), (cash, "125000")):
        goals.progress_entry_add(goal_id=goal.pk, actor=supervisor.user,
                                 as_of=datetime.date(2027, 12, 1), actual=Decimal(actual),
                                 today=datetime.date(2027, 12, 2))
    return advance_closing(open_closing(sheet, hr_user=hr.user), ClosingState.CLOSED,
                           hr_user=hr.user)


def test_starting_next_period_writes_the_achieved_goals(closed_year, employee, supervisor,
                                                        next_period):
    sheet = services.sheet_start(actor=supervisor.user, employee=employee, period=next_period)
    assert sheet.goals_completed_since_last.startswith("Achieved in 2027")
    assert DSO in sheet.goals_completed_since_last
    assert CASH not in sheet.goals_completed_since_last


def test_without_a_closing_review_the_section_starts_empty(sheet, employee, supervisor,
                                                           next_period):
    started = services.sheet_start(actor=supervisor.user, employee=employee,
                                   period=next_period)
    assert started.goals_completed_since_last == ""


def test_the_supervisor_carries_an_unfinished_goal_forward(client, closed_year, employee,
                                                           supervisor, next_period):
    sheet = services.sheet_start(actor=supervisor.user, employee=employee, period=next_period)
    login(client, supervisor)
    editor = client.get(reverse("sheet_edit", args=[sheet.pk]))
    offered = by_testid(editor, "carry-forward")
    assert CASH in offered and DSO not in offered
    cash_goal = closed_year.results.get(goal__text=CASH).goal_id
    response = client.post(reverse("sheet_carry_forward", args=[sheet.pk]),
                           {"goals": [cash_goal], "version": sheet.version}, follow=True)
    assert "1 goal carried forward" in alerts(response)
    [carried] = sheet.goals.all()
    assert carried.text == CASH and carried.baseline == Decimal("125000")
    assert carried.due_on == next_period.ends_on
    assert ReviewEvent.objects.filter(sheet=sheet, action="carry_forward").exists()
    # Once carried, it is no longer offered.
    assert "carry-forward" not in client.get(reverse("sheet_edit", args=[sheet.pk])
                                             ).content.decode()


def test_carrying_nothing_or_by_someone_else_is_refused(closed_year, employee, supervisor,
                                                        next_period, hr):
    sheet = services.sheet_start(actor=supervisor.user, employee=employee, period=next_period)
    with pytest.raises(WorkflowError, match="Tick at least one"):
        services.sheet_carry_forward(sheet_id=sheet.pk, actor=supervisor.user,
                                     version=sheet.version, goal_ids=[])
    with pytest.raises(WorkflowError):
        services.sheet_carry_forward(sheet_id=sheet.pk, actor=employee.user,
                                     version=sheet.version, goal_ids=[1])
