"""Dashboard selectors: actual versus target for a person, a team and the department.

Only goals of signed sheets count, of the version in force (an amended sheet counts once,
goalsapp.models.in_force_q). Team and department figures aggregate in the database (the
department's once per change of the data, goalsapp.figures_cache): each goal joins its latest
entry (ProgressEntry.is_latest, whose attainment is stored) and the status rule of
goalsapp.attainment is written once more in SQL below (tests/goalsapp/test_attainment.py checks
both agree). The SQL is tuned for PostgreSQL and also runs on SQLite, the embedded default
(tests/test_embedded_default.py).
Who is covered comes from goalsapp.selectors (dashboard_scope, get_employee_for_user).
"""

from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import F, FilteredRelation, Func, IntegerField, Q, QuerySet, Value

from . import attainment as rules
from . import figures_cache
from .attainment import Status
from .kpis import BY_CODE, SCOPE_CHOICES
from .models import Employee, Goal, GoalSheet, ProgressEntry, ReviewPeriod

GROUPINGS = {
    "territory": ("sheet__employee__territory", "Territory"),
    "title": ("sheet__employee__title", "Title"),
    "tier": ("sheet__employee__performance_tier", "Performance tier"),
}
TIER_NAMES = dict(Employee.Tier.choices)


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


# The status rule in SQL ----------------------------------------------------------------------
# Each entry stores its attainment when it is recorded (goalsapp.services, by the rules of
# goalsapp.attainment), so the SQL only joins each goal to its latest entry and grades it against
# today, then sums per person, then per group. "expected − attained ≤ gap" is written without a
# division: elapsed days ≤ (attained + gap) × the goal's days, since the goal's days are > 0.

STANDING_SQL = (
    "CASE WHEN attained IS NULL THEN %s WHEN attained >= 1 THEN %s "
    "WHEN due_on < %s THEN %s "
    "WHEN due_on = %s THEN CASE WHEN 1 - attained <= %s THEN %s "
    "WHEN 1 - attained <= %s THEN %s ELSE %s END "
    "WHEN %s <= (attained + %s) * goal_days THEN %s "
    "WHEN %s <= (attained + %s) * goal_days THEN %s ELSE %s END"
)


def _standing_params(period: ReviewPeriod, today: date) -> list:
    on, at_risk = rules.ON_TRACK_GAP, rules.AT_RISK_GAP
    if connection.vendor == "sqlite":
        # SQLite binds a Decimal as text, and a number never equals or compares below text.
        on, at_risk = float(on), float(at_risk)
    elapsed = max((today - period.starts_on).days, 0)
    s = Status
    return [s.NO_DATA.value, s.ACHIEVED.value, today, s.OFF_TRACK.value,
            today, on, s.ON_TRACK.value, at_risk, s.AT_RISK.value, s.OFF_TRACK.value,
            elapsed, on, s.ON_TRACK.value, elapsed, at_risk, s.AT_RISK.value, s.OFF_TRACK.value]


class _DaysBetween(Func):
    """end − start in whole days: date − date in PostgreSQL; SQLite stores dates as text."""

    template = "(%(expressions)s)"
    arg_joiner = " - "
    output_field = IntegerField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, arg_joiner=") - julianday(",
                              template="CAST(julianday(%(expressions)s) AS INTEGER)",
                              **extra_context)


def _goal_days(start: date) -> Func:
    return _DaysBetween(F("due_on"), Value(start))


def _graded_sql(goals: QuerySet[Goal], period: ReviewPeriod, today: date,
                **columns) -> tuple[str, list]:
    """SQL for one row a goal: the named `columns` (name → field path), attained, standing."""
    figures = (goals.annotate(latest=FilteredRelation(
                   "progress_entries", condition=Q(progress_entries__is_latest=True)))
               .annotate(attained=F("latest__attained"), goal_days=_goal_days(period.starts_on),
                         **{name: F(path) for name, path in columns.items()})
               .values(*columns, "attained", "goal_days", "due_on").order_by())
    inner, params = figures.query.sql_with_params()
    names = ", ".join(f'"{name}"' for name in columns)
    return (f"SELECT {names}, attained, {STANDING_SQL} AS standing FROM ({inner}) AS figures",
            [*_standing_params(period, today), *params])


