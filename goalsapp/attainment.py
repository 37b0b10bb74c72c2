"""How far a goal's actual value has come towards its target, and what that says about the goal.

Pure functions over Decimals (no database, no floats); docs/tracking.md states the same rules, and
goalsapp.selectors.dashboards mirrors them in SQL for the dashboards that aggregate many goals.

Attainment (1 = 100 %, more than 1 allowed, below 0 possible when the actual moved away):
- with a baseline: (actual − baseline) / (target − baseline), for either direction: a lower-is-
  better goal has target < baseline, so falling from the baseline towards the target counts up;
- without a baseline, higher is better: actual / target;
- without a baseline, lower is better: (2 × target − actual) / target, the mirror image: each unit
  under the target counts as much as a unit over it would for a higher-is-better goal;
- when the divisor is zero (target = baseline, or target 0 without a baseline): 100 % if the
  actual is at or better than the target, else 0 %.

Status, from the share of the goal's time elapsed (period start → the goal's due date):
- achieved: attainment ≥ 100 %;
- off track: the due date has passed without achieving it, or attainment is more than
  AT_RISK_GAP below the elapsed share;
- at risk: attainment is more than ON_TRACK_GAP (but at most AT_RISK_GAP) below the elapsed share;
- on track: otherwise;
- no data: no actual entered yet.

Grade, when a review period closes (the closing review, docs/closing.md), from the final attainment:
- achieved: attainment ≥ 100 %;
- partly achieved: attainment ≥ PARTLY_ACHIEVED_FROM (50 %) but below 100 %;
- not achieved: below that, or no actual at all.
The supervisor may override a grade with a reason; the computed grade is kept beside it.

Weighted score, when every goal carries a weight (they total 100): Σ weight × attainment / 100,
each attainment held between 0 and 100 % so one beaten target cannot hide a missed one. It is shown
beside the rating; it informs, it never decides.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

ONE = Decimal(1)
ON_TRACK_GAP = Decimal("0.10")  # up to 10 percentage points behind the elapsed share
AT_RISK_GAP = Decimal("0.25")  # up to 25 points behind; further is off track
CENT = Decimal("0.01")
PARTLY_ACHIEVED_FROM = Decimal("0.50")  # half the target or more, short of all of it


class Status(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.ACHIEVED: "Achieved", Status.ON_TRACK: "On track", Status.AT_RISK: "At risk",
    Status.OFF_TRACK: "Off track", Status.NO_DATA: "No data yet",
}
STATUS_RULE = (
    "Expected progress is the share of the time from the period's start to the goal's due date "
    "that has elapsed. Achieved: 100 % or more of the target. On track: no more than 10 points "
    "behind the expected progress. At risk: 10 to 25 points behind. Off track: more than 25 "
    "points behind, or past the due date and not achieved."
)
ATTAINMENT_RULE = (
    "With a baseline: (actual − baseline) ÷ (target − baseline). Without one: actual ÷ target "
    "when higher is better, (2 × target − actual) ÷ target when lower is better. Over 100 % means "
    "the target was beaten."
)


class Grade(StrEnum):
    ACHIEVED = "achieved"
    PARTLY_ACHIEVED = "partly_achieved"
    NOT_ACHIEVED = "not_achieved"

    @property
    def label(self) -> str:
        return GRADE_LABELS[self]


GRADE_LABELS = {Grade.ACHIEVED: "Achieved", Grade.PARTLY_ACHIEVED: "Partly achieved",
                Grade.NOT_ACHIEVED: "Not achieved"}
GRADE_RULE = (
    "Achieved: 100 % or more of the target. Partly achieved: 50 % or more, short of the target. "
    "Not achieved: under 50 %, or no actual recorded."
)
WEIGHTED_SCORE_RULE = (
    "Σ weight × attainment ÷ 100, each attainment counted between 0 % and 100 %; shown only when "
    "the weights total 100. It informs the rating; it does not decide it."
)


def grade(attained: Decimal | None) -> Grade:
    """The closing grade the attainment rule gives (before any override)."""
    if attained is None or attained < PARTLY_ACHIEVED_FROM:
        return Grade.NOT_ACHIEVED
    return Grade.ACHIEVED if attained >= ONE else Grade.PARTLY_ACHIEVED


def weighted_score(weighted: list[tuple[int | None, Decimal | None]]) -> Decimal | None:
    """Σ weight × attainment (held to 0..1) / 100 over (weight, attainment) pairs, as a share
    (1 = 100 %); None unless every goal has a weight and the weights total 100."""
    if not weighted or any(w is None for w, _ in weighted) or sum(w for w, _ in weighted) != 100:
        return None
    total = sum((Decimal(w) * min(max(a or Decimal(0), Decimal(0)), ONE) for w, a in weighted),
                Decimal(0))
    return total / 100


def _meets(actual: Decimal, target: Decimal, higher_is_better: bool) -> bool:
    return actual >= target if higher_is_better else actual <= target


def attainment(*, actual: Decimal | None, target: Decimal, baseline: Decimal | None,
               higher_is_better: bool) -> Decimal | None:
    """The share of the target reached (1 = 100 %), or None without an actual."""
    if actual is None:
        return None
    if baseline is not None:
        span = target - baseline
        if span == 0:
            return ONE if _meets(actual, target, higher_is_better) else Decimal(0)
        return (actual - baseline) / span
    if target == 0:
        return ONE if _meets(actual, target, higher_is_better) else Decimal(0)
    if higher_is_better:
        return actual / target
    return (2 * target - actual) / target


def expected_share(*, starts_on: date, due_on: date, today: date) -> Decimal:
    """How much of the goal's time has elapsed, from 0 to 1."""
    if today >= due_on:
        return ONE
    if today <= starts_on:
        return Decimal(0)
    return Decimal((today - starts_on).days) / Decimal((due_on - starts_on).days)


