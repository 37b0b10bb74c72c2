"""Every change to a sheet's workflow, one function per action of the table in workflow.py.

Each one: takes the acting user, locks the sheet row, compares the version the user saw, checks
the table and the guard (raising WorkflowError with a sentence the user can read), saves with
update_fields, writes a ReviewEvent, and announces the change only after the commit.
"""

import re

from django.db import IntegrityError, transaction
from django.utils import timezone

from goalsapp import amendments as goals_amendments
from goalsapp import services as goals
from goalsapp.models import Employee, Goal, GoalSheet, ReviewPeriod, SheetState
from goalsapp.rules import sheet_goal_problems

from . import continuity, esign, signals
from .canonical import content_hash
from .models import GoalAnswer, ReviewEvent, Signature, SmartCheck
from .workflow import (
    SIGNATURE_ROLE,
    Role,
    StaleVersion,
    WorkflowError,
    require,
    require_may_start,
    signing_action,
)

S = SheetState


def lock_sheet(sheet_id: int, version: int | None = None) -> GoalSheet:
    """The sheet, its row locked until the transaction ends; StaleVersion if it moved past
    `version`. Every change to a sheet starts here, inside transaction.atomic()."""
    sheet = (
        GoalSheet.objects.select_for_update(of=("self",))
        .select_related("employee__supervisor", "period")
        .get(pk=sheet_id)
    )
    if version is not None and sheet.version != version:
        raise StaleVersion()
    return sheet


def _goals(count: int) -> str:
    return f"{count} goal" if count == 1 else f"{count} goals"


def _sheet_id_of_goal(goal_id: int) -> int:
    sheet_id = Goal.objects.filter(pk=goal_id).values_list("sheet_id", flat=True).first()
    if sheet_id is None:
        raise WorkflowError("That goal no longer exists; it may have been removed meanwhile.")
    return sheet_id


def _event(sheet, actor, action, from_state, note="") -> ReviewEvent:
    return ReviewEvent.objects.create(sheet=sheet, actor=actor, action=action,
                                      from_state=from_state, to_state=sheet.state, note=note)


def _move(sheet: GoalSheet, actor, action: str, to_state: SheetState, note: str = "",
          extra_fields: tuple[str, ...] = ()) -> ReviewEvent:
    from_state = sheet.state
    sheet.state = to_state
    sheet.state_changed_at = timezone.now()
    goals.sheet_touch(sheet, ["state", "state_changed_at", *extra_fields], actor)
    event = _event(sheet, actor, action, from_state, note)
    transaction.on_commit(lambda: signals.sheet_transitioned.send(
        sender=GoalSheet, sheet=sheet, event=event))
    return event


def _void_signatures(sheet: GoalSheet, reason: str) -> int:
    return sheet.signatures.filter(voided_at__isnull=True).update(
        voided_at=timezone.now(), void_reason=reason[:200])


def _flagged_without_reply(sheet: GoalSheet) -> list[GoalAnswer]:
    return list(GoalAnswer.objects.filter(
        goal__sheet=sheet, round=sheet.clarification_round,
        answer=GoalAnswer.Answer.NEEDS_CLARIFICATION, reply="",
    ).select_related("goal"))


# Drafting ---------------------------------------------------------------------------------------

def require_may_start_sheet(actor, employee: Employee, period: ReviewPeriod) -> None:
    """What starting a sheet asks before anything is written: the employee's supervisor, an
    active employee, an open period. Raises ActionForbidden or WorkflowError with the reason."""
    require_may_start(actor, employee)
    if not employee.is_active:
        raise WorkflowError(f"{employee.full_name} is no longer active.")
    if not period.is_open:
        raise WorkflowError(f"The period {period} is closed.")


def sheet_start(*, actor, employee: Employee, period: ReviewPeriod) -> GoalSheet:
    """A supervisor opens a draft sheet for a direct report in a period."""
    require_may_start_sheet(actor, employee, period)
    with transaction.atomic():
        if GoalSheet.objects.filter(employee=employee, period=period).exists():
            raise WorkflowError(f"{employee.full_name} already has a sheet for {period}.")
        try:
            with transaction.atomic():
                sheet = goals.sheet_create(employee=employee, period=period, actor=actor)
        except IntegrityError:
            raise WorkflowError(
                f"{employee.full_name} already has a sheet for {period}.") from None
        _event(sheet, actor, "start", "")
        _prefill_from_last_closing(sheet, actor)
    return sheet


def _prefill_from_last_closing(sheet: GoalSheet, actor) -> None:
    """The paper form's "goals completed since last performance feedback", written from the
    achieved goals of the employee's last closing review; the employee may edit it."""
    review = continuity.previous_review(sheet)
    text = continuity.completed_since_last(review) if review else ""
    if text:
        sheet.goals_completed_since_last = text
        goals.sheet_touch(sheet, ["goals_completed_since_last"], actor)