def _rows(sql: str, params, *, everyone: bool = False) -> tuple[list[str], list[tuple]]:
    """The column names and rows of one grading query; `everyone`: it grades every person's
    goals, not a team's. (JIT, which costs these plans more than it saves, is off for every
    Goalpost session: config/settings.py.)"""
    # Grouping ~100,000 goals by person fits in memory with a little more than the default
    # 4 MB. A team's thousand goals fit in the default: for them this transaction and its
    # setting were three more round trips than the query itself.
    more_memory = everyone and connection.vendor == "postgresql"
    with transaction.atomic() if more_memory else nullcontext(), connection.cursor() as cursor:
        if more_memory:
            cursor.execute("SET LOCAL work_mem = '32MB'")
        cursor.execute(sql, params)
        return [column[0] for column in cursor.description], cursor.fetchall()


def _fetch(sql: str, params, *, everyone: bool = False) -> list[dict]:
    names, rows = _rows(sql, params, everyone=everyone)
    return [dict(zip(names, row, strict=True)) for row in rows]


def _decimal(value) -> Decimal | None:
    """A sum of attainments as a Decimal: SQLite, which has no decimal type, returns a float."""
    return value if value is None or isinstance(value, Decimal) else Decimal(str(value))


def graded_goals(goals: QuerySet[Goal], period: ReviewPeriod, today: date) -> list[dict]:
    """Each goal's id, attainment and standing (for checks against goalsapp.attainment)."""
    sql, params = _graded_sql(goals, period, today, goal_id="id")
    return [{**row, "attained": _decimal(row["attained"])}
            for row in _fetch(sql + " ORDER BY goal_id", params)]


def _per_person_sql(graded: str) -> str:
    counts = ", ".join(f"COUNT(*) FILTER (WHERE standing = '{s.value}') AS {s.value}"
                       for s in Status)
    return (f"SELECT employee_id, COUNT(*) AS goals, COUNT(attained) AS with_data, "
            f"SUM(attained) AS attained_sum, {counts} FROM ({graded}) AS graded "
            f"GROUP BY employee_id")


def _with_people(per_person: str, *columns: str) -> str:
    """Joins each person's sums to their employee row: once per person, not once per goal."""
    table = Employee._meta.db_table
    picked = ", ".join(f'people."{Employee._meta.get_field(c).column}" AS "{c}"' for c in columns)
    return (f"SELECT sums.*, {picked} FROM ({per_person}) AS sums "
            f'JOIN "{table}" AS people ON people."id" = sums.employee_id')


def signed_goals(period: ReviewPeriod, employee_ids: set[int] | None) -> QuerySet[Goal]:
    goals = Goal.objects.in_force().filter(sheet__period=period)
    if employee_ids is not None:
        goals = goals.filter(sheet__employee_id__in=employee_ids)
    return goals


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


def _average(total, count) -> Decimal | None:
    return total / count if count else None


STATUS_ORDER = [s.value for s in Status]


@dataclass(slots=True)
class PersonFigures:
    """One person's signed goals in a period, graded against a day; `counts` follow
    STATUS_ORDER."""

    employee_id: int
    territory: str
    title: str
    performance_tier: str
    goals: int
    with_data: int
    attained_sum: Decimal | None
    counts: tuple[int, ...]


def people_figures(period: ReviewPeriod, today: date) -> list[PersonFigures]:
    """Everyone's figures: graded in one query, then kept while the data stands
    (goalsapp.figures_cache). Callers narrow them to the people the viewer covers."""
    return figures_cache.cached(
        ("people", period.pk, period.starts_on, today), lambda: _people_figures(period, today),
        update=lambda old, was, now: _people_figures_since(period, today, old, was, now))


MOVED_MARGIN = timedelta(minutes=1)


