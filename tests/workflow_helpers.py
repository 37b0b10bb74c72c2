"""Drives a goal sheet through the real workflow services (reviews.services) to a given state,
for any test that needs a sheet further along: service, view and browser tests alike."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from goalsapp.access import HR_GROUP
from goalsapp.models import GoalSheet, SheetState
from reviews import services
from reviews.esign import SigningEvidence
from reviews.models import GoalAnswer, SmartCheck

STATE_ORDER = (
    SheetState.DRAFTING,
    SheetState.EMPLOYEE_REVIEW,
    SheetState.SUPERVISOR_SIGNATURE,
    SheetState.EMPLOYEE_SIGNATURE,
    SheetState.HR_REVIEW,
    SheetState.SIGNED,
)

SUMMARY = {
    "estimated_total_time": "Twelve months, reviewed quarterly.",
    "action_plans": "Weekly call blocks for the 90+ day bucket; payment plans offered on call.",
    "milestones": "Q1: 25% of target. Q2: 50%. Q3: 75%. Q4: target met.",
    "additional_comments": "Agreed in our one-to-one.",
}
REPLY = "Clarified in our meeting: the target counts accounts, not invoices."
ALL_PASS = dict.fromkeys(SmartCheck.CRITERIA, True)


def typed_name_of(user) -> str:
    """The name a user must type to sign: their employee record's full name, else their own."""
    employee = getattr(user, "employee", None)
    return (employee.full_name if employee else "") or user.get_full_name()


def signing_evidence(**overrides) -> SigningEvidence:
    """What a signature made through the service directly keeps: a sign-in just now, consent
    given with it if none is on file, from the loopback address."""
    values = {"authenticated_at": timezone.now(), "ip_address": "127.0.0.1",
              "user_agent": "Goalpost tests", "gives_consent": True}
    return SigningEvidence(**(values | overrides))


def hr_reviewer_for(sheet: GoalSheet):
    """A member of the HR group who may review `sheet` (never the sheet's own employee)."""
    reviewer = (
        get_user_model()
        .objects.filter(groups__name=HR_GROUP)
        .exclude(pk=sheet.employee.user_id)
        .order_by("pk")
        .first()
    )
    if reviewer is None:
        raise ValueError(
            "advance() needs a member of the HR group other than the sheet's "
            "employee; use the `hr` fixture or pass hr_user=."
        )
    return reviewer


def _fresh(sheet_id: int) -> GoalSheet:
    return GoalSheet.objects.select_related("employee__user", "employee__supervisor__user").get(
        pk=sheet_id
    )


def _from_drafting(sheet: GoalSheet, hr_user) -> None:
    supervisor = sheet.employee.supervisor.user
    flagged = GoalAnswer.objects.filter(
        goal__sheet=sheet,
        round=sheet.clarification_round,
        answer=GoalAnswer.Answer.NEEDS_CLARIFICATION,
        reply="",
    ).values_list("goal_id", flat=True)
    if flagged:
        services.sheet_save_draft(
            sheet_id=sheet.pk,
            actor=supervisor,
            version=sheet.version,
            sheet_values={},
            rows=[],
            replies=dict.fromkeys(flagged, REPLY),
        )
        sheet = _fresh(sheet.pk)
    services.sheet_send_to_employee(sheet_id=sheet.pk, actor=supervisor, version=sheet.version)


def _from_employee_review(sheet: GoalSheet, hr_user) -> None:
    employee = sheet.employee.user
    answered = set(
        GoalAnswer.objects.filter(goal__sheet=sheet, round=sheet.clarification_round).values_list(
            "goal_id", flat=True
        )
    )
    for goal in sheet.goals.exclude(pk__in=answered):
        services.goal_answer(
            goal_id=goal.pk, actor=employee, answer=GoalAnswer.Answer.OKAY, comment=""
        )
    sheet = _fresh(sheet.pk)
    services.sheet_submit_answers(sheet_id=sheet.pk, actor=employee, version=sheet.version)


def _from_supervisor_signature(sheet: GoalSheet, hr_user) -> None:
    supervisor = sheet.employee.supervisor.user
    if not sheet.summary_is_complete:
        services.sheet_save_summary(
            sheet_id=sheet.pk, actor=supervisor, version=sheet.version, values=SUMMARY
        )
        sheet = _fresh(sheet.pk)
    services.sheet_sign(
        sheet_id=sheet.pk,
        actor=supervisor,
        version=sheet.version,
        typed_name=typed_name_of(supervisor),
        evidence=signing_evidence(),
    )


def _from_employee_signature(sheet: GoalSheet, hr_user) -> None:
    employee = sheet.employee.user
    services.sheet_sign(
        sheet_id=sheet.pk,
        actor=employee,
        version=sheet.version,
        typed_name=typed_name_of(employee),
        evidence=signing_evidence(),
        acknowledged=True,
    )


def _from_hr_review(sheet: GoalSheet, hr_user) -> None:
    reviewer = hr_user or hr_reviewer_for(sheet)
    for goal in sheet.goals.filter(smart_check__isnull=True):
        services.goal_smart_check(goal_id=goal.pk, actor=reviewer, verdicts=ALL_PASS, note="")
    sheet = _fresh(sheet.pk)
    services.sheet_sign(
        sheet_id=sheet.pk,
        actor=reviewer,
        version=sheet.version,
        typed_name=typed_name_of(reviewer),
        evidence=signing_evidence(),
    )


_STEPS = {
    SheetState.DRAFTING: _from_drafting,
    SheetState.EMPLOYEE_REVIEW: _from_employee_review,
    SheetState.SUPERVISOR_SIGNATURE: _from_supervisor_signature,
    SheetState.EMPLOYEE_SIGNATURE: _from_employee_signature,
    SheetState.HR_REVIEW: _from_hr_review,
}


def advance(sheet: GoalSheet, to_state, *, hr_user=None) -> GoalSheet:
    """Moves `sheet` forward to `to_state` as its supervisor, employee and HR would: goals sent,
    unanswered goals answered "Okay", flagged goals replied to, the summary filled, names typed,
    unchecked goals passed on all five SMART criteria. Returns the sheet fresh from the database
    (and refreshes the instance passed in). A WorkflowError from a guard propagates unchanged."""
    target = SheetState(to_state)
    current = _fresh(sheet.pk)
    if STATE_ORDER.index(SheetState(current.state)) > STATE_ORDER.index(target):
        raise ValueError(f"The sheet is already in {current.state}, past {target}.")
    steps = 0
    while current.state != target:
        if steps == 3 * len(STATE_ORDER):  # a clarification round goes back once, not forever
            raise RuntimeError(f"advance() could not bring the sheet to {target}.")
        _STEPS[SheetState(current.state)](current, hr_user)
        current = _fresh(sheet.pk)
        steps += 1
    sheet.refresh_from_db()
    return current
