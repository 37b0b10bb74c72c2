"""The workflow services: every transition of the table in reviews/workflow.py and its guard."""

import datetime

import pytest
from django.contrib.auth.models import Group

from goalsapp.access import HR_GROUP
from goalsapp.models import GoalSheet, SheetState
from reviews import services
from reviews.canonical import content_hash
from reviews.models import GoalAnswer, ReviewEvent, Signature, SmartCheck
from reviews.workflow import ActionForbidden, Role, StaleVersion, WorkflowError, roles_of
from tests.factories import EmployeeFactory, GoalFactory, GoalSheetFactory, ReviewPeriodFactory
from tests.workflow_helpers import ALL_PASS, SUMMARY, signing_evidence

pytestmark = pytest.mark.django_db

S = SheetState
OKAY = GoalAnswer.Answer.OKAY
NEEDS_CLARIFICATION = GoalAnswer.Answer.NEEDS_CLARIFICATION


def fresh(sheet) -> GoalSheet:
    return GoalSheet.objects.get(pk=sheet.pk)


def last_event(sheet) -> ReviewEvent:
    return ReviewEvent.objects.filter(sheet=sheet).latest("at", "id")


def send(sheet, actor, note=""):
    return services.sheet_send_to_employee(
        sheet_id=sheet.pk, actor=actor, version=fresh(sheet).version, note=note
    )


def answer(goal, actor, verdict=OKAY, comment=""):
    return services.goal_answer(goal_id=goal.pk, actor=actor, answer=verdict, comment=comment)


def submit(sheet, actor, note=""):
    return services.sheet_submit_answers(
        sheet_id=sheet.pk, actor=actor, version=fresh(sheet).version, note=note
    )


def sign(sheet, actor, typed_name, acknowledged=False):
    return services.sheet_sign(
        sheet_id=sheet.pk,
        actor=actor,
        version=fresh(sheet).version,
        typed_name=typed_name,
        evidence=signing_evidence(),
        acknowledged=acknowledged,
    )


def save_draft(sheet, actor, sheet_values=None, rows=(), replies=None, version=None):
    return services.sheet_save_draft(
        sheet_id=sheet.pk,
        actor=actor,
        version=fresh(sheet).version if version is None else version,
        sheet_values=sheet_values or {},
        rows=list(rows),
        replies=replies or {},
    )


def smart_check(goal, actor, note="", **fails):
    verdicts = {**ALL_PASS, **dict.fromkeys(fails, False)}
    return services.goal_smart_check(goal_id=goal.pk, actor=actor, verdicts=verdicts, note=note)


def live_signatures(sheet):
    return Signature.objects.filter(sheet=sheet, voided_at__isnull=True)


# Starting a sheet -------------------------------------------------------------------------------


def test_it_starts_a_sheet_for_a_direct_report_with_the_header_copied(employee, supervisor, period):
    sheet = services.sheet_start(actor=supervisor.user, employee=employee, period=period)

    assert sheet.state == S.DRAFTING
    assert (sheet.employee_name, sheet.title, sheet.work_location, sheet.supervisor_name) == (
        "Emma Ellis",
        "Collections Specialist",
        "Boston, MA",
        "Sam Sutton",
    )
    event = last_event(sheet)
    assert (event.action, event.actor, event.from_state, event.to_state) == (
        "start",
        supervisor.user,
        "",
        S.DRAFTING,
    )


@pytest.mark.parametrize("persona", ["manager", "other_supervisor", "hr", "employee"])
def test_only_the_direct_supervisor_may_start_a_sheet(request, persona, employee, period):
    actor = request.getfixturevalue(persona).user

    with pytest.raises(ActionForbidden, match="Only the employee's supervisor may start"):
        services.sheet_start(actor=actor, employee=employee, period=period)
    assert not GoalSheet.objects.filter(employee=employee).exists()


def test_an_admin_without_an_employee_record_may_not_start_a_sheet(admin, employee, period):
    with pytest.raises(ActionForbidden, match="Only the employee's supervisor may start"):
        services.sheet_start(actor=admin, employee=employee, period=period)