def _people_figures_since(period: ReviewPeriod, today: date, old: list[PersonFigures],
                          was: tuple, now: tuple) -> list[PersonFigures] | None:
    """Everyone's figures after actuals were added or corrected: the people whose entries moved
    since version `was` graded again, everyone else's kept. A signing or a change of people
    (anything else that moves the version) grades everyone: None."""
    if not figures_cache.only_progress_moved(was, now):
        return None
    # An entry written in a transaction that committed after a newer one carries an older id
    # and time: a minute's margin catches it.
    newest_id, since = was[0], was[1] - MOVED_MARGIN
    moved = set(ProgressEntry.objects.filter(
        Q(pk__gt=newest_id) | Q(updated_at__gt=since), goal__sheet__period=period,
    ).values_list("goal__sheet__employee_id", flat=True).distinct())
    by_person = {person.employee_id: person for person in old}
    for employee_id in moved:
        by_person.pop(employee_id, None)
    if moved:
        by_person.update((p.employee_id, p) for p in _people_figures(period, today, moved))
    return list(by_person.values())


def _people_figures(period: ReviewPeriod, today: date,
                    employee_ids: set[int] | None = None) -> list[PersonFigures]:
    graded, params = _graded_sql(signed_goals(period, employee_ids), period, today,
                                 employee_id="sheet__employee_id")
    sql = _with_people(_per_person_sql(graded), "territory", "title", "performance_tier")
    names, rows = _rows(sql, params, everyone=employee_ids is None)
    # Read by position: a department's 10,000 rows made dictionaries first cost a tenth of the
    # figures' computing.
    (person, territory, title, tier, goals, with_data, attained_sum,
     *counts) = map(names.index, ["employee_id", "territory", "title", "performance_tier",
                                  "goals", "with_data", "attained_sum", *STATUS_ORDER])
    return [PersonFigures(row[person], row[territory], row[title], row[tier], row[goals],
                          row[with_data], _decimal(row[attained_sum]),
                          tuple(row[at] for at in counts))
            for row in rows]


def department_rows(period: ReviewPeriod, employee_ids: set[int] | None, *, group_by: str,
                    filters: dict[str, str], today: date) -> list[GroupRow]:
    """Attainment per territory, title or tier of the people in `employee_ids` (None: everyone),
    summed in memory from everyone's figures."""
    wanted = tuple(sorted((name, value) for name, value in filters.items() if value))
    if employee_ids is None:
        # Everyone's groups are the same for everyone who may see them all (HR): kept too.
        return figures_cache.cached(
            ("department", period.pk, period.starts_on, today, group_by, wanted),
            lambda: _department_rows(period, None, group_by, wanted, today))
    return _department_rows(period, employee_ids, group_by, wanted, today)


def _department_rows(period, employee_ids, group_by, wanted, today) -> list[GroupRow]:
    field_name = GROUPINGS[group_by][0].removeprefix("sheet__employee__")
    conditions = [(GROUPINGS[name][0].removeprefix("sheet__employee__"), value)
                  for name, value in wanted]
    # key → [people, goals, with_data, attained sum or None, *counts]
    groups: dict[str, list] = {}
    for person in people_figures(period, today):
        if employee_ids is not None and person.employee_id not in employee_ids:
            continue
        if conditions and not all(getattr(person, name) == value for name, value in conditions):
            continue
        key = getattr(person, field_name)
        sums = groups.get(key)
        if sums is None:
            sums = groups[key] = [0, 0, 0, None, *(0 for _ in STATUS_ORDER)]
        sums[0] += 1
        sums[1] += person.goals
        sums[2] += person.with_data
        if person.attained_sum is not None:
            sums[3] = person.attained_sum if sums[3] is None else sums[3] + person.attained_sum
        for index, count in enumerate(person.counts, start=4):
            sums[index] += count

    def label_of(value):
        if group_by == "tier":
            return TIER_NAMES.get(value, value)
        return value or "(none)"

    return [GroupRow(key=key or "", label=label_of(key), people=sums[0], goals=sums[1],
                     with_data=sums[2], attained=_average(sums[3], sums[2]),
                     counts=dict(zip(STATUS_ORDER, sums[4:], strict=True)))
            for key, sums in sorted(groups.items())]


def team_rows(period: ReviewPeriod, employee_ids: set[int] | None, *, today: date,
              supervisor_id: int | None = None) -> list[GroupRow]:
    """Each person's attainment; with `supervisor_id`, only their direct reports. One query."""
    goals = signed_goals(period, employee_ids)
    if supervisor_id is not None:
        goals = goals.filter(sheet__employee__supervisor_id=supervisor_id)
    graded, params = _graded_sql(goals, period, today, employee_id="sheet__employee_id")
    sql = (_with_people(_per_person_sql(graded), "full_name")
           + ' ORDER BY "full_name", employee_id')
    return [GroupRow(key=str(row["employee_id"]), label=row["full_name"], people=1,
                     goals=row["goals"], with_data=row["with_data"],
                     attained=_average(_decimal(row["attained_sum"]), row["with_data"]),
                     counts={s.value: row[s.value] for s in Status}, url_id=row["employee_id"])
            for row in _fetch(sql, params, everyone=employee_ids is None)]


