"""Writes to goals and sheets. Callers (reviews.services) decide whether the workflow allows them;
these functions only keep the data consistent."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from .models import Competency, Employee, Goal, GoalSet, GoalSetItem, GoalSheet, ReviewPeriod

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
    template_id: int | None = None  # the library entry the row was picked from


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
            "weight": row.weight, "position": position, "template_id": row.template_id,
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


def sheets_create_many(*, employees: list[Employee], period: ReviewPeriod, actor
                       ) -> list[GoalSheet]:
    """sheet_create for many employees at once: one insert, with history records."""
    sheets = []
    for employee in employees:
        sheet = GoalSheet(employee=employee, period=period)
        sheet.copy_header_from_employee()
        sheets.append(sheet)
    return bulk_create_with_history(sheets, GoalSheet, default_user=actor)


def goals_append(additions: list[tuple[GoalSheet, list[GoalRow]]], actor) -> list[Goal]:
    """Adds each sheet's rows after the goals it already has, for many sheets in one insert,
    with their history records, as `actor`: the bulk path of goal sets, where goals_save's
    row-by-row saves would be slow."""
    sheet_ids = [sheet.pk for sheet, _ in additions]
    last = dict(Goal.objects.filter(sheet_id__in=sheet_ids).values("sheet_id")
                .annotate(last=Max("position")).values_list("sheet_id", "last"))
    goals = [
        Goal(sheet=sheet, competency=row.competency, text=row.text.strip(),
             measure_kind=row.measure_kind, target=row.target, unit=row.unit.strip(),
             direction=row.direction, baseline=row.baseline, due_on=row.due_on,
             weight=row.weight, position=last.get(sheet.pk, 0) + number,
             template_id=row.template_id)
        for sheet, rows in additions
        for number, row in enumerate(rows, start=1)
    ]
    return bulk_create_with_history(goals, Goal, default_user=actor)


def goal_set_save(*, actor, goal_set: GoalSet, items: list[GoalSetItem],
                  removed: list[GoalSetItem]) -> GoalSet:
    """Saves a goal set and its goals in the order given; a new set belongs to `actor`."""
    with transaction.atomic():
        if goal_set.pk is None:
            goal_set.owner = actor
        goal_set.updated_at = timezone.now()
        goal_set.save()
        for item in removed:
            if item.pk is not None:
                item.delete()
        for position, item in enumerate(items, start=1):
            item.goal_set = goal_set
            item.position = position
            item.save()
    return goal_set