def test_it_starts_only_one_sheet_per_employee_and_period(employee, supervisor, period):
    services.sheet_start(actor=supervisor.user, employee=employee, period=period)

    with pytest.raises(WorkflowError, match="Emma Ellis already has a sheet for 2027."):
        services.sheet_start(actor=supervisor.user, employee=employee, period=period)
    assert GoalSheet.objects.filter(employee=employee).count() == 1

    next_period = ReviewPeriodFactory(
        name="2028",
        starts_on=datetime.date(2028, 1, 1),
        ends_on=datetime.date(2028, 12, 31),
    )
    services.sheet_start(actor=supervisor.user, employee=employee, period=next_period)
    assert GoalSheet.objects.filter(employee=employee).count() == 2


def test_it_refuses_to_start_a_sheet_in_a_closed_period(employee, supervisor, period):
    period.is_open = False
    period.save()

    with pytest.raises(WorkflowError, match="The period 2027 is closed."):
        services.sheet_start(actor=supervisor.user, employee=employee, period=period)


def test_it_refuses_to_start_a_sheet_for_someone_who_left(employee, supervisor, period):
    employee.is_active = False
    employee.save()

    with pytest.raises(WorkflowError, match="Emma Ellis is no longer active."):
        services.sheet_start(actor=supervisor.user, employee=employee, period=period)


# Drafting and sending ---------------------------------------------------------------------------


def test_it_sends_a_valid_draft_to_the_employee(sheet, supervisor):
    version = fresh(sheet).version

    send(sheet, supervisor.user, note="Please read goal 2 closely.")

    sheet = fresh(sheet)
    assert sheet.state == S.EMPLOYEE_REVIEW
    assert sheet.clarification_round == 1
    assert sheet.version > version
    event = last_event(sheet)
    assert (event.action, event.actor, event.from_state, event.to_state, event.note) == (
        "send_to_employee",
        supervisor.user,
        S.DRAFTING,
        S.EMPLOYEE_REVIEW,
        "Please read goal 2 closely.",
    )


def test_it_refuses_to_send_a_sheet_without_goals(employee, supervisor, period):
    sheet = GoalSheetFactory(employee=employee, period=period)

    with pytest.raises(WorkflowError, match="Add at least one goal before sending the sheet."):
        send(sheet, supervisor.user)
    assert fresh(sheet).state == S.DRAFTING
    assert not ReviewEvent.objects.filter(sheet=sheet).exists()


def test_it_refuses_to_send_a_goal_due_outside_the_period(sheet, supervisor):
    goal = sheet.goals.get(position=2)
    goal.due_on = datetime.date(2028, 1, 15)
    goal.save()

    with pytest.raises(WorkflowError) as refused:
        send(sheet, supervisor.user)

    assert str(refused.value) == (
        "Goal 2: The due date must fall inside the review period (Jan 01, 2027 – Dec 31, 2027)."
    )
    assert fresh(sheet).state == S.DRAFTING


def test_it_refuses_to_send_a_goal_without_text(sheet, supervisor):
    goal = sheet.goals.get(position=1)
    goal.text = "   "
    goal.save()

    with pytest.raises(WorkflowError, match="Goal 1: Write the goal."):
        send(sheet, supervisor.user)


def test_it_refuses_to_send_when_weights_do_not_total_100(sheet, supervisor):
    for goal, weight in zip(sheet.goals.order_by("position"), (60, 30), strict=True):
        goal.weight = weight
        goal.save()

    with pytest.raises(WorkflowError, match="Goal weights must total 100; they total 90."):
        send(sheet, supervisor.user)
    assert fresh(sheet).state == S.DRAFTING


def test_it_refuses_to_send_when_only_some_goals_are_weighted(sheet, supervisor):
    goal = sheet.goals.get(position=1)
    goal.weight = 100
    goal.save()

    with pytest.raises(WorkflowError, match="Give every goal a weight, or none of them."):
        send(sheet, supervisor.user)


def test_it_sends_when_the_weights_total_100(sheet, supervisor):
    for goal, weight in zip(sheet.goals.order_by("position"), (60, 40), strict=True):
        goal.weight = weight
        goal.save()

    send(sheet, supervisor.user)

    assert fresh(sheet).state == S.EMPLOYEE_REVIEW


