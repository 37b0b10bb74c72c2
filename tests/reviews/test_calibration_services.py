"""Calibration's services: adjusting the rating that stands (who, when, on which scale, with
which reason, against which version) and the event it leaves; HR's target distribution."""

import pytest

from reviews import calibration
from reviews.calibration_models import RatingTarget
from reviews.closing_models import ClosingReview, RatingLevel, RatingScale
from reviews.closing_states import ClosingState
from reviews.models import ReviewEvent
from reviews.workflow import ActionForbidden, StaleVersion, WorkflowError
from tests.calibration_helpers import level, review_in_calibration
from tests.closing_helpers import advance_closing

pytestmark = pytest.mark.django_db
C = ClosingState


@pytest.fixture
def review(employee, period, hr):
    return review_in_calibration(employee, period, proposed=3, hr_user=hr.user)


def _adjust(review, actor, value=4, reason="Beat the DSO target by a week.", version=None):
    return calibration.closing_adjust_rating(
        review_id=review.pk, actor=actor, level_id=level(value).pk if value else None,
        reason=reason, version=review.version if version is None else version)


def test_hr_adjusts_the_rating_and_the_timeline_says_from_what_to_what_and_why(review, hr):
    _adjust(review, hr.user)

    review.refresh_from_db()
    assert review.rating == level(4)
    assert review.proposed_rating == level(3)  # the supervisor's proposal is kept
    event = ReviewEvent.objects.filter(sheet=review.sheet, action="adjust_rating").get()
    assert event.actor == hr.user
    assert event.from_state == event.to_state == C.CALIBRATION
    assert event.note == ("3 — Meets expectations → 4 — Exceeds expectations: "
                          "Beat the DSO target by a week.")


def test_the_manager_of_the_line_adjusts_too(review, manager):
    _adjust(review, manager.user, value=2, reason="Missed the call targets twice.")
    review.refresh_from_db()
    assert review.rating == level(2)


@pytest.mark.parametrize("persona", ["employee", "supervisor", "other_supervisor",
                                     "other_employee"])
def test_nobody_else_adjusts(review, request, persona):
    person = request.getfixturevalue(persona)
    with pytest.raises(ActionForbidden, match="Only Human Resources or a manager"):
        _adjust(review, person.user)
    review.refresh_from_db()
    assert review.rating == level(3)
    assert not ReviewEvent.objects.filter(action="adjust_rating").exists()


def test_an_admin_who_is_not_hr_does_not_adjust(review, admin):
    with pytest.raises(ActionForbidden):
        _adjust(review, admin)


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_required(review, hr, reason):
    with pytest.raises(WorkflowError, match="Say why"):
        _adjust(review, hr.user, reason=reason)
    review.refresh_from_db()
    assert review.rating == level(3)


def test_the_level_must_be_on_the_active_scale_and_not_the_current_one(review, hr):
    old = RatingScale.active()
    old.is_active = False
    old.save()
    other = RatingScale.objects.create(name="Three steps")
    foreign = RatingLevel.objects.create(scale=other, value=9, label="Nine")
    with pytest.raises(WorkflowError, match="current scale"):
        calibration.closing_adjust_rating(review_id=review.pk, actor=hr.user,
                                          level_id=level_on(old, 4).pk, reason="x",
                                          version=review.version)
    other.is_active = False
    other.save()
    old.is_active = True
    old.save()
    with pytest.raises(WorkflowError, match="current scale"):
        calibration.closing_adjust_rating(review_id=review.pk, actor=hr.user,
                                          level_id=foreign.pk, reason="x",
                                          version=review.version)
    with pytest.raises(WorkflowError, match="already 3 — Meets expectations"):
        _adjust(review, hr.user, value=3)


def level_on(scale, value):
    return scale.levels.get(value=value)


def test_only_in_calibration(review, hr):
    released = advance_closing(review, C.SUPERVISOR_SIGNATURE, hr_user=hr.user)
    with pytest.raises(WorkflowError, match="not possible now"):
        _adjust(released, hr.user)
    assert ClosingReview.objects.get(pk=review.pk).rating == level(3)


def test_a_stale_version_is_refused(review, hr, manager):
    seen = review.version
    _adjust(review, manager.user, value=2, reason="Missed the call targets.")
    with pytest.raises(StaleVersion):
        _adjust(review, hr.user, value=4, version=seen)
    review.refresh_from_db()
    assert review.rating == level(2)


def test_hr_releases_the_adjusted_rating_for_signatures(review, hr):
    from reviews import closing
    _adjust(review, hr.user)
    review.refresh_from_db()
    closing.closing_release_for_signatures(review_id=review.pk, actor=hr.user,
                                           version=review.version)
    review.refresh_from_db()
    assert review.state == C.SUPERVISOR_SIGNATURE and review.rating == level(4)


# The target distribution ------------------------------------------------------------------------

def _shares(*values):
    levels = RatingScale.active().levels.order_by("value")
    return {lvl.pk: value for lvl, value in zip(levels, values, strict=True)}


def test_targets_total_100_and_are_replaced_or_cleared(hr, db):
    calibration.calibration_targets_save(actor=hr.user, shares=_shares(5, 15, 50, 20, 10))
    assert sorted(RatingTarget.objects.values_list("share", flat=True)) == [5, 10, 15, 20, 50]
    calibration.calibration_targets_save(actor=hr.user, shares=_shares(10, 20, 40, 20, 10))
    assert RatingTarget.objects.get(level=level(3)).share == 40
    calibration.calibration_targets_save(actor=hr.user,
                                         shares=_shares(None, None, None, None, None))
    assert not RatingTarget.objects.exists()


@pytest.mark.parametrize("values, expected", [
    ((5, 15, 50, 20, 20), {None: "The shares total 110 %; they must total 100 %."}),
    ((5, None, 50, 20, 25), {"level2": "Give a share for every level, or leave every level "
                                       "empty."}),
    ((5, 15, 150, -50, -20), {"level3": "A share is between 0 and 100 %."}),
])
def test_targets_that_make_no_distribution_are_refused(hr, db, values, expected):
    with pytest.raises(calibration.TargetsInvalid) as refused:
        calibration.calibration_targets_save(actor=hr.user, shares=_shares(*values))
    errors = {(f"level{RatingLevel.objects.get(pk=key).value}" if key else None): message
              for key, message in refused.value.errors.items()}
    for key, message in expected.items():
        assert errors[key] == message
    assert not RatingTarget.objects.exists()


def test_only_hr_sets_targets(supervisor, manager, admin, db):
    for user in (supervisor.user, manager.user, admin):
        with pytest.raises(ActionForbidden):
            calibration.calibration_targets_save(actor=user, shares=_shares(20, 20, 20, 20, 20))
    assert not RatingTarget.objects.exists()
