"""The sentence each notification shows in the inbox and in its e-mail."""

from datetime import date

from goalsapp.models import SheetState

from ..workflow import FIRST_STEP
from .models import Notification
from .recipients import SheetRow, waiting_on_whom

K = Notification.Kind


def day_text(day: date) -> str:
    return f"{day:%b} {day.day}, {day.year}"


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


def _whose(row: SheetRow, recipient_id: int) -> str:
    return "Your" if recipient_id == row.employee_user_id else f"{row.employee_name}'s"


def message(kind: str, row: SheetRow, recipient_id: int, *, due: date | None = None,
            today: date | None = None) -> str:
    sheet = f"{_whose(row, recipient_id)} goal sheet ({row.period_name})"
    step = FIRST_STEP[SheetState(row.state)].label.lower() if row.state in FIRST_STEP else ""
    if kind == K.WAITING:
        return f"{sheet} now waits on you: {step}."
    if kind == K.BEFORE_DUE:
        return f"Reminder: {sheet} is due by {day_text(due)}: {step}."
    late = _days((today - due).days) if due and today else ""
    if kind == K.OVERDUE:
        return f"Overdue: {sheet} was due on {day_text(due)}, {late} ago: {step}."
    return (f"Stuck: {sheet} has waited on {waiting_on_whom(row)} since its due date "
            f"{day_text(due)}, {late} overdue.")