def test_it_saves_the_draft_and_bumps_the_version(sheet, supervisor):
    version = fresh(sheet).version

    save_draft(sheet, supervisor.user, {"action_plans": "Weekly review of the aged list."})

    sheet = fresh(sheet)
    assert sheet.action_plans == "Weekly review of the aged list."
    assert sheet.version == version + 1


def test_the_supervisors_save_never_writes_the_employees_section(sheet, supervisor):
    # Section 3 of the paper form is the employee's (sheet_save_employee_section).
    save_draft(sheet, supervisor.user, {"goals_completed_since_last": "Written for Emma.",
                                        "employee_comments": "Also for Emma.",
                                        "action_plans": "Mine."})

    sheet = fresh(sheet)
    assert (sheet.goals_completed_since_last, sheet.employee_comments) == ("", "")
    assert sheet.action_plans == "Mine."


def test_it_refuses_to_edit_goals_once_sent(sheet, supervisor):
    send(sheet, supervisor.user)

    with pytest.raises(WorkflowError, match="is in Employee review; “Edit goals” is not possible"):
        save_draft(sheet, supervisor.user, {"action_plans": "Too late."})
    assert fresh(sheet).action_plans == ""


# Employee review --------------------------------------------------------------------------------


def test_it_records_the_employees_answer_for_the_round(sheet, supervisor, employee):
    send(sheet, supervisor.user)
    goal = sheet.goals.get(position=1)

    record = answer(goal, employee.user, NEEDS_CLARIFICATION, "  Which accounts count?  ")

    assert (record.round, record.answer, record.comment, record.answered_by) == (
        1,
        NEEDS_CLARIFICATION,
        "Which accounts count?",
        employee.user,
    )


def test_it_refuses_needs_clarification_without_a_comment(sheet, supervisor, employee):
    send(sheet, supervisor.user)

    with pytest.raises(WorkflowError, match="Say what needs clarification in the comment."):
        answer(sheet.goals.first(), employee.user, NEEDS_CLARIFICATION, "   ")
    assert not GoalAnswer.objects.filter(goal__sheet=sheet).exists()


def test_it_refuses_an_answer_that_is_neither_okay_nor_needs_clarification(
    sheet, supervisor, employee
):
    send(sheet, supervisor.user)

    with pytest.raises(WorkflowError, match="Choose “Okay” or “Needs Clarification”."):
        answer(sheet.goals.first(), employee.user, "maybe")


def test_it_refuses_answers_before_the_sheet_is_sent(sheet, employee):
    with pytest.raises(WorkflowError, match="This sheet is in Drafting; “Answer goals” is not"):
        answer(sheet.goals.first(), employee.user)


def test_it_refuses_to_submit_with_an_unanswered_goal(sheet, supervisor, employee):
    send(sheet, supervisor.user)
    answer(sheet.goals.get(position=1), employee.user)

    with pytest.raises(WorkflowError, match="Answer every goal first: 1 still without an answer."):
        submit(sheet, employee.user)
    assert fresh(sheet).state == S.EMPLOYEE_REVIEW


def test_it_submits_okay_answers_to_the_supervisor_for_signature(sheet, supervisor, employee):
    send(sheet, supervisor.user)
    for goal in sheet.goals.all():
        answer(goal, employee.user)

    submit(sheet, employee.user)

    assert fresh(sheet).state == S.SUPERVISOR_SIGNATURE
    event = last_event(sheet)
    assert (event.action, event.actor, event.from_state, event.to_state) == (
        "submit_answers",
        employee.user,
        S.EMPLOYEE_REVIEW,
        S.SUPERVISOR_SIGNATURE,
    )


def test_it_returns_a_sheet_with_a_flagged_goal_to_drafting(sheet, supervisor, employee):
    send(sheet, supervisor.user)
    answer(sheet.goals.get(position=1), employee.user, NEEDS_CLARIFICATION, "Which accounts?")
    answer(sheet.goals.get(position=2), employee.user)

    submit(sheet, employee.user)

    assert fresh(sheet).state == S.DRAFTING
    event = last_event(sheet)
    assert (event.action, event.from_state, event.to_state, event.note) == (
        "submit_answers",
        S.EMPLOYEE_REVIEW,
        S.DRAFTING,
        "1 goal needs clarification.",
    )


