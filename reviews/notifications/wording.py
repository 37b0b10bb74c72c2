"""The sentence each notification shows in the inbox and in its e-mail."""

from datetime import date
from functools import lru_cache

from reviews.closing_states import ClosingState
from reviews.workflow import FIRST_STEP

from .models import Notification
from .recipients import SheetRow, waiting_on_whom

K = Notification.Kind


def day_text(day: date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _step(label: str) -> str:
    """"Answer goals" → "answer goals", but "SMART review" keeps its acronym."""
    first = label.split(" ", 1)[0]
    return label if first.isupper() else label[0].lower() + label[1:]


@lru_cache(maxsize=1024)
def _pattern(kind: str, state: str, period_name: str, due: date | None,
             today: date | None) -> str:
    """The sentence with {whose} and {who} left open: the same for every sheet of a period in
    a state, so the sweep words 100,000 notices by filling in two names each."""
    document = "closing review" if state in ClosingState.values else "goal sheet"
    sheet = f"{{whose}} {document} ({period_name.replace('{', '{{').replace('}', '}}')})"
    step = _step(FIRST_STEP[state].label) if state in FIRST_STEP else ""
    if kind == K.WAITING:
        return f"{sheet} now waits on you: {step}."
    if kind == K.BEFORE_DUE:
        return f"Reminder: {sheet} is due by {day_text(due)}: {step}."
    late = _days((today - due).days) if due and today else ""
    if kind == K.OVERDUE:
        return f"Overdue: {sheet} was due on {day_text(due)}, {late} ago: {step}."
    return f"Stuck: {sheet} has waited on {{who}} since its due date {day_text(due)}, " \
           f"{late} overdue."


def message(kind: str, row: SheetRow, recipient_id: int, *, due: date | None = None,
            today: date | None = None) -> str:
    whose = "Your" if recipient_id == row.employee_user_id else f"{row.employee_name}'s"
    who = waiting_on_whom(row) if kind == K.ESCALATION else ""
    return _pattern(kind, row.state, row.period_name, due, today).format(whose=whose, who=who)
