"""Demo actuals for `manage.py demo`: weekly progress on every signed sheet of a period, each goal
at its own pace so the dashboards show every status. Entered through the real service, as the
employee; running it again records nothing twice."""

from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from .attainment import expected_share
from .models import Goal
from .services import progress_entry_add

# How fast each goal (by position, cycling) moves against the time elapsed: 1 is on pace.
PACES = (Decimal("1.3"), Decimal("0.95"), Decimal("0.6"), Decimal("0.2"), Decimal("1.1"),
         Decimal("0.8"))
CENT = Decimal("0.01")


def _actual_for(goal: Goal, attained: Decimal) -> Decimal:
    """The actual that gives `attained` under goalsapp.attainment's rules."""
    target, baseline = goal.target, goal.baseline
    if baseline is not None:
        value = baseline + attained * (target - baseline)
    elif goal.direction == Goal.Direction.HIGHER:
        value = attained * target
    else:
        value = (2 - attained) * target
    return max(value, Decimal(0)).quantize(CENT, rounding=ROUND_HALF_UP)


def add_demo_progress(period, today) -> int:
    """Weekly actuals from the period's start up to today; returns how many were new. Goals
    bound to a KPI are left out: the AR ledger gives theirs (goalsapp.ar)."""
    goals = (Goal.objects.in_force().filter(sheet__period=period, kpi="")
             .select_related("sheet__employee__user", "sheet__period").order_by("pk"))
    added = 0
    for goal in goals:
        pace = PACES[(goal.position - 1) % len(PACES)]
        day = min(period.starts_on + timedelta(days=6), today)
        while day <= today and period.contains(day):
            share = expected_share(starts_on=period.starts_on, due_on=goal.due_on, today=day)
            if goal.measure_kind == Goal.MeasureKind.PERCENT:
                # A rate is a level, not a running total: it starts near the target.
                attained = Decimal("0.85") + Decimal("0.15") * pace * share
            else:  # a small head start, so the first week already shows a number
                attained = pace * share + Decimal("0.02")
            outcome = progress_entry_add(goal_id=goal.pk, actor=goal.sheet.employee.user,
                                         as_of=day, actual=_actual_for(goal, attained),
                                         note="Weekly AR system export", today=today)
            added += outcome == "new"
            day += timedelta(days=7)
    return added
