"""Drives a closing review through the real services (reviews.closing) to a given state, for any
test that needs a review further along: service, view and browser tests alike."""

from goalsapp.models import GoalSheet, SheetState
from reviews import closing
from reviews.closing_models import ClosingReview, RatingScale
from reviews.closing_states import ClosingState
from tests.workflow_helpers import advance, hr_reviewer_for, signing_evidence, typed_name_of

C = ClosingState
ORDER = (C.SELF_ASSESSMENT, C.SUPERVISOR_ASSESSMENT, C.CALIBRATION, C.SUPERVISOR_SIGNATURE,
         C.EMPLOYEE_SIGNATURE, C.HR_REVIEW, C.CLOSED)
SELF = "I kept the weekly call blocks; the large accounts took longer than planned."
ASSESSED = "Steady work on the portfolio; the 90+ bucket came down as agreed."


def middle_level():
    levels = list(RatingScale.active().levels.order_by("value"))
    return levels[len(levels) // 2]


def open_closing(sheet: GoalSheet, *, hr_user=None) -> ClosingReview:
    """The sheet's goals signed (if not yet) and its closing review opened by HR."""
    advance(sheet, SheetState.SIGNED, hr_user=hr_user)
    reviewer = hr_user or hr_reviewer_for(sheet)
    return closing.closing_open(sheet_id=sheet.pk, actor=reviewer)


def _fresh(review_id: int) -> ClosingReview:
    return ClosingReview.objects.select_related("sheet__employee__user",
                                                "sheet__employee__supervisor__user").get(
        pk=review_id)


def _step(review: ClosingReview, hr_user) -> None:
    sheet = review.sheet
    employee, supervisor = sheet.employee.user, sheet.employee.supervisor.user
    hr_user = hr_user or hr_reviewer_for(sheet)
    goal_ids = list(review.results.values_list("goal_id", flat=True))
    if review.state == C.SELF_ASSESSMENT:
        closing.closing_save_self_assessment(
            review_id=review.pk, actor=employee, overall=SELF,
            per_goal=dict.fromkeys(goal_ids, SELF))
        closing.closing_submit_self_assessment(review_id=review.pk, actor=employee,
                                               version=_fresh(review.pk).version)
    elif review.state == C.SUPERVISOR_ASSESSMENT:
        closing.closing_save_assessment(
            review_id=review.pk, actor=supervisor, version=review.version, overall=ASSESSED,
            per_goal=dict.fromkeys(goal_ids, ASSESSED),
            proposed_rating_id=review.proposed_rating_id or middle_level().pk, overrides={})
        closing.closing_submit_assessment(review_id=review.pk, actor=supervisor,
                                          version=_fresh(review.pk).version)
    elif review.state == C.CALIBRATION:
        closing.closing_release_for_signatures(review_id=review.pk, actor=hr_user)
    else:
        signer = {C.SUPERVISOR_SIGNATURE: supervisor, C.EMPLOYEE_SIGNATURE: employee,
                  C.HR_REVIEW: hr_user}[review.state]
        closing.closing_sign(review_id=review.pk, actor=signer, version=review.version,
                             typed_name=typed_name_of(signer), evidence=signing_evidence(),
                             acknowledged=True)


def advance_closing(review: ClosingReview, to_state, *, hr_user=None) -> ClosingReview:
    """Moves the review forward to `to_state` as the employee, supervisor and HR would: every
    text written, the middle rating proposed, names typed. Returns it fresh."""
    target = ClosingState(to_state)
    current = _fresh(review.pk)
    if ORDER.index(ClosingState(current.state)) > ORDER.index(target):
        raise ValueError(f"The review is already in {current.state}, past {target}.")
    while current.state != target:
        _step(current, hr_user)
        current = _fresh(review.pk)
    return current
