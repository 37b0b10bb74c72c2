"""The closing review's services: opening, grades, both assessments, calibration release, the
three signatures bound to the closing content, and the lock once HR signs."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import IntegrityError

from config.celery import app
from goalsapp import services as goals
from goalsapp.attainment import Grade
from goalsapp.models import SheetState
from reviews import closing
from reviews.closing_models import ClosingLocked, ClosingReview, GoalResult
from reviews.closing_states import ClosingState
from reviews.models import ReviewEvent
from reviews.tasks import open_due_closing_reviews
from reviews.workflow import ActionForbidden, WorkflowError
from tests.closing_helpers import advance_closing, middle_level, open_closing
from tests.workflow_helpers import signing_evidence, typed_name_of

C = ClosingState


def _record(sheet, user, actuals):
    for goal, actual in zip(sheet.goals.order_by("position"), actuals, strict=True):
        if actual is not None:
            goals.progress_entry_add(goal_id=goal.pk, actor=user, as_of=datetime.date(2027, 6, 1),
                                     actual=Decimal(actual), today=datetime.date(2027, 6, 2))


def test_opening_grades_each_goal_by_the_attainment_rule(sheet, advance, hr, supervisor):
    advance(sheet, SheetState.SIGNED)
    # DSO from 52 to 45: at 46 the goal is 6/7 of the way (partly); nothing recorded on goal 2.
    _record(sheet, supervisor.user, ["46", None])
    review = closing.closing_open(sheet_id=sheet.pk, actor=hr.user)
    results = list(review.results.order_by("goal__position"))
    assert [r.computed_grade for r in results] == [Grade.PARTLY_ACHIEVED, Grade.NOT_ACHIEVED]
    assert results[0].final_actual == Decimal("46") and results[1].final_actual is None
    assert review.state == C.SELF_ASSESSMENT
    assert ReviewEvent.objects.filter(sheet=sheet, action="open_closing").count() == 1
    # Opening twice changes nothing.
    assert closing.closing_open(sheet_id=sheet.pk, actor=hr.user).pk == review.pk


def test_only_a_signed_sheet_is_closed_and_only_hr_opens_it_early(sheet, advance, hr,
                                                                   supervisor):
    with pytest.raises(WorkflowError, match="HR has signed"):
        closing.closing_open(sheet_id=sheet.pk, actor=hr.user)
    advance(sheet, SheetState.SIGNED)
    with pytest.raises(ActionForbidden):
        closing.closing_open(sheet_id=sheet.pk, actor=supervisor.user)
    assert not ClosingReview.objects.exists()


def test_the_period_end_opens_every_signed_sheet_once(sheet, advance, period):
    advance(sheet, SheetState.SIGNED)
    assert closing.closing_open_due(today=period.ends_on) == 0
    assert closing.closing_open_due(today=period.ends_on + datetime.timedelta(days=1)) == 1
    assert closing.closing_open_due(today=period.ends_on + datetime.timedelta(days=2)) == 0
    review = sheet.closing
    assert review.opened_by is None


def test_weighted_score_is_shown_only_when_weights_total_100(sheet, advance, hr, supervisor):
    first, second = sheet.goals.order_by("position")
    first.weight, second.weight = 40, 60
    first.save()
    second.save()
    advance(sheet, SheetState.SIGNED)
    _record(sheet, supervisor.user, ["45", "125000"])  # 100 % and 50 %
    review = closing.closing_open(sheet_id=sheet.pk, actor=hr.user)
    assert review.weighted_score == Decimal("0.7")


def test_the_employee_submits_only_with_every_self_assessment(sheet, hr, employee):
    review = open_closing(sheet, hr_user=hr.user)
    goal_ids = list(review.results.values_list("goal_id", flat=True))
    closing.closing_save_self_assessment(review_id=review.pk, actor=employee.user,
                                         overall="", per_goal={goal_ids[0]: "Done."})
    review.refresh_from_db()
    with pytest.raises(WorkflowError, match="1 still without one"):
        closing.closing_submit_self_assessment(review_id=review.pk, actor=employee.user,
                                               version=review.version)
    with pytest.raises(ActionForbidden):
        closing.closing_save_self_assessment(review_id=review.pk, actor=hr.user, overall="x",
                                             per_goal={})


def test_an_override_needs_a_reason_and_keeps_the_computed_grade(sheet, hr, supervisor):
    review = advance_closing(open_closing(sheet, hr_user=hr.user), C.SUPERVISOR_ASSESSMENT)
    goal_id = review.results.first().goal_id
    with pytest.raises(WorkflowError, match="Say why"):
        closing.closing_save_assessment(
            review_id=review.pk, actor=supervisor.user, version=review.version, overall="",
            per_goal={}, proposed_rating_id=None,
            overrides={goal_id: closing.Override(Grade.ACHIEVED, " ")})
    closing.closing_save_assessment(
        review_id=review.pk, actor=supervisor.user, version=review.version, overall="",
        per_goal={}, proposed_rating_id=None,
        overrides={goal_id: closing.Override(Grade.ACHIEVED, "Met once the disputes cleared.")})
    result = GoalResult.objects.get(goal_id=goal_id)
    assert result.grade == Grade.ACHIEVED and result.computed_grade == Grade.NOT_ACHIEVED
    assert result.overridden_by == supervisor.user
    assert ReviewEvent.objects.filter(action="override_grade",
                                      note__contains="disputes cleared").exists()


def test_the_assessment_needs_a_rating_on_the_active_scale(sheet, hr, supervisor):
    review = advance_closing(open_closing(sheet, hr_user=hr.user), C.SUPERVISOR_ASSESSMENT)
    with pytest.raises(WorkflowError, match="current scale"):
        closing.closing_save_assessment(review_id=review.pk, actor=supervisor.user,
                                        version=review.version, overall="", per_goal={},
                                        proposed_rating_id=987654, overrides={})
    with pytest.raises(WorkflowError, match="Propose a rating"):
        closing.closing_submit_assessment(review_id=review.pk, actor=supervisor.user,
                                          version=review.version)


def test_submitting_the_assessment_goes_to_calibration_with_the_proposed_rating(sheet, hr):
    review = advance_closing(open_closing(sheet, hr_user=hr.user), C.CALIBRATION)
    assert review.rating_id == review.proposed_rating_id == middle_level().pk


def test_a_stale_version_is_refused(sheet, hr, supervisor):
    review = advance_closing(open_closing(sheet, hr_user=hr.user), C.SUPERVISOR_ASSESSMENT)
    with pytest.raises(WorkflowError, match="changed meanwhile"):
        closing.closing_submit_assessment(review_id=review.pk, actor=supervisor.user,
                                          version=review.version - 1)


def test_hr_releases_many_and_hears_about_each_refusal(sheet, hr):
    review = advance_closing(open_closing(sheet, hr_user=hr.user), C.CALIBRATION)
    released, refusals = closing.closing_release_many(review_ids=[review.pk, review.pk],
                                                      actor=hr.user)
    assert released == 1 and "not possible now" in refusals[0]


def test_three_signatures_close_and_lock_the_review(sheet, hr, employee):
    review = advance_closing(open_closing(sheet, hr_user=hr.user), C.CLOSED, hr_user=hr.user)
    assert review.closed_at is not None
    assert review.signatures.filter(voided_at__isnull=True).count() == 3
    assert len({s.content_hash for s in review.signatures.all()}) == 1
    # The goals stay exactly as signed.
    sheet.refresh_from_db()
    assert sheet.state == SheetState.SIGNED
    with pytest.raises(ClosingLocked):
        review.save()
    with pytest.raises(ClosingLocked):
        GoalResult.objects.filter(review=review).update(self_assessment="changed")
    with pytest.raises(ClosingLocked):
        review.results.first().save()


def test_the_employee_must_acknowledge_and_type_their_name(sheet, hr, employee):
    review = advance_closing(open_closing(sheet, hr_user=hr.user), C.EMPLOYEE_SIGNATURE)
    with pytest.raises(WorkflowError, match="acknowledgement"):
        closing.closing_sign(review_id=review.pk, actor=employee.user, version=review.version,
                             typed_name=typed_name_of(employee.user),
                             evidence=signing_evidence())
    with pytest.raises(WorkflowError, match="full name"):
        closing.closing_sign(review_id=review.pk, actor=employee.user, version=review.version,
                             typed_name="Someone Else", evidence=signing_evidence(),
                             acknowledged=True)


def test_signing_needs_a_recent_sign_in(sheet, hr, supervisor):
    review = advance_closing(open_closing(sheet, hr_user=hr.user), C.SUPERVISOR_SIGNATURE)
    stale = signing_evidence(authenticated_at=None)
    with pytest.raises(WorkflowError, match="Confirm it is you"):
        closing.closing_sign(review_id=review.pk, actor=supervisor.user, version=review.version,
                             typed_name=typed_name_of(supervisor.user), evidence=stale)


def test_hr_returning_the_review_voids_its_signatures(sheet, hr):
    review = advance_closing(open_closing(sheet, hr_user=hr.user), C.HR_REVIEW)
    with pytest.raises(WorkflowError, match="Write a note"):
        closing.closing_return(review_id=review.pk, actor=hr.user, version=review.version, note="")
    closing.closing_return(review_id=review.pk, actor=hr.user, version=review.version,
                           note="The rating needs a word on goal 2.")
    review.refresh_from_db()
    assert review.state == C.SUPERVISOR_ASSESSMENT
    assert not review.signatures.filter(voided_at__isnull=True).exists()


def test_hr_refuses_to_sign_when_the_content_changed_after_the_signatures(sheet, hr):
    review = advance_closing(open_closing(sheet, hr_user=hr.user), C.HR_REVIEW)
    ClosingReview.objects.filter(pk=review.pk).update(supervisor_assessment="Rewritten later.")
    review.refresh_from_db()
    with pytest.raises(WorkflowError, match="no longer matches"):
        closing.closing_sign(review_id=review.pk, actor=hr.user, version=review.version,
                             typed_name=typed_name_of(hr.user), evidence=signing_evidence())


def test_the_database_refuses_to_change_a_closed_review(sheet, hr, postgresql_only):
    review = advance_closing(open_closing(sheet, hr_user=hr.user), C.CLOSED, hr_user=hr.user)
    with (pytest.raises(IntegrityError, match="signed record"), transaction.atomic(),
          connection.cursor() as cursor):
        cursor.execute("UPDATE reviews_goalresult SET self_assessment = 'x' WHERE review_id = %s",
                       [review.pk])


def test_the_nightly_task_and_its_command_open_due_reviews(sheet, advance, period):
    assert app.conf.beat_schedule["open-due-closing-reviews"]["task"] == \
        open_due_closing_reviews.name
    advance(sheet, SheetState.SIGNED)
    out = StringIO()
    call_command("open_closing_reviews", "--today", period.ends_on.isoformat(), stdout=out)
    assert out.getvalue().strip() == "0 closing reviews opened."
    call_command("open_closing_reviews", "--today",
                 (period.ends_on + datetime.timedelta(days=1)).isoformat(), stdout=out)
    assert "1 closing review opened." in out.getvalue()