def test_the_supervisor_must_reply_on_each_flagged_goal_before_sending_again(
    sheet, supervisor, employee
):
    first, second = sheet.goals.order_by("position")
    send(sheet, supervisor.user)
    answer(first, employee.user, NEEDS_CLARIFICATION, "Which accounts count towards DSO?")
    answer(second, employee.user, NEEDS_CLARIFICATION, "Is $250,000 gross or net?")
    submit(sheet, employee.user)

    with pytest.raises(
        WorkflowError, match=r"Reply to the employee's clarification on 2 goals first."
    ):
        send(sheet, supervisor.user)

    save_draft(sheet, supervisor.user, replies={first.pk: "All accounts in your territory."})
    with pytest.raises(
        WorkflowError, match=r"Reply to the employee's clarification on 1 goal first."
    ):
        send(sheet, supervisor.user)

    save_draft(sheet, supervisor.user, replies={second.pk: "Net of refunds."})
    send(sheet, supervisor.user)

    sheet = fresh(sheet)
    assert (sheet.state, sheet.clarification_round) == (S.EMPLOYEE_REVIEW, 2)
    reply = GoalAnswer.objects.get(goal=first, round=1)
    assert (reply.reply, reply.replied_by) == ("All accounts in your territory.", supervisor.user)

    # The second round: the employee is satisfied this time.
    answer(first, employee.user)
    answer(second, employee.user)
    submit(sheet, employee.user)

    assert fresh(sheet).state == S.SUPERVISOR_SIGNATURE
    assert GoalAnswer.objects.filter(goal__sheet=sheet, round=2, answer=OKAY).count() == 2


def test_a_second_round_needs_every_goal_answered_again(sheet, supervisor, employee):
    first = sheet.goals.get(position=1)
    send(sheet, supervisor.user)
    answer(first, employee.user, NEEDS_CLARIFICATION, "Which accounts?")
    answer(sheet.goals.get(position=2), employee.user)
    submit(sheet, employee.user)
    save_draft(sheet, supervisor.user, replies={first.pk: "The 90+ day bucket."})
    send(sheet, supervisor.user)

    with pytest.raises(WorkflowError, match="Answer every goal first: 2 still without an answer."):
        submit(sheet, employee.user)


# Summary and signatures -------------------------------------------------------------------------


def test_the_supervisor_cannot_sign_without_the_summary(sheet, supervisor, advance):
    advance(sheet, S.SUPERVISOR_SIGNATURE)

    with pytest.raises(WorkflowError, match="Complete the summary"):
        sign(sheet, supervisor.user, "Sam Sutton")
    assert not Signature.objects.filter(sheet=sheet).exists()
    assert fresh(sheet).state == S.SUPERVISOR_SIGNATURE


def test_the_supervisor_signs_once_the_summary_is_written(sheet, supervisor, advance):
    advance(sheet, S.SUPERVISOR_SIGNATURE)
    services.sheet_save_summary(
        sheet_id=sheet.pk, actor=supervisor.user, version=fresh(sheet).version, values=SUMMARY
    )

    signature = sign(sheet, supervisor.user, "Sam Sutton")

    sheet = fresh(sheet)
    assert sheet.state == S.EMPLOYEE_SIGNATURE
    assert (signature.role, signature.signer, signature.typed_name) == (
        Role.SUPERVISOR,
        supervisor.user,
        "Sam Sutton",
    )
    assert signature.content_hash == content_hash(sheet)
    event = last_event(sheet)
    assert (event.action, event.actor, event.from_state, event.to_state) == (
        "sign_supervisor",
        supervisor.user,
        S.SUPERVISOR_SIGNATURE,
        S.EMPLOYEE_SIGNATURE,
    )


def test_it_refuses_a_signature_with_the_wrong_typed_name(sheet, supervisor, advance):
    advance(sheet, S.SUPERVISOR_SIGNATURE)
    services.sheet_save_summary(
        sheet_id=sheet.pk, actor=supervisor.user, version=fresh(sheet).version, values=SUMMARY
    )

    with pytest.raises(WorkflowError, match="Type your full name exactly as it appears"):
        sign(sheet, supervisor.user, "Emma Ellis")
    assert not Signature.objects.filter(sheet=sheet).exists()


