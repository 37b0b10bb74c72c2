"""The data side of amending a signed sheet: the new version's copy of the header, summary and
goals, and, once the new version is signed, the actuals carried over to the goals it kept.

Which version counts is `goalsapp.models.in_force_q`; who may amend and when is the workflow's
(reviews/amendments.py). Nothing here writes the amended version: it stays signed and locked.
"""

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from .models import Goal, GoalSheet, ProgressEntry
from .services import refresh_latest_entries, stored_attainment

# What the new version starts with besides its goals: the paper form's header, the employee's
# section and the summary, so the supervisor edits only what changes.
COPIED_FIELDS = ("employee_name", "employee_number", "title", "work_location", "supervisor_name",
                 "goals_completed_since_last", "employee_comments", "estimated_total_time",
                 "action_plans", "milestones", "additional_comments")
GOAL_FIELDS = ("competency_id", "text", "measure_kind", "target", "unit", "direction",
               "baseline", "due_on", "weight", "position", "template_id", "kpi", "kpi_scope")


def amendment_create(*, amended: GoalSheet, actor, reason: str) -> GoalSheet:
    """A new draft version of `amended` (a signed sheet), with a copy of each of its goals that
    names the goal it was copied from. The caller holds the amended sheet's row lock."""
    now = timezone.now()
    sheet = GoalSheet(employee_id=amended.employee_id, period_id=amended.period_id,
                      edition=amended.edition + 1, amends=amended, amendment_reason=reason,
                      amendment_started_by=actor, amendment_started_at=now,
                      created_at=now, updated_at=now, state_changed_at=now,
                      **{name: getattr(amended, name) for name in COPIED_FIELDS})
    sheet._history_user = actor
    sheet.save()
    bulk_create_with_history(
        [Goal(sheet=sheet, carried_from=goal, **{name: getattr(goal, name) for name in GOAL_FIELDS})
         for goal in amended.goals.order_by("position", "id")],
        Goal, default_user=actor)
    return sheet


def progress_carry_over(sheet: GoalSheet) -> int:
    """Copies the actuals of each goal the signed amendment `sheet` carried over onto its copy,
    graded against the copy's target; returns how many entries were carried. A goal whose
    measure changed kind starts empty: a count's actuals say nothing about a percentage."""
    carried = list(sheet.goals.filter(carried_from__isnull=False)
                   .select_related("carried_from"))
    kept = {goal.carried_from_id: goal for goal in carried
            if goal.measure_kind == goal.carried_from.measure_kind}
    now = timezone.now()
    entries = [
        ProgressEntry(goal=kept[entry.goal_id], as_of=entry.as_of, actual=entry.actual,
                      attained=stored_attainment(kept[entry.goal_id], entry.actual),
                      note=entry.note, entered_by_id=entry.entered_by_id,
                      source=ProgressEntry.Source.CARRIED, created_at=now, updated_at=now)
        for entry in ProgressEntry.objects.filter(goal_id__in=kept).order_by("goal_id", "as_of")]
    ProgressEntry.objects.bulk_create(entries)
    refresh_latest_entries(goal.pk for goal in kept.values())
    return len(entries)


def versions_of(sheet: GoalSheet) -> list[GoalSheet]:
    """Every version of the sheet's employee and period, first to newest."""
    return list(GoalSheet.objects.filter(employee_id=sheet.employee_id, period_id=sheet.period_id)
                .select_related("amendment_started_by").order_by("edition"))
