"""Dashboard selectors: actual versus target for a person, a team and the department.

Only goals of signed sheets count. Team and department figures aggregate in PostgreSQL: each
goal joins its latest entry (ProgressEntry.is_latest) and the rules of goalsapp.attainment are
written once more as SQL expressions below (tests/goalsapp/test_attainment.py checks both agree).
Who is covered comes from goalsapp.selectors (dashboard_scope, get_employee_for_user).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast

from . import attainment as rules
from .attainment import Status
from .models import Employee, Goal, GoalSheet, ProgressEntry, ReviewPeriod, SheetState

GROUPINGS = {
    "territory": ("sheet__employee__territory", "Territory"),
    "title": ("sheet__employee__title", "Title"),
    "tier": ("sheet__employee__performance_tier", "Performance tier"),
}
TIER_NAMES = dict(Employee.Tier.choices)
RATIO = DecimalField(max_digits=30, decimal_places=10)


# Periods -------------------------------------------------------------------------------------

def periods() -> list[ReviewPeriod]:
    return list(ReviewPeriod.objects.order_by("-starts_on"))


def chosen_period(all_periods: list[ReviewPeriod], wanted: str | None,
                  today: date) -> ReviewPeriod | None:
    """The period asked for in the URL, else the latest one that has started."""
    chosen = next((p for p in all_periods if str(p.pk) == wanted), None)
    if chosen is None:
        chosen = next((p for p in all_periods if p.starts_on <= today), None)
    return chosen or (all_periods[0] if all_periods else None)


# The attainment rules in SQL ----------------------------------------------------------------

def _days_between(later, earlier) -> Func:
    # date − date is a whole number of days in PostgreSQL.
    return Func(later, earlier, template="(%(expressions)s)", arg_joiner=" - ",
                output_field=IntegerField())


def with_standing(goals: QuerySet[Goal], today: date) -> QuerySet[Goal]:
    """Adds `actual` (the latest), `attained` and `standing` (a Status value) to each goal."""
    actual = F("latest__actual")
    met = Q(direction="higher", latest__actual__gte=F("target")) | Q(
        direction="lower", latest__actual__lte=F("target"))
    met_or_not = Case(When(met, then=Value(Decimal(1))), default=Value(Decimal(0)),
                      output_field=RATIO)
    attained = Case(
        When(latest__actual__isnull=True, then=Value(None)),
        When(Q(baseline__isnull=False) & Q(target=F("baseline")), then=met_or_not),
        When(baseline__isnull=False, then=(actual - F("baseline")) / (F("target") - F("baseline"))),
        When(target=0, then=met_or_not),
        When(direction="higher", then=actual / F("target")),
        default=(2 * F("target") - actual) / F("target"),
        output_field=RATIO,
    )
    today_value = Value(today)
    starts_on = F("sheet__period__starts_on")
    expected = Case(
        When(due_on__lte=today, then=Value(Decimal(1))),
        When(sheet__period__starts_on__gte=today, then=Value(Decimal(0))),
        default=Cast(_days_between(today_value, starts_on), RATIO)
        / Cast(_days_between(F("due_on"), starts_on), RATIO),
        output_field=RATIO,
    )
    standing = Case(
        When(attained__isnull=True, then=Value(Status.NO_DATA.value)),
        When(attained__gte=1, then=Value(Status.ACHIEVED.value)),
        When(due_on__lt=today, then=Value(Status.OFF_TRACK.value)),
        When(gap__lte=rules.ON_TRACK_GAP, then=Value(Status.ON_TRACK.value)),
        When(gap__lte=rules.AT_RISK_GAP, then=Value(Status.AT_RISK.value)),
        default=Value(Status.OFF_TRACK.value),
        output_field=CharField(),
    )
    return (goals.annotate(latest=FilteredRelation(
                "progress_entries", condition=Q(progress_entries__is_latest=True)))
            .annotate(actual=actual, actual_as_of=F("latest__as_of"), attained=attained)
            .annotate(gap=expected - F("attained"))
            .annotate(standing=standing))


def signed_goals(period: ReviewPeriod, employee_ids: set[int] | None) -> QuerySet[Goal]:
    goals = Goal.objects.filter(sheet__period=period, sheet__state=SheetState.SIGNED)
    if employee_ids is not None:
        goals = goals.filter(sheet__employee_id__in=employee_ids)
    return goals


def _status_counts() -> dict:
    return {status.value: Count("id", filter=Q(standing=status.value)) for status in Status}


# Rows the pages, charts and CSV exports share ------------------------------------------------

@dataclass
class GroupRow:
    key: str
    label: str
    people: int
    goals: int
    with_data: int
    attained: Decimal | None
    counts: dict[str, int]
    url_id: int | None = None  # the employee, on the team dashboard

    @property
    def percent(self) -> str:
        return rules.percent(self.attained)

    @property
    def behind(self) -> int:
        return self.counts.get(Status.AT_RISK, 0) + self.counts.get(Status.OFF_TRACK, 0)


def _group_rows(rows, key_name: str, label_of) -> list[GroupRow]:
    return [GroupRow(key=str(row[key_name] or ""), label=label_of(row), people=row["people"],
                     goals=row["goals"], with_data=row["with_data"], attained=row["avg"],
                     counts={s.value: row[s.value] for s in Status},
                     url_id=row.get("sheet__employee_id"))
            for row in rows]


def _aggregates() -> dict:
    return {"people": Count("sheet__employee_id", distinct=True), "goals": Count("id"),
            "with_data": Count("latest__id"), "avg": Avg("attained"), **_status_counts()}


def department_rows(period: ReviewPeriod, employee_ids: set[int] | None, *, group_by: str,
                    filters: dict[str, str], today: date) -> list[GroupRow]:
    """Attainment per territory, title or tier: one query."""
    column, _label = GROUPINGS[group_by]
    goals = signed_goals(period, employee_ids)
    for name, value in filters.items():
        if value:
            goals = goals.filter(**{GROUPINGS[name][0]: value})
    rows = (with_standing(goals, today).values(column).annotate(**_aggregates())
            .order_by(column))

    def label_of(row):
        value = row[column]
        if group_by == "tier":
            return TIER_NAMES.get(value, value)
        return value or "(none)"

    return _group_rows(rows, column, label_of)


def team_rows(period: ReviewPeriod, employee_ids: set[int], *, today: date,
              supervisor_id: int | None = None) -> list[GroupRow]:
    """Each person's attainment; with `supervisor_id`, only their direct reports. One query."""
    goals = signed_goals(period, employee_ids)
    if supervisor_id is not None:
        goals = goals.filter(sheet__employee__supervisor_id=supervisor_id)
    rows = (with_standing(goals, today)
            .values("sheet__employee_id", "sheet__employee__full_name",
                    "sheet__employee__employee_number")
            .annotate(**_aggregates()).order_by("sheet__employee__full_name"))
    return _group_rows(rows, "sheet__employee_id",
                       lambda row: row["sheet__employee__full_name"])


