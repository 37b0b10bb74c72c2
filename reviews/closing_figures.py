"""One row a closing review, as calibration and the closing dashboards read it: who (and their
team, territory, title and tier), the ratings proposed and standing, the weighted score, the
final attainment and the goals' grades. One query for any number of reviews."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Q, QuerySet

from goalsapp.access import sheets_visible_to
from goalsapp.attainment import Grade, percent
from goalsapp.dashboards import GROUPINGS, TIER_NAMES
from goalsapp.models import ReviewPeriod

from .closing_models import ClosingReview, RatingLevel
from .closing_states import ClosingState

# How reviews are grouped: "team" is the employee's supervisor; the others are the tracking
# dashboards' groupings (goalsapp.dashboards.GROUPINGS), read off the employee as they are now.
GROUPS = {"team": "Team", **{key: label for key, (_path, label) in GROUPINGS.items()}}
FINAL_ATTAINMENT_RULE = (
    "The weighted score where the goals' weights total 100; otherwise the average of the goals' "
    "final attainment (goals without a final actual left out), as tracking averages it.")


@dataclass(frozen=True)
class ReviewFacts:
    review_id: int
    sheet_id: int
    state: str
    version: int
    employee_id: int
    employee_name: str
    supervisor_id: int | None
    supervisor_name: str
    territory: str
    title: str
    tier: str
    proposed: RatingLevel | None
    rating: RatingLevel | None
    weighted_score: Decimal | None
    average_attained: Decimal | None
    grades: dict[str, int]

    @property
    def final_attainment(self) -> Decimal | None:
        return self.weighted_score if self.weighted_score is not None else self.average_attained

    @property
    def final_percent(self) -> str:
        return percent(self.final_attainment)

    @property
    def weighted_percent(self) -> str:
        return percent(self.weighted_score)

    @property
    def state_label(self) -> str:
        return ClosingState(self.state).label

    @property
    def adjusted(self) -> bool:
        return self.rating is not None and self.rating != self.proposed

    def group(self, grouping: str) -> tuple[str, str]:
        """(key, label) of the group this review falls in."""
        if grouping == "team":
            return (str(self.supervisor_id or ""), self.supervisor_name or "(no supervisor)")
        if grouping == "tier":
            return (self.tier, TIER_NAMES.get(self.tier, self.tier))
        value = getattr(self, grouping)
        return (value, value or "(none)")


def period_reviews(user, period: ReviewPeriod, scope: set[int] | None
                   ) -> QuerySet[ClosingReview]:
    """The period's closing reviews on sheets `user` may see, of the employees in `scope`
    (None: everyone's); the page decides the scope (calibration's, or the dashboards')."""
    reviews = ClosingReview.objects.filter(sheet__in=sheets_visible_to(user),
                                           sheet__period=period)
    return reviews if scope is None else reviews.filter(sheet__employee_id__in=scope)


def _grade_count(grade: Grade) -> Count:
    return Count("results", filter=Q(results__override_grade=grade.value)
                 | Q(results__override_grade="", results__computed_grade=grade.value))


def facts_of(reviews: QuerySet[ClosingReview]) -> list[ReviewFacts]:
    rows = (reviews.select_related("sheet__employee__supervisor", "rating", "proposed_rating")
            .annotate(average_attained=Avg("results__attained"),
                      **{f"grade_{g.value}": _grade_count(g) for g in Grade})
            .order_by("sheet__employee__full_name", "pk"))
    facts = []
    for review in rows:
        employee = review.sheet.employee
        supervisor = employee.supervisor
        average = review.average_attained
        facts.append(ReviewFacts(
            review_id=review.pk, sheet_id=review.sheet_id, state=review.state,
            version=review.version, employee_id=employee.pk, employee_name=employee.full_name,
            supervisor_id=employee.supervisor_id,
            supervisor_name=supervisor.full_name if supervisor else "",
            territory=employee.territory, title=employee.title,
            tier=employee.performance_tier, proposed=review.proposed_rating,
            rating=review.rating, weighted_score=review.weighted_score,
            average_attained=None if average is None else Decimal(str(average)),
            grades={g.value: getattr(review, f"grade_{g.value}") for g in Grade}))
    return facts