def test_the_typed_name_ignores_case_and_extra_spaces(sheet, supervisor, advance):
    advance(sheet, S.SUPERVISOR_SIGNATURE)
    services.sheet_save_summary(
        sheet_id=sheet.pk, actor=supervisor.user, version=fresh(sheet).version, values=SUMMARY
    )

    signature = sign(sheet, supervisor.user, "  sam   SUTTON ")

    assert signature.typed_name == "sam   SUTTON"
    assert fresh(sheet).state == S.EMPLOYEE_SIGNATURE


def test_the_employee_must_acknowledge_to_sign(sheet, employee, advance):
    advance(sheet, S.EMPLOYEE_SIGNATURE)

    with pytest.raises(WorkflowError, match="Tick the acknowledgement to sign."):
        sign(sheet, employee.user, "Emma Ellis", acknowledged=False)
    assert fresh(sheet).state == S.EMPLOYEE_SIGNATURE
    assert live_signatures(sheet).count() == 1


def test_the_employee_signs_and_the_sheet_goes_to_hr(sheet, employee, advance):
    advance(sheet, S.EMPLOYEE_SIGNATURE)

    signature = sign(sheet, employee.user, "Emma Ellis", acknowledged=True)

    assert fresh(sheet).state == S.HR_REVIEW
    assert signature.role == Role.EMPLOYEE
    supervisor_signature = live_signatures(sheet).get(role=Role.SUPERVISOR)
    assert signature.content_hash == supervisor_signature.content_hash


def test_the_supervisor_reopens_for_changes_and_no_signature_stays_live(sheet, supervisor, hr,
                                                                        advance):
    # A legal path to a sheet with signatures in its past: both parties sign, HR returns it
    # (voiding both), the goals go round again to the supervisor's signature.
    advance(sheet, S.HR_REVIEW)
    services.sheet_return_to_supervisor(
        sheet_id=sheet.pk, actor=hr.user, version=fresh(sheet).version, note="Rework goal 2.")
    advance(sheet, S.SUPERVISOR_SIGNATURE)
    assert Signature.objects.filter(sheet=sheet).count() == 2 and not live_signatures(sheet)

    services.sheet_reopen(
        sheet_id=sheet.pk, actor=supervisor.user, version=fresh(sheet).version, note="Goal 2 text"
    )

    assert fresh(sheet).state == S.DRAFTING
    assert not live_signatures(sheet).exists()
    # The earlier signatures are kept, voided with the reason they were voided for.
    assert set(Signature.objects.filter(sheet=sheet).values_list("void_reason", flat=True)) == {
        "Returned to the supervisor by HR."}
    event = last_event(sheet)
    assert (event.action, event.actor, event.from_state, event.to_state, event.note) == (
        "reopen",
        supervisor.user,
        S.SUPERVISOR_SIGNATURE,
        S.DRAFTING,
        "Goal 2 text",
    )


def test_a_changed_summary_voids_nothing_that_was_not_signed_for_it(sheet, supervisor, advance):
    advance(sheet, S.SUPERVISOR_SIGNATURE)
    services.sheet_save_summary(sheet_id=sheet.pk, actor=supervisor.user,
                                version=fresh(sheet).version,
                                values={**SUMMARY, "milestones": "Q2: half of the target."})
    assert fresh(sheet).milestones == "Q2: half of the target."
    assert not Signature.objects.filter(sheet=sheet).exists()


def test_reopen_is_not_possible_once_the_supervisor_has_signed(sheet, supervisor, advance):
    advance(sheet, S.EMPLOYEE_SIGNATURE)

    with pytest.raises(WorkflowError, match="“Reopen for changes” is not possible now"):
        services.sheet_reopen(
            sheet_id=sheet.pk, actor=supervisor.user, version=fresh(sheet).version
        )


# HR review --------------------------------------------------------------------------------------


def test_a_smart_fail_needs_a_note(sheet, hr, advance):
    advance(sheet, S.HR_REVIEW)

    with pytest.raises(WorkflowError, match="Say in the note why the goal fails."):
        smart_check(sheet.goals.first(), hr.user, note=" ", measurable=False)
    assert not SmartCheck.objects.filter(goal__sheet=sheet).exists()


