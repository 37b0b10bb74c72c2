"""What the calibration page shows: the closing reviews a user may calibrate in a period (HR:
all; a manager: their line), which of them the user may adjust now, HR's target distribution,
and the distribution of ratings (proposed and standing) per group against it."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet

from goalsapp.access import calibration_scope
from goalsapp.models import GoalSheet, ReviewPeriod

from .calibration_models import RatingTarget
from .closing_figures import ReviewFacts, period_reviews
from .closing_models import ClosingReview, RatingLevel, RatingScale
from .closing_states import ClosingState
from .workflow import action_named, sheets_where_role

C = ClosingState
# Calibration shows reviews from the moment a rating is proposed; past CALIBRATION, read-only.
CALIBRATED_STATES = (C.CALIBRATION, C.SUPERVISOR_SIGNATURE, C.EMPLOYEE_SIGNATURE, C.HR_REVIEW,
                     C.CLOSED)
# A group is off target when a level's standing share is more than this many points from its
# target share.
OFF_TARGET_POINTS = Decimal(10)
TENTH = Decimal("0.1")


def calibration_reviews(user, period: ReviewPeriod) -> QuerySet[ClosingReview]:
    """The period's reviews in calibration or past it that `user` may calibrate or read."""
    return period_reviews(user, period, calibration_scope(user)).filter(
        state__in=CALIBRATED_STATES)


def adjustable_ids(user, reviews: QuerySet[ClosingReview]) -> set[int]:
    """Which of `reviews` the user may adjust now: in CALIBRATION, on a sheet where they hold a
    role the workflow table lets adjust (the table's query form, one query for the page)."""
    where = Q(pk__in=[])
    for role in {action.actor for action in action_named("adjust_rating")}:
        where |= sheets_where_role(user, role)
    return set(reviews.filter(state=C.CALIBRATION, sheet__in=GoalSheet.objects.filter(where))
               .values_list("pk", flat=True))


def levels_of(scale: RatingScale | None) -> list[RatingLevel]:
    return list(scale.levels.order_by("value")) if scale else []


def targets_of(levels: list[RatingLevel]) -> dict[int, int] | None:
    """Level id → target share, when every level has one and they total 100; else None."""
    targets = dict(RatingTarget.objects.filter(level__in=levels)
                   .values_list("level_id", "share"))
    if not levels or len(targets) != len(levels) or sum(targets.values()) != 100:
        return None
    return targets


def share(count: int, total: int) -> Decimal | None:
    """count of total as a percentage with one decimal (1 of 3 → 33.3)."""
    if not total:
        return None
    return (Decimal(count) * 100 / total).quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass
class LevelShare:
    level: RatingLevel
    proposed: int
    current: int
    total: int
    target: int | None

    @property
    def proposed_share(self) -> Decimal | None:
        return share(self.proposed, self.total)

    @property
    def current_share(self) -> Decimal | None:
        return share(self.current, self.total)

    @property
    def off_target(self) -> bool:
        return (self.target is not None and self.total > 0
                and abs(self.current_share - self.target) > OFF_TARGET_POINTS)


@dataclass
class GroupDistribution:
    key: str
    label: str
    total: int
    levels: list[LevelShare] = field(default_factory=list)

    @property
    def off_target(self) -> bool:
        return any(level.off_target for level in self.levels)


def _distribution(key, label, facts: list[ReviewFacts], levels, targets) -> GroupDistribution:
    total = len(facts)
    return GroupDistribution(key, label, total, [
        LevelShare(level, sum(1 for f in facts if f.proposed == level),
                   sum(1 for f in facts if f.rating == level), total,
                   targets.get(level.pk) if targets else None)
        for level in levels])


def distributions(facts: list[ReviewFacts], levels: list[RatingLevel],
                  targets: dict[int, int] | None, grouping: str) -> list[GroupDistribution]:
    """Everyone first, then each group (team, territory, title or tier) by its label. Ratings on
    a level no longer on the scale count in the total, under no level."""
    groups: dict[tuple[str, str], list[ReviewFacts]] = {}
    for fact in facts:
        groups.setdefault(fact.group(grouping), []).append(fact)
    everyone = _distribution("", "Everyone", facts, levels, targets)
    return [everyone, *(_distribution(key, label, members, levels, targets)
                        for (key, label), members in sorted(groups.items(),
                                                            key=lambda item: item[0][1]))]
