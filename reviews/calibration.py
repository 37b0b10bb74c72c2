"""Calibration (docs/calibration.md): HR, and a manager for their line, adjust the rating that
stands on a closing review in CALIBRATION, always with a reason, each adjustment an event in the
sheet's timeline; and HR's target distribution of ratings. Releasing for signatures is
reviews.closing.closing_release_for_signatures. An adjustment takes the closing review's own
steps (lock_review, _touch, _event): the same lock, version bump and timeline event as every
closing action."""

from django.db import transaction
from django.utils import timezone

from goalsapp.access import may_configure_ratings
from goalsapp.models import LONG_TEXT_MAX

from .calibration_models import RatingTarget
from .closing import _event, _touch, active_levels, lock_review
from .closing_models import ClosingReview, RatingLevel, RatingScale
from .workflow import ActionForbidden, WorkflowError, require


def level_label(level: RatingLevel | None) -> str:
    return f"{level.value} — {level.label}" if level is not None else "no rating"


def closing_adjust_rating(*, review_id: int, actor, level_id: int | None, reason: str,
                          version: int) -> ClosingReview:
    """Sets the rating that stands to `level_id` (a level of the active scale, not the current
    one), with the actor's reason; the timeline's event names both levels and the reason. The
    proposed rating stays as the supervisor proposed it."""
    reason = (reason or "").strip()
    with transaction.atomic():
        review = lock_review(review_id, version)
        require(actor, review, "adjust_rating")
        if not reason:
            raise WorkflowError("Say why you adjust the rating.")
        if len(reason) > LONG_TEXT_MAX:
            raise WorkflowError(f"Keep the reason under {LONG_TEXT_MAX:,} characters.")
        level = active_levels().filter(pk=level_id).first() if level_id is not None else None
        if level is None:
            raise WorkflowError("Choose a rating on the current scale.")
        if level.pk == review.rating_id:
            raise WorkflowError(f"The rating is already {level_label(level)}; choose another "
                                "level to adjust it.")
        before = level_label(review.rating)
        review.rating = level
        _touch(review, ["rating"])
        _event(review, actor, "adjust_rating", review.state,
               f"{before} → {level_label(level)}: {reason}")
    return review


class TargetsInvalid(WorkflowError):
    """The shares HR typed do not make a distribution; `errors` says which field and why."""

    def __init__(self, errors: dict[int | None, str]):
        super().__init__(" ".join(errors.values()))
        self.errors = errors


def target_problems(levels: list[RatingLevel], shares: dict[int, int | None]
                    ) -> dict[int | None, str]:
    """Why `shares` (level id → whole percent, None for empty) is not a target distribution:
    by level id, and None for the whole. Every level empty means "no target"."""
    problems: dict[int | None, str] = {}
    given = {level.pk: shares.get(level.pk) for level in levels}
    if all(share is None for share in given.values()):
        return problems
    for level in levels:
        share = given[level.pk]
        if share is None:
            problems[level.pk] = "Give a share for every level, or leave every level empty."
        elif not 0 <= share <= 100:
            problems[level.pk] = "A share is between 0 and 100 %."
    if not problems and (total := sum(given.values())) != 100:
        problems[None] = f"The shares total {total} %; they must total 100 %."
    return problems


def calibration_targets_save(*, actor, shares: dict[int, int | None]) -> RatingScale:
    """HR's target distribution for the active scale: a share per level totalling 100, or none
    at all (every level empty)."""
    if not may_configure_ratings(actor):
        raise ActionForbidden("The target distribution is set by Human Resources.")
    with transaction.atomic():
        scale = RatingScale.objects.select_for_update().filter(is_active=True).first()
        if scale is None:
            raise WorkflowError("Set up the rating scale first.")
        levels = list(scale.levels.all())
        if problems := target_problems(levels, shares):
            raise TargetsInvalid(problems)
        RatingTarget.objects.filter(level__scale=scale).delete()
        if shares and all(shares.get(level.pk) is not None for level in levels):
            RatingTarget.objects.bulk_create([
                RatingTarget(level=level, share=shares[level.pk], updated_by=actor,
                             updated_at=timezone.now()) for level in levels])
    return scale