def test_a_smart_fail_is_recorded_with_its_note(sheet, hr, advance):
    advance(sheet, S.HR_REVIEW)

    check = smart_check(
        sheet.goals.first(), hr.user, note="No date to measure by.", time_bound=False
    )

    assert (check.passes, check.failed_criteria, check.note, check.checked_by) == (
        False,
        ["time_bound"],
        "No date to measure by.",
        hr.user,
    )


def test_hr_cannot_sign_with_an_unchecked_goal(sheet, hr, advance):
    advance(sheet, S.HR_REVIEW)
    smart_check(sheet.goals.get(position=1), hr.user)

    with pytest.raises(WorkflowError, match="1 not yet checked, 0 failing"):
        sign(sheet, hr.user, "Hana Hughes")
    assert fresh(sheet).state == S.HR_REVIEW
    assert fresh(sheet).locked_at is None


def test_hr_cannot_sign_with_a_failing_goal(sheet, hr, advance):
    advance(sheet, S.HR_REVIEW)
    smart_check(sheet.goals.get(position=1), hr.user)
    smart_check(sheet.goals.get(position=2), hr.user, note="Not achievable.", achievable=False)

    with pytest.raises(WorkflowError, match="0 not yet checked, 1 failing"):
        sign(sheet, hr.user, "Hana Hughes")
    assert not live_signatures(sheet).filter(role=Role.HR).exists()


def test_hr_cannot_sign_when_the_content_changed_after_the_signatures(sheet, hr, advance):
    advance(sheet, S.HR_REVIEW)
    for goal in sheet.goals.all():
        smart_check(goal, hr.user)
    goal = sheet.goals.get(position=2)
    goal.target = 300000  # behind the workflow's back, e.g. through the admin
    goal.save()

    with pytest.raises(WorkflowError, match="content no longer matches"):
        sign(sheet, hr.user, "Hana Hughes")


def test_hr_signing_locks_the_sheet_with_three_matching_signatures(sheet, hr, advance):
    advance(sheet, S.HR_REVIEW)
    for goal in sheet.goals.all():
        smart_check(goal, hr.user)

    signature = sign(sheet, hr.user, "Hana Hughes")

    sheet = fresh(sheet)
    assert sheet.state == S.SIGNED
    assert sheet.locked_at is not None
    signatures = live_signatures(sheet)
    assert sorted(s.role for s in signatures) == ["employee", "hr", "supervisor"]
    assert {s.content_hash for s in signatures} == {content_hash(sheet)}
    assert signature.role == Role.HR
    event = last_event(sheet)
    assert (event.action, event.actor, event.from_state, event.to_state) == (
        "sign_hr",
        hr.user,
        S.HR_REVIEW,
        S.SIGNED,
    )


def test_a_signed_sheet_cannot_be_signed_again(sheet, hr, advance):
    advance(sheet, S.SIGNED)

    with pytest.raises(WorkflowError, match="This sheet is in Signed; it cannot be signed now."):
        sign(sheet, hr.user, "Hana Hughes")
    assert Signature.objects.filter(sheet=sheet).count() == 3


def test_hr_return_needs_a_note(sheet, hr, advance):
    advance(sheet, S.HR_REVIEW)

    with pytest.raises(WorkflowError, match="Write a note telling the supervisor what to change."):
        services.sheet_return_to_supervisor(
            sheet_id=sheet.pk, actor=hr.user, version=fresh(sheet).version, note="  "
        )
    assert fresh(sheet).state == S.HR_REVIEW
    assert live_signatures(sheet).count() == 2


def test_hr_return_voids_every_signature_and_clears_the_smart_checks(sheet, hr, advance):
    advance(sheet, S.HR_REVIEW)
    smart_check(sheet.goals.get(position=1), hr.user)
    smart_check(sheet.goals.get(position=2), hr.user, note="Not measurable.", measurable=False)

    services.sheet_return_to_supervisor(
        sheet_id=sheet.pk, actor=hr.user, version=fresh(sheet).version, note="Rework goal 2."
    )

    assert fresh(sheet).state == S.DRAFTING
    assert not live_signatures(sheet).exists()
    assert set(Signature.objects.filter(sheet=sheet).values_list("void_reason", flat=True)) == {
        "Returned to the supervisor by HR."
    }
    assert not SmartCheck.objects.filter(goal__sheet=sheet).exists()
    event = last_event(sheet)
    assert (event.action, event.actor, event.from_state, event.to_state, event.note) == (
        "return_to_supervisor",
        hr.user,
        S.HR_REVIEW,
        S.DRAFTING,
        "Rework goal 2.",
    )