def sheet_carry_forward(*, sheet_id: int, actor, version: int,
                        goal_ids: list[int]) -> list[Goal]:
    """Adds the chosen unfinished goals of the employee's last closing review to the draft as
    new goals (continuity.carried_row: measured from where they ended, due at the period's
    end)."""
    with transaction.atomic():
        sheet = lock_sheet(sheet_id, version)
        require(actor, sheet, "edit_goals")
        chosen = [result for result in continuity.carry_forward_candidates(sheet)
                  if result.goal_id in set(goal_ids)]
        if not chosen:
            raise WorkflowError("Tick at least one unfinished goal to carry forward.")
        added = goals.goals_append([(sheet, [continuity.carried_row(r, sheet)
                                              for r in chosen])], actor)
        goals.sheet_touch(sheet, [], actor)
        _event(sheet, actor, "carry_forward", sheet.state,
               f"{_goals(len(added))} carried forward from the last closing review.")
    return added


def sheets_start_many(*, actor, employees: list[Employee],
                      period: ReviewPeriod) -> list[GoalSheet]:
    """sheet_start for many employees at once (goal sets): the sheets with their history and a
    "start" event each, in bulk. The caller has asked require_may_start_sheet of each and holds
    the savepoint; a sheet started meanwhile fails the whole call on the unique constraint."""
    created = goals.sheets_create_many(employees=employees, period=period, actor=actor)
    ReviewEvent.objects.bulk_create([
        ReviewEvent(sheet=sheet, actor=actor, action="start", from_state="",
                    to_state=sheet.state) for sheet in created])
    return created


def goal_set_applied(*, actor, set_name: str, added: list[tuple[GoalSheet, int]],
                     extended: set[int]) -> None:
    """Records on each sheet that a goal set added goals to it (an "apply_goal_set" event),
    and moves the version of each `extended` draft (ids) on, so an editor open on it hears
    "changed meanwhile". The goals were added with goalsapp.services.goals_append."""
    events = []
    for sheet, count in added:
        if sheet.pk in extended:
            goals.sheet_touch(sheet, [], actor)
        events.append(ReviewEvent(
            sheet=sheet, actor=actor, action="apply_goal_set", from_state=sheet.state,
            to_state=sheet.state,
            note=f"Goal set “{set_name}”: {count} goal{'' if count == 1 else 's'} added."))
    ReviewEvent.objects.bulk_create(events)


def sheet_save_draft(*, sheet_id: int, actor, version: int, sheet_values: dict,
                     rows: list[goals.GoalRow], replies: dict[int, str]) -> GoalSheet:
    """The goal editor's save: the summary, goals, and replies to flagged goals. Section 3
    (goals completed since the last feedback, the employee's comments) is the employee's
    alone (sheet_save_employee_section): `sheet_values` holding it changes nothing there."""
    with transaction.atomic():
        sheet = lock_sheet(sheet_id, version)
        require(actor, sheet, "edit_goals")
        changed = goals.sheet_update_fields(sheet, sheet_values, goals.DRAFT_SHEET_FIELDS)
        goals_changed = goals.goals_save(sheet, rows, actor)
        replied = _save_replies(sheet, actor, replies)
        if changed or goals_changed or replied:
            goals.sheet_touch(sheet, changed, actor)
    return sheet


def _save_replies(sheet: GoalSheet, actor, replies: dict[int, str]) -> bool:
    changed = False
    flagged = {answer.goal_id: answer for answer in GoalAnswer.objects.filter(
        goal__sheet=sheet, round=sheet.clarification_round,
        answer=GoalAnswer.Answer.NEEDS_CLARIFICATION)}
    for goal_id, text in replies.items():
        answer = flagged.get(goal_id)
        if answer is None or answer.reply == text.strip():
            continue
        answer.reply = text.strip()
        answer.replied_by = actor
        answer.replied_at = timezone.now()
        answer.save(update_fields=["reply", "replied_by", "replied_at"])
        changed = True
    return changed


def sheet_send_to_employee(*, sheet_id: int, actor, version: int, note: str = "") -> GoalSheet:
    with transaction.atomic():
        sheet = lock_sheet(sheet_id, version)
        require(actor, sheet, "send_to_employee")
        problems = sheet_goal_problems(list(sheet.goals.all()), sheet.period)
        unanswered = _flagged_without_reply(sheet)
        if unanswered:
            problems.append(
                f"Reply to the employee's clarification on {_goals(len(unanswered))} first.")
        if problems:
            raise WorkflowError(" ".join(problems))
        sheet.copy_header_from_employee()
        sheet.clarification_round += 1
        _move(sheet, actor, "send_to_employee", S.EMPLOYEE_REVIEW, note,
              ("clarification_round", "employee_name", "employee_number", "title",
               "work_location", "supervisor_name"))
    return sheet


