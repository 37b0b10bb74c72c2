"""Closing reviews in calibration for several people, for calibration's and the closing
dashboards' tests: each with its own sheet, goals, final actuals and proposed rating."""

import datetime
import importlib
from decimal import Decimal

from django.apps import apps

from goalsapp import services as goals
from goalsapp.models import SheetState
from reviews import closing
from reviews.closing_models import RatingLevel, RatingScale
from reviews.closing_states import ClosingState
from tests.closing_helpers import ASSESSED, advance_closing, open_closing
from tests.factories import GoalFactory, GoalSheetFactory
from tests.workflow_helpers import advance


def default_rating_scale() -> RatingScale:
    """The 1–5 scale migration reviews/0009 seeds, made again if a flush took it (a live-server
    test's database is not always restored from its serialized copy); idempotent."""
    migration = importlib.import_module("reviews.migrations.0009_rating_scale_and_closing_guard")
    migration.seed_scale(apps, None)
    return RatingScale.active()


def level(value: int) -> RatingLevel:
    return RatingScale.active().levels.get(value=value)


def review_in_calibration(employee, period, *, proposed: int, actuals=("45", None),
                          weights=(None, None), hr_user=None):
    """`employee`'s sheet in `period` with two goals (DSO 52 → 45 days, and a count to 10),
    their final actuals recorded, closed up to calibration with `proposed` as the rating."""
    sheet = GoalSheetFactory(employee=employee, period=period)
    GoalFactory(sheet=sheet, position=1, measure_kind="count", unit="days", direction="lower",
                target=Decimal("45"), baseline=Decimal("52"), weight=weights[0])
    GoalFactory(sheet=sheet, position=2, measure_kind="count", unit="calls",
                direction="higher", target=Decimal("10"), baseline=None, weight=weights[1])
    advance(sheet, SheetState.SIGNED, hr_user=hr_user)
    for goal, actual in zip(sheet.goals.order_by("position"), actuals, strict=True):
        if actual is not None:
            goals.progress_entry_add(goal_id=goal.pk, actor=employee.supervisor.user,
                                     as_of=datetime.date(2027, 6, 1), actual=Decimal(actual),
                                     today=datetime.date(2027, 6, 2))
    review = open_closing(sheet, hr_user=hr_user)
    review = advance_closing(review, ClosingState.SUPERVISOR_ASSESSMENT, hr_user=hr_user)
    goal_ids = list(review.results.values_list("goal_id", flat=True))
    supervisor = employee.supervisor.user
    closing.closing_save_assessment(
        review_id=review.pk, actor=supervisor, version=review.version, overall=ASSESSED,
        per_goal=dict.fromkeys(goal_ids, ASSESSED), proposed_rating_id=level(proposed).pk,
        overrides={})
    review.refresh_from_db()
    closing.closing_submit_assessment(review_id=review.pk, actor=supervisor,
                                      version=review.version)
    review.refresh_from_db()
    return review