def test_a_returned_sheet_goes_round_again_and_is_signed_with_new_signatures(sheet, hr, advance):
    advance(sheet, S.HR_REVIEW)
    services.sheet_return_to_supervisor(
        sheet_id=sheet.pk, actor=hr.user, version=fresh(sheet).version, note="Rework goal 2."
    )

    advance(sheet, S.SIGNED)

    assert fresh(sheet).state == S.SIGNED
    assert Signature.objects.filter(sheet=sheet).count() == 5
    assert live_signatures(sheet).count() == 3
    assert fresh(sheet).clarification_round == 2


# Events, roles and versions ---------------------------------------------------------------------


def test_every_transition_writes_an_event_with_actor_and_states(
    employee, supervisor, hr, period, advance
):
    sheet = services.sheet_start(actor=supervisor.user, employee=employee, period=period)
    GoalFactory(sheet=sheet)

    advance(sheet, S.SIGNED)

    events = [
        (e.action, e.actor.username, e.from_state, e.to_state)
        for e in ReviewEvent.objects.filter(sheet=sheet).order_by("at", "id")
    ]
    assert events == [
        ("start", "sam", "", S.DRAFTING),
        ("send_to_employee", "sam", S.DRAFTING, S.EMPLOYEE_REVIEW),
        ("submit_answers", "emma", S.EMPLOYEE_REVIEW, S.SUPERVISOR_SIGNATURE),
        ("sign_supervisor", "sam", S.SUPERVISOR_SIGNATURE, S.EMPLOYEE_SIGNATURE),
        ("sign_employee", "emma", S.EMPLOYEE_SIGNATURE, S.HR_REVIEW),
        ("sign_hr", "hana", S.HR_REVIEW, S.SIGNED),
    ]


def test_steps_inside_a_state_write_no_event(sheet, supervisor, employee):
    save_draft(sheet, supervisor.user, {"action_plans": "Backlog first."})
    send(sheet, supervisor.user)
    events = ReviewEvent.objects.filter(sheet=sheet).count()

    answer(sheet.goals.first(), employee.user)

    assert ReviewEvent.objects.filter(sheet=sheet).count() == events


def _send(sheet, actor):
    send(sheet, actor)


def _submit(sheet, actor):
    submit(sheet, actor)


def _sign(sheet, actor):
    sign(sheet, actor, actor.get_full_name(), acknowledged=True)


def _reopen(sheet, actor):
    services.sheet_reopen(sheet_id=sheet.pk, actor=actor, version=fresh(sheet).version)


def _answer(sheet, actor):
    answer(sheet.goals.first(), actor)


def _smart(sheet, actor):
    smart_check(sheet.goals.first(), actor)


def _return(sheet, actor):
    services.sheet_return_to_supervisor(
        sheet_id=sheet.pk, actor=actor, version=fresh(sheet).version, note="Because."
    )


def _edit(sheet, actor):
    save_draft(sheet, actor, {"action_plans": "Mine now."})


