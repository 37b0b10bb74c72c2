"""The SMART assistant: one explainable check per criterion, each returning (passes, reason).

Pure functions of a goal's values; nothing here reads the database (the caller passes the
competencies that suit the employee's title). A hint is a suggestion for the supervisor and HR:
HR's own pass/fail, recorded in reviews.models.SmartCheck, is what counts.

The rules, as docs/architecture.md states them:
- Specific: the goal does not open with a vague verb or adverb (VAGUE_OPENINGS: learn, try,
  always, improve, be, …) unless it states a number, nor with the name of a measure as a KPI
  does (MEASURE_OPENINGS: percentage, number, average, …), and it names what the action acts
  on (at least MIN_WORDS words).
- Measurable: a numeric target, with a unit (percent and money measures carry theirs).
- Achievable: with a baseline, the target moves the right way (or holds) and by at most
  MAX_CHANGE (50%) of the baseline; a percentage stays within 0–100. Without a baseline it
  passes and says there is nothing to compare with.
- Relevant: a competency is set, and it is one of the competencies listed for the employee's
  job title.
- Time-bound: a due date inside the review period.
"""

import re
from datetime import date
from decimal import Decimal
from typing import NamedTuple

CRITERIA = ("specific", "measurable", "achievable", "relevant", "time_bound")

VAGUE_OPENINGS = frozenset({
    "learn", "try", "always", "improve", "be", "understand", "think", "see", "focus", "grow",
    "aim", "make", "put", "show", "strive", "become", "know", "continue", "work", "get",
})
# KPIs (seed 004) open with the measure they name, not an action.
MEASURE_OPENINGS = frozenset({
    "percentage", "number", "average", "reduction", "accuracy", "timeliness", "rate",
    "feedback", "achievement", "increase", "improvement", "participation", "application",
    "adherence", "customer", "audit", "training", "team",
})
MIN_WORDS = 4
MAX_CHANGE = Decimal("0.5")
LEADING_FILLER = re.compile(r"^(?:i will|i shall|we will|to)\s+", re.IGNORECASE)


class Hint(NamedTuple):
    passes: bool
    reason: str


def _number(value: Decimal) -> str:
    return f"{value.normalize():,f}"


def _day(value: date) -> str:
    return f"{value:%b} {value.day}, {value.year}"


def specific(text: str) -> Hint:
    words = re.findall(r"[\w'’$%-]+", LEADING_FILLER.sub("", (text or "").strip()))
    if not words:
        return Hint(False, "There is no goal text yet.")
    opening = words[0].lower()
    if opening in VAGUE_OPENINGS and not re.search(r"\d", text):
        return Hint(False, f"It opens with “{words[0]}”, a vague word: start with the concrete "
                           "action and what it acts on, such as “Resolve 20 disputed invoices”.")
    if opening in MEASURE_OPENINGS:
        return Hint(False, f"It names a measure (“{words[0]} …”), not an action: say what will "
                           "be done, such as “Bring average days outstanding down to 40”.")
    if len(words) < MIN_WORDS:
        return Hint(False, "Say what the action acts on: the goal is too short to be specific.")
    return Hint(True, f"It names a concrete action (“{words[0]}”) and what it acts on.")


def measurable(target: Decimal | None, unit: str, measure_kind: str) -> Hint:
    if target is None:
        return Hint(False, "No numeric target is set: add the number that says when the goal "
                           "is met.")
    if not (unit or "").strip() and measure_kind not in ("percent", "money"):
        return Hint(False, "The target has no unit: say what is counted (calls, accounts, "
                           "days…).")
    unit = (unit or "").strip() or {"percent": "%", "money": "in money"}[measure_kind]
    return Hint(True, f"It has a numeric target: {_number(target)} {unit}.")


def achievable(target: Decimal | None, baseline: Decimal | None, direction: str,
               measure_kind: str = "count") -> Hint:
    if target is None:
        return Hint(False, "Without a target there is nothing to judge as achievable.")
    if measure_kind == "percent" and not Decimal(0) <= target <= Decimal(100):
        return Hint(False, f"A percentage target of {_number(target)} cannot be reached: keep it "
                           "between 0 and 100.")
    if baseline is None:
        return Hint(True, "No baseline is given, so there is nothing to compare the target with.")
    lower_is_better = direction == "lower"
    if (target > baseline and lower_is_better) or (target < baseline and not lower_is_better):
        better = "lower" if lower_is_better else "higher"
        return Hint(False, f"The target ({_number(target)}) is worse than the baseline "
                           f"({_number(baseline)}) although {better} is better.")
    if baseline == 0:
        return Hint(True, "The baseline is 0, so the change cannot be sized against it.")
    change = abs(target - baseline) / abs(baseline)
    shown = f"{(change * 100).quantize(Decimal(1))}%"
    journey = f"{_number(baseline)} → {_number(target)}"
    if change > MAX_CHANGE:
        return Hint(False, f"The target asks for a {shown} change from the baseline ({journey}); "
                           f"more than {MAX_CHANGE:.0%} in one period is rarely achievable.")
    return Hint(True, f"The target is a {shown} change from the baseline ({journey}), within "
                      f"{MAX_CHANGE:.0%}.")


def relevant(competency: str | None, title: str, suited: frozenset[str] | set[str] | None) -> Hint:
    """`suited`: the competencies listed for the title; None when the title is not known."""
    if not competency:
        return Hint(False, "No competency is set: choose the one this goal belongs to.")
    if not (title or "").strip():
        return Hint(False, "The employee has no job title, so relevance cannot be judged.")
    if suited is None:
        return Hint(False, f"“{title}” is not a known job title, so the competencies that suit "
                           "it are unknown.")
    if not suited:
        return Hint(False, f"No competencies are listed for “{title}” yet; an admin can list "
                           "them under Job titles.")
    if competency not in suited:
        return Hint(False, f"“{competency}” is not among the competencies listed for "
                           f"“{title}”.")
    return Hint(True, f"“{competency}” is a competency of “{title}”.")


def time_bound(due_on: date | None, starts_on: date, ends_on: date) -> Hint:
    if due_on is None:
        return Hint(False, "No due date is set.")
    if not starts_on <= due_on <= ends_on:
        return Hint(False, f"The due date {_day(due_on)} falls outside the review period "
                           f"({_day(starts_on)} – {_day(ends_on)}).")
    return Hint(True, f"Due {_day(due_on)}, inside the review period.")


def check(*, text: str, target, unit: str, measure_kind: str, baseline, direction: str,
          competency: str | None, title: str, suited, due_on, starts_on, ends_on
          ) -> dict[str, Hint]:
    """All five hints, keyed by criterion in SMART order."""
    return {
        "specific": specific(text),
        "measurable": measurable(target, unit, measure_kind),
        "achievable": achievable(target, baseline, direction, measure_kind),
        "relevant": relevant(competency, title, suited),
        "time_bound": time_bound(due_on, starts_on, ends_on),
    }
