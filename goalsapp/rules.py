"""The rules a goal and a sheet's set of goals must satisfy: one place, read by the editor's
forms (a message next to the field) and by the send guard (a message on the sheet)."""

from goalsapp.kpis import BY_CODE, SCOPE_CHOICES
from goalsapp.models import GOAL_TEXT_MAX, Goal, ReviewPeriod

# What a goal without one of its required parts is told, field by field.
MISSING = {
    "text": "Write the goal.",
    "competency": "Choose the competency this goal belongs to.",
    "target": "Enter a numeric target.",
    "due_on": "Enter a due date.",
}


# Measures that count things or money: a negative target, baseline or actual means nothing.
# A percent may be a change (-5 % write-offs), so it may be negative.
NEGATIVE_IMPOSSIBLE = {Goal.MeasureKind.COUNT, Goal.MeasureKind.MONEY}


def negative_value_error(measure_kind, value) -> str | None:
    """Why this value cannot stand for this measure, or None."""
    if value is not None and value < 0 and measure_kind in NEGATIVE_IMPOSSIBLE:
        return f"A {Goal.MeasureKind(measure_kind).label.lower()} cannot be negative."
    return None


def kpi_binding_errors(*, kpi: str, kpi_scope: str, measure_kind, direction) -> dict[str, str]:
    """A goal bound to a KPI is measured the way the KPI is (its actuals are the KPI's figures):
    the same kind of measure and direction, and a scope saying whose ledger it reads."""
    if not kpi:
        return {}
    if kpi not in BY_CODE:
        return {"kpi": "Choose a KPI from the list."}
    definition = BY_CODE[kpi]
    errors = {}
    if kpi_scope not in dict(SCOPE_CHOICES):
        errors["kpi_scope"] = "Say whose accounts the KPI is measured on."
    if measure_kind != definition.kind:
        errors["measure_kind"] = (f"{definition.name} is measured as "
                                  f"{Goal.MeasureKind(definition.kind).label.lower()}: choose "
                                  f"that measure, or another KPI.")
    if direction != definition.direction:
        errors["direction"] = (f"For {definition.name}, "
                               f"{Goal.Direction(definition.direction).label.lower()}.")
    return errors


def goal_field_errors(*, text: str, target, due_on, period: ReviewPeriod,
                      competency_id, measure_kind=None, baseline=None, kpi="", kpi_scope="",
                      direction=None) -> dict[str, str]:
    errors: dict[str, str] = kpi_binding_errors(kpi=kpi, kpi_scope=kpi_scope,
                                                measure_kind=measure_kind, direction=direction)
    if not (text or "").strip():
        errors["text"] = MISSING["text"]
    elif len(text) > GOAL_TEXT_MAX:
        errors["text"] = f"Keep the goal under {GOAL_TEXT_MAX:,} characters (it has {len(text):,})."
    if competency_id is None:
        errors["competency"] = MISSING["competency"]
    if target is None:
        errors["target"] = MISSING["target"]
    elif message := negative_value_error(measure_kind, target):
        errors["target"] = message
    if message := negative_value_error(measure_kind, baseline):
        errors["baseline"] = message
    if due_on is None:
        errors["due_on"] = MISSING["due_on"]
    elif not period.contains(due_on):
        errors["due_on"] = (
            f"The due date must fall inside the review period "
            f"({period.starts_on:%b %d, %Y} – {period.ends_on:%b %d, %Y})."
        )
    return errors


def weights_error(weights: list[int | None]) -> str | None:
    """Weights are optional, but where any goal has one, every goal has one and they total 100."""
    used = [w for w in weights if w is not None]
    if not used:
        return None
    if len(used) != len(weights):
        return "Give every goal a weight, or none of them."
    if sum(used) != 100:
        return f"Goal weights must total 100; they total {sum(used)}."
    return None


def sheet_goal_problems(goals: list[Goal], period: ReviewPeriod) -> list[str]:
    """Everything that keeps a sheet's goals from being sent, as sentences for the supervisor."""
    if not goals:
        return ["Add at least one goal before sending the sheet."]
    problems = []
    for number, goal in enumerate(goals, start=1):
        errors = goal_field_errors(text=goal.text, target=goal.target, due_on=goal.due_on,
                                   period=period, competency_id=goal.competency_id,
                                   measure_kind=goal.measure_kind, baseline=goal.baseline,
                                   kpi=goal.kpi, kpi_scope=goal.kpi_scope,
                                   direction=goal.direction)
        problems += [f"Goal {number}: {message}" for message in errors.values()]
    weights = weights_error([goal.weight for goal in goals])
    if weights:
        problems.append(weights)
    return problems