def group_choices(employee_ids: set[int] | None) -> dict[str, list[tuple[str, str]]]:
    """The values each filter offers: those of the people the viewer covers (three queries)."""
    people = Employee.objects.all()
    if employee_ids is not None:
        people = people.filter(pk__in=employee_ids)
    choices = {}
    for name, field_name in (("territory", "territory"), ("title", "title")):
        values = people.exclude(**{field_name: ""}).values_list(field_name, flat=True)
        choices[name] = [(v, v) for v in values.distinct().order_by(field_name)]
    choices["tier"] = list(Employee.Tier.choices)
    return choices


# One person ----------------------------------------------------------------------------------

@dataclass
class GoalLine:
    goal: Goal
    progress: rules.GoalProgress
    currency: str
    entries: list[ProgressEntry] = field(default_factory=list)

    def shown(self, value) -> str:
        return rules.measure_value(value, measure_kind=self.goal.measure_kind,
                                   unit=self.goal.unit, currency=self.currency)

    @property
    def target_shown(self) -> str:
        return self.shown(self.goal.target)

    @property
    def actual_shown(self) -> str:
        return self.shown(self.progress.actual)

    @property
    def entry_rows(self) -> list[tuple[ProgressEntry, str]]:
        return [(entry, self.shown(entry.actual)) for entry in self.entries]


@dataclass
class PersonBoard:
    employee: Employee
    period: ReviewPeriod
    sheet: GoalSheet | None
    lines: list[GoalLine]

    @property
    def attained(self) -> Decimal | None:
        values = [line.progress.attained for line in self.lines
                  if line.progress.attained is not None]
        return sum(values) / len(values) if values else None

    @property
    def percent(self) -> str:
        return rules.percent(self.attained)


def person_board(employee: Employee, period: ReviewPeriod, today: date) -> PersonBoard:
    """One person's signed goals with every entry, for charts over time: three queries."""
    sheet = (GoalSheet.objects.filter(employee=employee, period=period,
                                      state=SheetState.SIGNED).select_related("period").first())
    if sheet is None:
        return PersonBoard(employee, period, None, [])
    goals = list(sheet.goals.order_by("position", "id"))
    entries = defaultdict(list)
    for entry in ProgressEntry.objects.filter(goal__sheet=sheet).order_by("as_of"):
        entries[entry.goal_id].append(entry)
    lines = []
    for goal in goals:
        latest = entries[goal.pk][-1] if entries[goal.pk] else None
        progress = rules.goal_progress(goal, actual=latest.actual if latest else None,
                                       as_of=latest.as_of if latest else None,
                                       starts_on=period.starts_on, today=today)
        lines.append(GoalLine(goal, progress, period.currency, entries[goal.pk]))
    return PersonBoard(employee, period, sheet, lines)