# Employee review --------------------------------------------------------------------------------

def goal_answer(*, goal_id: int, actor, answer: str, comment: str) -> GoalAnswer:
    """The employee marks one goal "Okay" or "Needs Clarification" (with a comment)."""
    comment = (comment or "").strip()
    if answer not in GoalAnswer.Answer.values:
        raise WorkflowError("Choose “Okay” or “Needs Clarification”.")
    if answer == GoalAnswer.Answer.NEEDS_CLARIFICATION and not comment:
        raise WorkflowError("Say what needs clarification in the comment.")
    with transaction.atomic():
        sheet = lock_sheet(_sheet_id_of_goal(goal_id), None)
        require(actor, sheet, "answer_goal")
        record, _ = GoalAnswer.objects.update_or_create(
            goal_id=goal_id, round=sheet.clarification_round,
            defaults={"answer": answer, "comment": comment, "answered_by": actor,
                      "answered_at": timezone.now()},
        )
        goals.sheet_touch(sheet, [], actor)
    return record


def sheet_save_employee_section(*, sheet_id: int, actor, values: dict) -> GoalSheet:
    """The employee writes their own section (goals completed since the last feedback, their
    comments) while answering. Like an answer it carries no version: only the employee writes
    in this state, and each save is their latest word."""
    with transaction.atomic():
        sheet = lock_sheet(sheet_id, None)
        require(actor, sheet, "answer_goal")
        cleaned = {name: (values.get(name) or "").strip()
                   for name in goals.EMPLOYEE_SECTION_FIELDS if name in values}
        changed = goals.sheet_update_fields(sheet, cleaned, goals.EMPLOYEE_SECTION_FIELDS)
        if changed:
            goals.sheet_touch(sheet, changed, actor)
    return sheet


def sheet_submit_answers(*, sheet_id: int, actor, version: int, note: str = "") -> GoalSheet:
    with transaction.atomic():
        sheet = lock_sheet(sheet_id, version)
        require(actor, sheet, "submit_answers")
        answers = {a.goal_id: a for a in GoalAnswer.objects.filter(
            goal__sheet=sheet, round=sheet.clarification_round)}
        missing = [g for g in sheet.goals.all() if g.pk not in answers]
        if missing:
            raise WorkflowError(f"Answer every goal first: {len(missing)} still without an answer.")
        flagged = sum(1 for a in answers.values() if a.needs_clarification)
        if flagged:
            _move(sheet, actor, "submit_answers", S.DRAFTING,
                  note or f"{_goals(flagged)} {'needs' if flagged == 1 else 'need'} "
                          "clarification.")
        else:
            _move(sheet, actor, "submit_answers", S.SUPERVISOR_SIGNATURE, note)
    return sheet


# Summary and signatures -------------------------------------------------------------------------

def sheet_save_summary(*, sheet_id: int, actor, version: int, values: dict) -> GoalSheet:
    with transaction.atomic():
        sheet = lock_sheet(sheet_id, version)
        require(actor, sheet, "edit_summary")
        changed = goals.sheet_update_fields(sheet, values, goals.SUMMARY_FIELDS)
        if changed:
            _void_signatures(sheet, "The summary changed.")
            goals.sheet_touch(sheet, changed, actor)
    return sheet


def _normalise_name(name: str) -> str:
    return re.sub(r"\s+", " ", name or "").strip().casefold()


def name_matches(typed_name: str, signer) -> bool:
    expected = getattr(getattr(signer, "employee", None), "full_name", "") or \
        signer.get_full_name()
    return bool(expected) and _normalise_name(typed_name) == _normalise_name(expected)


def sheet_sign(*, sheet_id: int, actor, version: int, typed_name: str,
               evidence: esign.SigningEvidence, acknowledged: bool = False) -> Signature:
    """Signs in the role the sheet's state calls for: supervisor, then employee, then HR. The
    signer must have consented to sign electronically (or consent with this signature) and have
    proved who they are within SIGNING_REAUTH_MINUTES; the signature keeps that evidence."""
    with transaction.atomic():
        sheet = lock_sheet(sheet_id, version)
        signing = signing_action(sheet.state)
        if signing is None:
            raise WorkflowError(f"This sheet is in {sheet.get_state_display()}; "
                                "it cannot be signed now.")
        action_name = signing.name
        action = require(actor, sheet, action_name)
        role = SIGNATURE_ROLE[action_name]
        require_signer(actor, typed_name, role, acknowledged)
        if role == Role.SUPERVISOR and not sheet.summary_is_complete:
            raise WorkflowError("Complete the summary (estimated total time, action plans and "
                                "milestones) before signing.")
        digest = content_hash(sheet)
        if role == Role.HR:
            _check_hr_may_sign(sheet, digest)
        signature = Signature.objects.create(
            sheet=sheet, **signature_values(actor, role, typed_name, digest, evidence))
        to_state = action.targets[0]
        if to_state == S.SIGNED:
            sheet.locked_at = timezone.now()
            _move(sheet, actor, action_name, to_state, extra_fields=("locked_at",))
            if sheet.is_amendment:
                # Now the version in force: the goals it carried over keep their actuals.
                goals_amendments.progress_carry_over(sheet)
        else:
            _move(sheet, actor, action_name, to_state)
    return signature