def group_choices(employee_ids: set[int] | None) -> dict[str, list[tuple[str, str]]]:
    """The values each filter offers: those of the people the viewer covers (two queries, or
    none while nobody changed when the viewer covers everyone)."""
    if employee_ids is None:
        # The choices are the people's: new actuals leave them as they were.
        return figures_cache.cached(
            ("choices",), lambda: _group_choices(None),
            update=lambda old, was, now: old if figures_cache.only_progress_moved(was, now)
            else None)
    return _group_choices(employee_ids)


def _group_choices(employee_ids: set[int] | None) -> dict[str, list[tuple[str, str]]]:
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

class EntryRow(NamedTuple):
    """One recorded actual as the progress page and the drill-down list it: the value, where
    it came from, and beside a typed value what the AR ledger gives for that day."""

    entry: ProgressEntry
    shown: str
    source: str
    ledger: str


def entry_source(entry: ProgressEntry) -> str:
    """Where a number came from, in words: the page and who typed it, the CSV file, the API, or
    the ledger load it was computed after."""
    who = entry.entered_by.get_full_name() or entry.entered_by.get_username()
    if entry.source == ProgressEntry.Source.LEDGER:
        return f"Computed from the AR ledger after {entry.ledger_ref}"
    if entry.source == ProgressEntry.Source.CSV:
        name = entry.source_import.file_name if entry.source_import else "a file since removed"
        return f"Imported from the CSV file “{name}” by {who}"
    if entry.source == ProgressEntry.Source.API:
        return f"Pushed through the API as {who}"
    return f"Entered on the progress page by {who}"


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
    def entry_rows(self) -> list[EntryRow]:
        return [EntryRow(entry, self.shown(entry.actual), entry_source(entry), self._beside(entry))
                for entry in self.entries]

    def _beside(self, entry: ProgressEntry) -> str:
        if entry.ledger_actual is None or entry.source == ProgressEntry.Source.LEDGER:
            return ""
        return (f"The AR ledger gives {self.shown(entry.ledger_actual)} for this day "
                f"({entry.ledger_ref}); the value typed stands.")

    @property
    def kpi(self) -> str:
        """The KPI a bound goal is measured by and on whose accounts, in words; blank else."""
        kpi = BY_CODE.get(self.goal.kpi)
        return f"{kpi.name}, {dict(SCOPE_CHOICES)[self.goal.kpi_scope].lower()}" if kpi else ""

    @property
    def ledger_figure(self) -> str:
        """The newest figure the ledger gave this bound goal, with its day, for dashboards."""
        latest = next((entry for entry in reversed(self.entries)
                       if entry.ledger_actual is not None), None)
        if latest is None:
            return ""
        return f"{self.shown(latest.ledger_actual)} as of {latest.as_of:%Y-%m-%d}"


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
    """One person's signed goals (of the version in force) with every entry, for charts over
    time: three queries."""
    sheet = (GoalSheet.objects.in_force().filter(employee=employee, period=period)
             .select_related("period").first())
    if sheet is None:
        return PersonBoard(employee, period, None, [])
    goals = list(sheet.goals.order_by("position", "id"))
    entries = defaultdict(list)
    for entry in (ProgressEntry.objects.filter(goal__sheet=sheet)
                  .select_related("entered_by", "source_import").order_by("as_of")):
        entries[entry.goal_id].append(entry)
    lines = []
    for goal in goals:
        latest = entries[goal.pk][-1] if entries[goal.pk] else None
        progress = rules.goal_progress(goal, actual=latest.actual if latest else None,
                                       as_of=latest.as_of if latest else None,
                                       starts_on=period.starts_on, today=today)
        lines.append(GoalLine(goal, progress, period.currency, entries[goal.pk]))
    return PersonBoard(employee, period, sheet, lines)
