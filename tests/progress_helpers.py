"""Signed sheets with actuals, made quickly for progress and dashboard tests.

`signed_sheet` skips the workflow (tests that need real signatures use workflow_helpers.advance);
`record` goes through the real progress service."""

import datetime
from decimal import Decimal

from django.utils import timezone

from goalsapp import services
from goalsapp.models import GoalSheet, SheetState
from tests.factories import GoalFactory, GoalSheetFactory


def signed_sheet(employee, period, *, goals=2, measure_kind="count") -> GoalSheet:
    """A sheet with `goals` goals (target 100 accounts, no baseline, due at the period's end),
    marked signed and locked as HR's signature would leave it."""
    sheet = GoalSheetFactory(employee=employee, period=period)
    for position in range(1, goals + 1):
        GoalFactory(sheet=sheet, position=position, target=Decimal(100), baseline=None,
                    direction="higher", measure_kind=measure_kind, unit="accounts",
                    due_on=period.ends_on)
    GoalSheet.objects.filter(pk=sheet.pk).update(state=SheetState.SIGNED,
                                                 locked_at=timezone.now())
    sheet.refresh_from_db()
    return sheet


def record(goal, actual, as_of=datetime.date(2027, 6, 30), *, actor=None,
           today=datetime.date(2027, 7, 2)) -> str:
    return services.progress_entry_add(goal_id=goal.pk, actor=actor or goal.sheet.employee.user,
                                       as_of=as_of, actual=Decimal(actual), today=today)
