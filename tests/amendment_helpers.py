"""Amended sheets for tests of every level: Emma's signed sheet and its next version, through the
real services (reviews.amendments.sheet_amend, workflow_helpers.advance)."""

from goalsapp.models import GoalSheet, SheetState
from reviews.amendments import sheet_amend

REASON = "Territory reassigned: the Midwest accounts moved to Emma in July."


def amend(sheet: GoalSheet, actor, reason: str = REASON) -> GoalSheet:
    """The next version of `sheet`, started by `actor` (its supervisor or HR)."""
    return sheet_amend(sheet_id=sheet.pk, actor=actor, reason=reason)


def signed_and_amended(sheet: GoalSheet, advance, actor=None) -> tuple[GoalSheet, GoalSheet]:
    """Emma's sheet signed, and version 2 of it started by her supervisor (or `actor`)."""
    first = advance(sheet, SheetState.SIGNED)
    second = amend(first, actor or first.employee.supervisor.user)
    return first, second


# The amendment's URLs: their persona matrix is tests/reviews/test_amendment_permissions.py.
AMENDMENT_URLS = ("sheet_amend",)
