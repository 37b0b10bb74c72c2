"""Suggests a measure (kind, unit, direction) for a goal or KPI text, by keyword rules.

Pure and explainable: the first rule whose pattern appears in the lower-cased text wins, and the
suggestion carries the words that matched. A text that implies no measure gets none.
"""

import re
from dataclasses import dataclass

COUNT, MONEY, PERCENT = "count", "money", "percent"
HIGHER, LOWER = "higher", "lower"


@dataclass(frozen=True)
class MeasureSuggestion:
    kind: str
    unit: str
    direction: str
    because: str  # the words in the text that implied it


# (pattern, kind, unit, direction). Order matters: "days outstanding" before "percentage",
# "reduction" sets the direction for whatever it reduces.
RULES: tuple[tuple[str, str, str, str], ...] = (
    (r"days outstanding|days in arrears|\bdso\b|cycle time", COUNT, "days", LOWER),
    (r"processing time", COUNT, "minutes", LOWER),
    (r"\brating\b", COUNT, "points out of 5", HIGHER),
    (r"percentage|\bpercent\b|%|\brates?\b|accuracy|timeliness|adherence", PERCENT, "%", HIGHER),
    (r"\bdefaults\b|errors|discrepancies", COUNT, "per month", LOWER),
    (r"revenue|cost savings|\bvolume\b|\$|dollar|funds", MONEY, "USD", HIGHER),
    (r"per day|daily call", COUNT, "per day", HIGHER),
    (r"number of accounts|accounts meeting", COUNT, "accounts", HIGHER),
    (r"number of ([\w ]+?)(?= (?:from|for|in|per|resolved|meeting)\b|$)", COUNT, "", HIGHER),
    (r"training sessions|surveys", COUNT, "per year", HIGHER),
    (r"^increase\b|^improvement in", PERCENT, "%", HIGHER),  # a KPI naming a rise
)
LOWER_IS_BETTER = r"\breduc\w*|\bdecreas\w*|\bdefaults?\b|errors|delinquen\w*|bad debt"


def suggest_measure(text: str) -> MeasureSuggestion | None:
    """The measure `text` implies, or None when it implies none."""
    lowered = (text or "").lower()
    for pattern, kind, unit, direction in RULES:
        match = re.search(pattern, lowered)
        if not match:
            continue
        if pattern.startswith("number of ("):
            unit = match[1].split()[-1]  # "successful negotiated payment plans" → "plans"
        lowered_match = re.search(LOWER_IS_BETTER, lowered)
        if lowered_match:
            direction = LOWER
        because = match[0] + (f", {lowered_match[0]}" if lowered_match else "")
        return MeasureSuggestion(kind, unit, direction, because)
    return None
