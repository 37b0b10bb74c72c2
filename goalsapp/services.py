"""Writes to goals and sheets. Callers (reviews.services) decide whether the workflow allows them;
these functions only keep the data consistent."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from .models import Competency, Employee, Goal, GoalSheet, ReviewPeriod

SUMMARY_FIELDS = ("estimated_total_time", "action_plans", "milestones", "additional_comments")
DRAFT_SHEET_FIELDS = ("goals_completed_since_last", *SUMMARY_FIELDS)


@dataclass
class GoalRow:
    """One row of the goal editor, already validated by its form; `goal_id` None means new."""

    goal_id: int | None
    competency: Competency
    text: str
    measure_kind: str
    target: Decimal
    unit: str
    direction: str
    baseline: Decimal | None
    due_on: date
    weight: int | None
    delete: bool = False


def sheet_create(*, employee: Employee, period: ReviewPeriod, actor=None) -> GoalSheet:
    sheet = GoalSheet(employee=employee, period=period)
    sheet.copy_header_from_employee()
    sheet._history_user = actor
    sheet.save()
    return sheet


def sheet_update_fields(sheet: GoalSheet, values: dict, allowed: tuple[str, ...]) -> list[str]:
    """Copies the allowed fields from `values`; returns the names that changed."""
    changed = []
    for name in allowed:
        if name in values and getattr(sheet, name) != values[name]:
            setattr(sheet, name, values[name])
            changed.append(name)
    return changed


def goals_save(sheet: GoalSheet, rows: list[GoalRow], actor) -> bool:
    """Creates, updates, deletes and reorders the sheet's goals to match `rows` (in order), as
    `actor` (recorded in the goals' history). Returns whether anything changed."""
    existing = {goal.pk: goal for goal in sheet.goals.all()}
    changed = False
    position = 0
    for row in rows:
        goal = existing.get(row.goal_id) if row.goal_id else None
        if row.delete:
            if goal is not None:
                goal._history_user = actor
                goal.delete()
                changed = True
            continue
        position += 1
        values = {
            "competency": row.competency, "text": row.text.strip(),
            "measure_kind": row.measure_kind, "target": row.target, "unit": row.unit.strip(),
            "direction": row.direction, "baseline": row.baseline, "due_on": row.due_on,
            "weight": row.weight, "position": position,
        }
        if goal is None:
            goal = Goal(sheet=sheet, **values)
            goal._history_user = actor
            goal.save()
            changed = True
        elif any(getattr(goal, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(goal, name, value)
            goal._history_user = actor
            goal.save()
            changed = True
    return changed


def sheet_touch(sheet: GoalSheet, update_fields: list[str], actor) -> None:
    """Saves the named fields as `actor`, bumping the version every concurrent writer compares
    against."""
    sheet._history_user = actor  # django-simple-history records who, request or not
    sheet.version += 1
    sheet.updated_at = timezone.now()
    sheet.save(update_fields=[*update_fields, "version", "updated_at"])
