"""Continuity from one period to the next (docs/closing.md): a new sheet starts with "goals
completed since last performance feedback" written from the achieved goals of the employee's
last closing review, and the supervisor may carry its unfinished goals forward as new drafts."""

from decimal import Decimal

from goalsapp.attainment import GRADE_LABELS, Grade, measure_value
from goalsapp.models import GoalSheet
from goalsapp.services import GoalRow

from .closing_models import ClosingReview, GoalResult


def previous_review(sheet: GoalSheet) -> ClosingReview | None:
    """The employee's latest closing review from a period before this sheet's (closed, or at
    least open: its results are fixed when it opens)."""
    return (ClosingReview.objects
            .filter(sheet__employee_id=sheet.employee_id,
                    sheet__period__starts_on__lt=sheet.period.starts_on)
            .select_related("sheet__period").order_by("-sheet__period__starts_on").first())


def _results(review: ClosingReview) -> list[GoalResult]:
    return list(review.results.select_related("goal__competency").order_by(
        "goal__position", "goal_id"))


def completed_since_last(review: ClosingReview) -> str:
    """The achieved goals of `review`, one line each, as the paper form's section asks."""
    lines = []
    for result in _results(review):
        if result.grade != Grade.ACHIEVED:
            continue
        goal = result.goal
        actual = measure_value(result.final_actual, measure_kind=goal.measure_kind,
                               unit=goal.unit, currency=review.sheet.period.currency)
        lines.append(f"- {goal.text} (final: {actual})")
    if not lines:
        return ""
    return f"Achieved in {review.sheet.period.name}:\n" + "\n".join(lines)


def carry_forward_candidates(sheet: GoalSheet) -> list[GoalResult]:
    """The unfinished goals (partly or not achieved) of the last closing review that this
    sheet does not hold yet (by their text)."""
    review = previous_review(sheet)
    if review is None:
        return []
    held = set(sheet.goals.values_list("text", flat=True))
    return [result for result in _results(review)
            if result.grade != Grade.ACHIEVED and result.goal.text not in held]


def carried_row(result: GoalResult, sheet: GoalSheet) -> GoalRow:
    """A new draft goal from an unfinished one: the same goal and target, measured from where
    it ended (its final actual becomes the baseline), due at the new period's end, without a
    weight (the new sheet's weights are the supervisor's to set)."""
    goal = result.goal
    baseline = result.final_actual if result.final_actual is not None else goal.baseline
    if baseline is not None and baseline == goal.target:
        baseline = None  # a baseline at the target measures nothing
    return GoalRow(goal_id=None, competency=goal.competency, text=goal.text,
                   measure_kind=goal.measure_kind, target=goal.target, unit=goal.unit,
                   direction=goal.direction,
                   baseline=Decimal(baseline) if baseline is not None else None,
                   due_on=sheet.period.ends_on, weight=None, template_id=goal.template_id)


def grade_label(result: GoalResult) -> str:
    return GRADE_LABELS[Grade(result.grade)]