def require_signer(actor, typed_name: str, role: Role, acknowledged: bool) -> None:
    """What every signature asks of the signer, on either document: their own name typed, and
    the employee's acknowledgement ticked."""
    if not name_matches(typed_name, actor):
        raise WorkflowError("Type your full name exactly as it appears on your profile.")
    if role == Role.EMPLOYEE and not acknowledged:
        raise WorkflowError("Tick the acknowledgement to sign.")


def signature_values(actor, role: Role, typed_name: str, digest: str,
                     evidence: esign.SigningEvidence) -> dict:
    """A new signature's fields (either document's): the signer, the hash signed, and the
    e-signature evidence, asked of reviews/esign.py last (it may record consent)."""
    consent = esign.require_may_sign(actor, evidence)
    return {"role": role, "signer": actor, "typed_name": typed_name.strip(),
            "content_hash": digest, "consent": consent,
            "authenticated_at": evidence.authenticated_at, "ip_address": evidence.ip_address,
            "user_agent": evidence.user_agent}


def earlier_signatures_match(live_signatures, digest: str) -> bool:
    """Before HR signs: exactly the supervisor's and the employee's live signatures, each on
    the content as it is now."""
    signatures = list(live_signatures)
    return ({s.role for s in signatures} == {Role.SUPERVISOR, Role.EMPLOYEE}
            and all(s.content_hash == digest for s in signatures))


def _check_hr_may_sign(sheet: GoalSheet, digest: str) -> None:
    goal_ids = list(sheet.goals.values_list("pk", flat=True))
    checks = {c.goal_id: c for c in SmartCheck.objects.filter(goal_id__in=goal_ids)}
    unchecked = [g for g in goal_ids if g not in checks]
    failing = [c for c in checks.values() if not c.passes]
    if unchecked or failing:
        raise WorkflowError(
            f"Every goal must pass all five SMART criteria before HR signs: "
            f"{len(unchecked)} not yet checked, {len(failing)} failing. "
            "Return the sheet to the supervisor if a goal needs rework.")
    if not earlier_signatures_match(sheet.signatures.filter(voided_at__isnull=True), digest):
        raise WorkflowError("The sheet's content no longer matches the supervisor's and "
                            "employee's signatures; return it to the supervisor.")


def sheet_reopen(*, sheet_id: int, actor, version: int, note: str = "") -> GoalSheet:
    with transaction.atomic():
        sheet = lock_sheet(sheet_id, version)
        require(actor, sheet, "reopen")
        _void_signatures(sheet, "Reopened by the supervisor.")
        _move(sheet, actor, "reopen", S.DRAFTING, note)
    return sheet


# HR review --------------------------------------------------------------------------------------

def goal_smart_check(*, goal_id: int, actor, verdicts: dict[str, bool], note: str) -> SmartCheck:
    note = (note or "").strip()
    if not all(verdicts.get(name, False) for name in SmartCheck.CRITERIA) and not note:
        raise WorkflowError("Say in the note why the goal fails.")
    with transaction.atomic():
        sheet = lock_sheet(_sheet_id_of_goal(goal_id), None)
        require(actor, sheet, "smart_check")
        check, _ = SmartCheck.objects.update_or_create(
            goal_id=goal_id,
            defaults={**{name: bool(verdicts.get(name)) for name in SmartCheck.CRITERIA},
                      "note": note, "checked_by": actor, "checked_at": timezone.now()},
        )
    return check


def required_return_note(note: str) -> str:
    """HR's note on a return to the supervisor (of the goals or of the closing review), which
    the supervisor needs to know what to change."""
    note = (note or "").strip()
    if not note:
        raise WorkflowError("Write a note telling the supervisor what to change.")
    return note


def sheet_return_to_supervisor(*, sheet_id: int, actor, version: int, note: str) -> GoalSheet:
    note = required_return_note(note)
    with transaction.atomic():
        sheet = lock_sheet(sheet_id, version)
        require(actor, sheet, "return_to_supervisor")
        _void_signatures(sheet, "Returned to the supervisor by HR.")
        # The goals will be revised, so the SMART verdicts on them no longer hold.
        SmartCheck.objects.filter(goal__sheet=sheet).delete()
        _move(sheet, actor, "return_to_supervisor", S.DRAFTING, note)
    return sheet
