"""What the closing review's pages show: its results with grades and attainment, both parties'
words, the rating and weighted score, the signatures against the content's hash now; and the
HR lists (reviews in calibration, periods whose closing can be opened)."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from goalsapp.access import sheets_visible_to
from goalsapp.attainment import GRADE_RULE, WEIGHTED_SCORE_RULE, percent
from goalsapp.models import GoalSheet, ReviewPeriod, SheetState, joined_one

from .canonical import closing_content_hash
from .closing_models import ClosingReview, ClosingSignature, GoalResult
from .closing_states import ClosingState
from .workflow import Role, may_open_closing_early, sheets_where_role


@dataclass
class ClosingView:
    review: ClosingReview
    results: list[GoalResult]
    signatures: list[ClosingSignature]
    voided_signatures: list[ClosingSignature] = field(default_factory=list)
    content_hash: str = ""
    grade_rule: str = GRADE_RULE
    weighted_score_rule: str = WEIGHTED_SCORE_RULE

    @property
    def weighted_score(self) -> str:
        return percent(self.review.weighted_score) if self.review.weighted_score is not None \
            else ""

    @property
    def signatures_match(self) -> bool:
        return all(s.content_hash == self.content_hash for s in self.signatures)


def closing_view(review: ClosingReview) -> ClosingView:
    results = list(review.results.select_related("goal__competency", "overridden_by__employee")
                   .order_by("goal__position", "goal_id"))
    for result in results:
        result.percent = percent(result.attained)
    signatures = list(review.signatures.select_related("signer", "consent"))
    live = [s for s in signatures if s.voided_at is None]
    return ClosingView(review, results, live, [s for s in signatures if s.voided_at is not None],
                       closing_content_hash(review) if signatures else "")


def closing_of(sheet: GoalSheet) -> ClosingReview | None:
    return joined_one(sheet, "closing",
                      lambda: ClosingReview.objects.select_related("rating", "proposed_rating",
                                                                   "sheet")
                      .filter(sheet=sheet).first())


def may_open_closing(user, sheet: GoalSheet) -> bool:
    """HR (never a party to the sheet) may open the closing of a signed sheet early."""
    return sheet.state == SheetState.SIGNED and may_open_closing_early(user, sheet)


def reviews_in_calibration(user) -> QuerySet[ClosingReview]:
    """Reviews waiting on HR's release, among the sheets `user` sees, without their own or
    their team's (HR never reviews a sheet they are a party to)."""
    sheets = sheets_visible_to(user).filter(sheets_where_role(user, Role.HR))
    return (ClosingReview.objects.filter(state=ClosingState.CALIBRATION, sheet__in=sheets)
            .select_related("sheet__period", "sheet__employee", "rating", "proposed_rating")
            .order_by("sheet__period__starts_on", "sheet__employee_name"))


@dataclass(frozen=True)
class PeriodClosing:
    period: ReviewPeriod
    signed: int
    unopened: int


def periods_to_close() -> list[PeriodClosing]:
    """Each period with its signed sheets and how many still have no closing review."""
    rows = ReviewPeriod.objects.annotate(
        signed=Count("sheets", filter=Q(sheets__state=SheetState.SIGNED)),
        unopened=Count("sheets", filter=Q(sheets__state=SheetState.SIGNED,
                                          sheets__closing__isnull=True)),
    ).order_by("-starts_on")
    return [PeriodClosing(p, p.signed, p.unopened) for p in rows if p.signed]
