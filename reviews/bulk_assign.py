"""Applying a goal set to many employees at once: a preview of who gets what, then one action
that starts or extends each employee's draft sheet, all-or-nothing per employee.

Every check and write goes through public services: services.require_may_start_sheet and
workflow.require decide who gets goals; services.sheets_start_many starts new sheets in bulk
(history and "start" events as sheet_start); goalsapp.services.goals_append adds the goals (one
insert, with history); services.goal_set_applied records an "apply_goal_set" event on each. All
or nothing per employee: a failure undoes that employee's changes only and is reported with the
others' results.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from goalsapp import services as goals
from goalsapp.models import Employee, Goal, GoalSet, GoalSheet, ReviewPeriod

from . import services
from .workflow import WorkflowError, require

NEW, EXTEND, SKIP, FAILED = "new", "extend", "skip", "failed"
OUTCOME_LABELS = {NEW: "New sheet", EXTEND: "Extend draft", SKIP: "Skipped", FAILED: "Failed"}


@dataclass
class Outcome:
    employee: Employee
    kind: str  # NEW, EXTEND, SKIP or FAILED
    reason: str = ""
    sheet: GoalSheet | None = None
    goals_added: int = 0

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.kind]


@dataclass
class Plan:
    """What applying a set would do (preview) or did (result), one outcome per employee."""

    goal_set: GoalSet
    period: ReviewPeriod
    outcomes: list[Outcome] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.kind == kind]

    @property
    def new(self):
        return self.of_kind(NEW)

    @property
    def extended(self):
        return self.of_kind(EXTEND)

    @property
    def skipped(self):
        return self.of_kind(SKIP)

    @property
    def failed(self):
        return self.of_kind(FAILED)

    @property
    def to_apply(self) -> int:
        return len(self.new) + len(self.extended)

    @property
    def everyone_has_it(self) -> bool:
        """Nobody to apply to because every draft in the audience already holds the set."""
        return (self.to_apply == 0 and bool(self.skipped)
                and any(o.reason == ALREADY_APPLIED for o in self.skipped))


def _rows(goal_set: GoalSet, period: ReviewPeriod) -> list[goals.GoalRow]:
    return [
        goals.GoalRow(goal_id=None, competency=item.competency, text=item.text,
                      measure_kind=item.measure_kind, target=item.target, unit=item.unit,
                      direction=item.direction, baseline=item.baseline,
                      due_on=item.due_in(period), weight=item.weight,
                      template_id=item.template_id, kpi=item.kpi, kpi_scope=item.kpi_scope)
        for item in goal_set.items.select_related("competency")
    ]


def _classify(actor, employee: Employee, sheet: GoalSheet | None,
              period: ReviewPeriod) -> Outcome:
    """What applying would do for one employee, given their sheet in the period (if any)."""
    if sheet is None:
        try:
            services.require_may_start_sheet(actor, employee, period)
        except WorkflowError as error:
            return Outcome(employee, SKIP, str(error))
        return Outcome(employee, NEW)
    # Whether goals may be added is the workflow's decision, worded there (past drafting, or
    # not this person's to edit): the same sentence the editor would give.
    try:
        require(actor, sheet, "edit_goals")
    except WorkflowError as error:
        return Outcome(employee, SKIP, str(error), sheet)
    return Outcome(employee, EXTEND, sheet=sheet)


def _sheets_by_employee(employees: list[Employee], period: ReviewPeriod) -> dict:
    # An amended sheet's newest version: a goal set extends an amendment in draft, never the
    # signed version it amends.
    sheets = GoalSheet.objects.newest_versions().filter(
        employee__in=employees, period=period).select_related("employee__supervisor", "period")
    return {sheet.employee_id: sheet for sheet in sheets}


def goal_set_preview(*, actor, goal_set: GoalSet, period: ReviewPeriod,
                     employees) -> Plan:
    """Who would get a new sheet, whose draft would be extended, and who is skipped and why."""
    employees = list(employees)
    sheets = _sheets_by_employee(employees, period)
    plan = Plan(goal_set, period)
    for employee in employees:
        plan.outcomes.append(_classify(actor, employee, sheets.get(employee.pk), period))
    _rows_by_sheet(plan.outcomes, _rows(goal_set, period))
    return plan


ALREADY_APPLIED = "The draft already holds every goal of this set."


def _rows_by_sheet(outcomes: list[Outcome], rows) -> dict[int, list]:
    """The rows each draft to extend still lacks (by goal text), so applying a set twice, or
    a refreshed page posting again, adds nothing twice; a draft that lacks none is skipped."""
    drafts = [o.sheet.pk for o in outcomes if o.kind == EXTEND]
    held: dict[int, set[str]] = {pk: set() for pk in drafts}
    for sheet_id, text in Goal.objects.filter(sheet_id__in=drafts).values_list("sheet_id",
                                                                               "text"):
        held[sheet_id].add(text.strip())
    missing = {}
    for outcome in outcomes:
        if outcome.kind != EXTEND:
            continue
        missing[outcome.sheet.pk] = [r for r in rows if r.text.strip() not in
                                     held[outcome.sheet.pk]]
        if not missing[outcome.sheet.pk]:
            outcome.kind, outcome.reason = SKIP, ALREADY_APPLIED
    return missing


CHUNK = 100  # employees written together when nothing fails


def goal_set_apply(*, actor, goal_set: GoalSet, period: ReviewPeriod, employees) -> Plan:
    """Starts or extends each employee's draft sheet with the set's goals. Skips (and lists)
    those whose sheet is past drafting or who may not be started by `actor`.

    All or nothing per employee, and fast: employees are written CHUNK at a time in bulk inside
    one savepoint; if anything in a chunk fails, the chunk is rolled back and replayed one
    savepoint per employee, so only the employee at fault fails and is reported."""
    if not period.is_open:
        raise WorkflowError(f"The period {period} is closed.")
    rows = _rows(goal_set, period)
    if not rows:
        raise WorkflowError(f"The goal set “{goal_set.name}” has no goals to apply.")
    employees = list(employees)
    sheets = _sheets_by_employee(employees, period)
    plan = Plan(goal_set, period)
    for first in range(0, len(employees), CHUNK):
        chunk = employees[first:first + CHUNK]
        try:
            with transaction.atomic():
                outcomes = _apply(actor, chunk, sheets, period, rows, goal_set.name)
        except (WorkflowError, DatabaseError, ValidationError):
            outcomes = [_apply_alone(actor, employee, sheets, period, rows, goal_set.name)
                        for employee in chunk]
        plan.outcomes += outcomes
    return plan


def _apply_alone(actor, employee, sheets, period, rows, set_name) -> Outcome:
    try:
        with transaction.atomic():  # a savepoint per employee: all or nothing for each
            return _apply(actor, [employee], sheets, period, rows, set_name)[0]
    except (WorkflowError, DatabaseError, ValidationError) as error:
        return Outcome(employee, FAILED, _reason(error))


def _reason(error: Exception) -> str:
    if isinstance(error, WorkflowError):
        return str(error)
    return f"Nothing was changed for this employee: the database refused the change ({error})."


def _apply(actor, employees, sheets, period, rows, set_name) -> list[Outcome]:
    """Applies the rows to `employees` in bulk; the caller holds the savepoint."""
    outcomes = []
    for employee in employees:
        sheet = sheets.get(employee.pk)
        if sheet is not None:  # re-read under a row lock: the preview may be out of date
            sheet = services.lock_sheet(sheet.pk)
        outcomes.append(_classify(actor, employee, sheet, period))
    starting = [o for o in outcomes if o.kind == NEW]
    if starting:
        # The unique constraint stops a sheet started meanwhile; the chunk is then replayed
        # employee by employee.
        created = services.sheets_start_many(actor=actor, employees=[o.employee for o in starting],
                                             period=period)
        for outcome, sheet in zip(starting, created, strict=True):
            outcome.sheet = sheet
    missing = _rows_by_sheet(outcomes, rows)
    applying = [o for o in outcomes if o.kind in (NEW, EXTEND)]
    additions = [(o.sheet, missing.get(o.sheet.pk, rows)) for o in applying]
    goals.goals_append(additions, actor)
    for outcome, (_, added) in zip(applying, additions, strict=True):
        outcome.goals_added = len(added)
    services.goal_set_applied(
        actor=actor, set_name=set_name,
        added=[(o.sheet, o.goals_added) for o in applying],
        extended={o.sheet.pk for o in applying if o.kind == EXTEND})
    return outcomes
