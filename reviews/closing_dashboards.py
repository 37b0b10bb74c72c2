"""The closing dashboards: final attainment and the rating that stands, per collector, team,
territory, title or tier, for a period's closing reviews among the people the viewer covers
(goalsapp.access.dashboard_scope: a supervisor's line, everyone for HR and staff)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from goalsapp.access import dashboard_scope
from goalsapp.attainment import GRADE_LABELS, Grade, percent
from goalsapp.models import ReviewPeriod

from .closing_figures import GROUPS, ReviewFacts, period_reviews
from .closing_models import ClosingReview, RatingLevel

GROUPINGS = {"collector": "Collector", **GROUPS}


def dashboard_reviews(user, period: ReviewPeriod) -> QuerySet[ClosingReview]:
    return period_reviews(user, period, dashboard_scope(user))


@dataclass
class ClosingRow:
    key: str
    label: str
    reviews: int
    with_attainment: int
    attainment: Decimal | None  # the average of the reviews' final attainment
    grades: dict[str, int]  # goals per grade that stands
    ratings: dict[int, int]  # reviews per level id of the rating that stands
    unrated: int

    @property
    def percent(self) -> str:
        return percent(self.attainment)


def _row(key: str, label: str, facts: list[ReviewFacts], levels: list[RatingLevel]
         ) -> ClosingRow:
    finals = [f.final_attainment for f in facts if f.final_attainment is not None]
    return ClosingRow(
        key, label, len(facts), len(finals), sum(finals) / len(finals) if finals else None,
        {g.value: sum(f.grades[g.value] for f in facts) for g in Grade},
        {level.pk: sum(1 for f in facts if f.rating == level) for level in levels},
        sum(1 for f in facts if f.rating is None))


def closing_rows(facts: list[ReviewFacts], levels: list[RatingLevel], grouping: str
                 ) -> list[ClosingRow]:
    """One row a group, ordered by label; per collector, one row a person."""
    groups: dict[tuple[str, str], list[ReviewFacts]] = {}
    for fact in facts:
        key = ((str(fact.employee_id), fact.employee_name) if grouping == "collector"
               else fact.group(grouping))
        groups.setdefault(key, []).append(fact)
    return [_row(key, label, members, levels)
            for (key, label), members in sorted(groups.items(), key=lambda item: item[0][1])]


def csv_table(rows: list[ClosingRow], levels: list[RatingLevel], first: str
              ) -> tuple[list[str], list[list]]:
    """The header and rows of the CSV export: the page's table, cell for cell."""
    header = [first, "reviews", "with final attainment", "average final attainment",
              *[f"goals {GRADE_LABELS[g].lower()}" for g in Grade],
              *[f"rated {level.value} — {level.label}" for level in levels], "not yet rated"]
    return header, [[row.label, row.reviews, row.with_attainment, row.percent,
                     *[row.grades[g.value] for g in Grade],
                     *[row.ratings[level.pk] for level in levels], row.unrated]
                    for row in rows]