def status(*, attained: Decimal | None, starts_on: date, due_on: date, today: date) -> Status:
    if attained is None:
        return Status.NO_DATA
    if attained >= ONE:
        return Status.ACHIEVED
    if today > due_on:
        return Status.OFF_TRACK
    gap = expected_share(starts_on=starts_on, due_on=due_on, today=today) - attained
    if gap <= ON_TRACK_GAP:
        return Status.ON_TRACK
    if gap <= AT_RISK_GAP:
        return Status.AT_RISK
    return Status.OFF_TRACK


# Formatting for people -------------------------------------------------------------------------

def money(amount: Decimal | None, currency: str) -> str:
    """1234.5 → "1,234.50 USD" (half-up to the cent)."""
    if amount is None:
        return "—"
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):,.2f} {currency}"


def percent(share: Decimal | None) -> str:
    """0.8666 → "87 %"."""
    if share is None:
        return "—"
    whole = (share * 100).quantize(ONE, rounding=ROUND_HALF_UP)
    return f"{whole:,.0f} %"


def measure_value(value: Decimal | None, *, measure_kind: str, unit: str, currency: str) -> str:
    """An actual or target as people read it: money with its currency, others with their unit."""
    if value is None:
        return "—"
    if measure_kind == "money":
        return money(value, currency)
    shown = f"{value.normalize():,f}"
    unit = unit or ("%" if measure_kind == "percent" else "")
    return f"{shown} {unit}".strip()


@dataclass(frozen=True)
class GoalProgress:
    """One goal's standing: the numbers the dashboards and progress pages show."""

    actual: Decimal | None
    as_of: date | None
    attained: Decimal | None
    status: Status

    @property
    def percent(self) -> str:
        return percent(self.attained)


def goal_progress(goal, *, actual: Decimal | None, as_of: date | None, starts_on: date,
                  today: date) -> GoalProgress:
    attained = attainment(actual=actual, target=goal.target, baseline=goal.baseline,
                          higher_is_better=goal.direction == "higher")
    return GoalProgress(actual, as_of, attained,
                        status(attained=attained, starts_on=starts_on, due_on=goal.due_on,
                               today=today))
