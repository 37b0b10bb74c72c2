"""Amending a signed sheet: goals change mid-year, and a signed sheet cannot, so an amendment is
a new version of the sheet that goes through the whole workflow again.

The signed version is never written: its row, goals, signatures and PDF stay as they were, and
only the new row names what it amends (goalsapp.models: `amends`, `in_force_q`). While the new
version is under way the signed one stays in force; when HR signs the new one, tracking follows
it and the actuals of the goals it carried over come with them (services.sheet_sign calls
goalsapp.amendments.progress_carry_over).
"""

from django.db import IntegrityError, transaction

from goalsapp import amendments as goals_amendments
from goalsapp.models import LONG_TEXT_MAX, GoalSheet

from . import signals
from .models import ReviewEvent
from .services import lock_sheet
from .workflow import WorkflowError, amendment_refusal, require

REASON_REQUIRED = "Say why the goals change: the reason is part of the new version's record."
REASON_TOO_LONG = f"Keep the reason under {LONG_TEXT_MAX} characters."


def amendment_reason_problem(reason: str) -> str:
    """The sentence for a missing or overlong reason ("" when it will do): the form and the
    service ask the same."""
    reason = (reason or "").strip()
    if not reason:
        return REASON_REQUIRED
    if len(reason) > LONG_TEXT_MAX:
        return REASON_TOO_LONG
    return ""


def sheet_amend(*, sheet_id: int, actor, reason: str) -> GoalSheet:
    """The supervisor or HR starts the next version of a signed sheet, with a reason: a draft
    with a copy of the header, summary and goals (each naming the goal it carries over). The
    signed version stays as it is; the event is written in the timeline of both."""
    problem = amendment_reason_problem(reason)
    if problem:
        raise WorkflowError(problem)
    reason = reason.strip()
    with transaction.atomic():
        amended = lock_sheet(sheet_id)  # two people starting at once: one waits, then is told
        require(actor, amended, "amend")  # a signed version in force, not amended yet
        if not amended.period.is_open:  # as for starting a sheet: a closed year is final
            raise WorkflowError(f"The period {amended.period} is closed.")
        try:
            with transaction.atomic():
                sheet = goals_amendments.amendment_create(amended=amended, actor=actor,
                                                          reason=reason)
        except IntegrityError:  # the database's own guard: each version is amended once
            raise WorkflowError(amendment_refusal(amended) or
                                "This sheet is being amended already.") from None
        note = f"Version {sheet.edition}: {reason}"
        ReviewEvent.objects.create(sheet=amended, actor=actor, action="amend",
                                   from_state=amended.state, to_state=amended.state, note=note)
        event = ReviewEvent.objects.create(sheet=sheet, actor=actor, action="amend",
                                           from_state="", to_state=sheet.state, note=note)
        # Whoever drafts now is told, as for any sheet that waits on them.
        transaction.on_commit(lambda: signals.sheet_transitioned.send(
            sender=GoalSheet, sheet=sheet, event=event))
    return sheet