@pytest.mark.parametrize(
    ("state", "persona", "act", "sentence"),
    [
        (S.DRAFTING, "employee", _send, "Only the employee's supervisor may “send to employee”"),
        (S.DRAFTING, "manager", _send, "Only the employee's supervisor may “send to employee”"),
        (S.DRAFTING, "other_supervisor", _edit, "Only the employee's supervisor may “edit goals”"),
        (S.DRAFTING, "hr", _send, "Only the employee's supervisor may “send to employee”"),
        (S.EMPLOYEE_REVIEW, "supervisor", _answer, "Only the employee may “answer goals”"),
        (S.EMPLOYEE_REVIEW, "supervisor", _submit, "Only the employee may “submit answers”"),
        (S.EMPLOYEE_REVIEW, "other_employee", _submit, "Only the employee may “submit answers”"),
        (
            S.SUPERVISOR_SIGNATURE,
            "employee",
            _sign,
            "Only the employee's supervisor may “sign as supervisor”",
        ),
        (S.SUPERVISOR_SIGNATURE, "hr", _reopen, "Only the employee's supervisor may “reopen"),
        (S.EMPLOYEE_SIGNATURE, "supervisor", _sign, "Only the employee may “sign as employee”"),
        (S.EMPLOYEE_SIGNATURE, "manager", _sign, "Only the employee may “sign as employee”"),
        (S.HR_REVIEW, "supervisor", _smart, "Only Human Resources may “smart review”"),
        (S.HR_REVIEW, "employee", _sign, "Only Human Resources may “sign for hr”"),
        (S.HR_REVIEW, "employee", _return, "Only Human Resources may “return to supervisor”"),
    ],
)
def test_a_wrong_role_is_forbidden_with_a_sentence(
    request, sheet, advance, state, persona, act, sentence
):
    advance(sheet, state)
    actor = request.getfixturevalue(persona).user
    before = fresh(sheet)

    with pytest.raises(ActionForbidden) as refused:
        act(sheet, actor)

    assert str(refused.value).startswith(sentence)
    assert str(refused.value).endswith("on this sheet.")
    after = fresh(sheet)
    assert (after.state, after.version) == (before.state, before.version)


def test_a_stale_draft_save_is_refused_and_the_first_save_stands(sheet, supervisor):
    seen = fresh(sheet).version
    save_draft(sheet, supervisor.user, {"action_plans": "Sam's plan."}, version=seen)

    with pytest.raises(StaleVersion, match="changed meanwhile"):
        save_draft(sheet, supervisor.user, {"action_plans": "An older tab's plan."}, version=seen)

    assert fresh(sheet).action_plans == "Sam's plan."


def test_a_stale_send_is_refused(sheet, supervisor):
    seen = fresh(sheet).version
    save_draft(sheet, supervisor.user, {"milestones": "Quarterly."})

    with pytest.raises(StaleVersion, match="changed meanwhile"):
        services.sheet_send_to_employee(sheet_id=sheet.pk, actor=supervisor.user, version=seen)
    assert fresh(sheet).state == S.DRAFTING


def test_a_stale_signature_is_refused(sheet, supervisor, advance):
    advance(sheet, S.SUPERVISOR_SIGNATURE)
    seen = fresh(sheet).version
    services.sheet_save_summary(
        sheet_id=sheet.pk, actor=supervisor.user, version=seen, values=SUMMARY
    )

    with pytest.raises(StaleVersion, match="changed meanwhile"):
        services.sheet_sign(
            sheet_id=sheet.pk, actor=supervisor.user, version=seen, typed_name="Sam Sutton",
            evidence=signing_evidence(),
        )
    assert not Signature.objects.filter(sheet=sheet).exists()


def test_an_hr_member_never_hr_reviews_their_own_sheet(hr, supervisor, period, advance):
    hr.supervisor = supervisor
    hr.save()
    own_sheet = GoalSheetFactory(employee=hr, period=period)
    GoalFactory(sheet=own_sheet)
    colleague = EmployeeFactory(user__username="harriet", full_name="Harriet Hale")
    colleague.user.groups.add(Group.objects.get(name=HR_GROUP))

    advance(own_sheet, S.HR_REVIEW, hr_user=colleague.user)

    assert Role.HR not in roles_of(hr.user, own_sheet)
    with pytest.raises(ActionForbidden, match="Only Human Resources may “smart review”"):
        smart_check(own_sheet.goals.first(), hr.user)
    with pytest.raises(ActionForbidden, match="Only Human Resources may “sign for hr”"):
        sign(own_sheet, hr.user, "Hana Hughes")
    with pytest.raises(ActionForbidden, match="Only Human Resources may “return to supervisor”"):
        _return(own_sheet, hr.user)
    assert not SmartCheck.objects.filter(goal__sheet=own_sheet).exists()

    advance(own_sheet, S.SIGNED, hr_user=colleague.user)
    assert live_signatures(own_sheet).get(role=Role.HR).signer == colleague.user
