"""Writes to goals and sheets. Callers (reviews.services) decide whether the workflow allows them;
these functions only keep the data consistent."""

import secrets
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import BooleanField, Exists, Max, OuterRef, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from . import attainment
from .access import may_enter_progress, progress_import_scope
from .kpis import SCOPE_COLLECTOR
from .models import (
    Competency,
    Employee,
    Goal,
    GoalSet,
    GoalSetItem,
    GoalSheet,
    ProgressEntry,
    ProgressImport,
    ReviewPeriod,
)
from .progress_csv import REQUIRED, Row, check_rows, decode, progress_problems, read_rows
from .rules import negative_value_error

SUMMARY_FIELDS = ("estimated_total_time", "action_plans", "milestones", "additional_comments")
# What the supervisor's editor writes on the sheet itself: the summary, never section 3.
DRAFT_SHEET_FIELDS = SUMMARY_FIELDS
# Section 3 of the paper form: the employee's own, written while answering the goals
# (reviews.services.sheet_save_employee_section), and nobody else's to write.
EMPLOYEE_SECTION_FIELDS = ("goals_completed_since_last", "employee_comments")


@dataclass
class GoalRow:
    """One row of the goal editor, already validated by its form; `goal_id` None means new."""

    goal_id: int | None
    competency: Competency
    text: str
    measure_kind: str
    target: Decimal
    unit: str
    direction: str
    baseline: Decimal | None
    due_on: date
    weight: int | None
    delete: bool = False
    template_id: int | None = None  # the library entry the row was picked from
    kpi: str = ""  # the KPI the goal's actuals are computed as (goalsapp/kpis.py), if any
    kpi_scope: str = ""

    @classmethod
    def of(cls, goal: Goal, *, delete: bool = False) -> "GoalRow":
        """A stored goal as a row, for callers that change some goals of a sheet and keep the
        rest as they are (the admin)."""
        return cls(goal_id=goal.pk, competency=goal.competency, text=goal.text,
                   measure_kind=goal.measure_kind, target=goal.target, unit=goal.unit,
                   direction=goal.direction, baseline=goal.baseline, due_on=goal.due_on,
                   weight=goal.weight, delete=delete, template_id=goal.template_id,
                   kpi=goal.kpi, kpi_scope=goal.kpi_scope)


def kpi_values(row: GoalRow) -> dict[str, str]:
    """A row's KPI binding as stored: the scope only beside a KPI (the model's default else)."""
    return {"kpi": row.kpi, "kpi_scope": row.kpi_scope if row.kpi else SCOPE_COLLECTOR}


def sheet_create(*, employee: Employee, period: ReviewPeriod, actor=None) -> GoalSheet:
    sheet = GoalSheet(employee=employee, period=period)
    sheet.copy_header_from_employee()
    sheet._history_user = actor
    sheet.save()
    return sheet


def sheet_update_fields(sheet: GoalSheet, values: dict, allowed: tuple[str, ...]) -> list[str]:
    """Copies the allowed fields from `values`; returns the names that changed."""
    changed = []
    for name in allowed:
        if name in values and getattr(sheet, name) != values[name]:
            setattr(sheet, name, values[name])
            changed.append(name)
    return changed


def goals_save(sheet: GoalSheet, rows: list[GoalRow], actor) -> bool:
    """Creates, updates, deletes and reorders the sheet's goals to match `rows` (in order), as
    `actor` (recorded in the goals' history). Returns whether anything changed."""
    existing = {goal.pk: goal for goal in sheet.goals.all()}
    changed = False
    position = 0
    for row in rows:
        goal = existing.get(row.goal_id) if row.goal_id else None
        if row.delete:
            if goal is not None:
                goal._history_user = actor
                goal.delete()
                changed = True
            continue
        position += 1
        values = {
            "competency": row.competency, "text": row.text.strip(),
            "measure_kind": row.measure_kind, "target": row.target, "unit": row.unit.strip(),
            "direction": row.direction, "baseline": row.baseline, "due_on": row.due_on,
            "weight": row.weight, "position": position, "template_id": row.template_id,
            **kpi_values(row),
        }
        if goal is None:
            goal = Goal(sheet=sheet, **values)
            goal._history_user = actor
            goal.save()
            changed = True
        elif any(getattr(goal, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(goal, name, value)
            goal._history_user = actor
            goal.save()
            changed = True
    return changed


def sheet_touch(sheet: GoalSheet, update_fields: list[str], actor) -> None:
    """Saves the named fields as `actor`, bumping the version every concurrent writer compares
    against."""
    sheet._history_user = actor  # django-simple-history records who, request or not
    sheet.version += 1
    sheet.updated_at = timezone.now()
    sheet.save(update_fields=[*update_fields, "version", "updated_at"])


def sheets_create_many(*, employees: list[Employee], period: ReviewPeriod, actor
                       ) -> list[GoalSheet]:
    """sheet_create for many employees at once: one insert, with history records."""
    sheets = []
    for employee in employees:
        sheet = GoalSheet(employee=employee, period=period)
        sheet.copy_header_from_employee()
        sheets.append(sheet)
    return bulk_create_with_history(sheets, GoalSheet, default_user=actor)


def goals_append(additions: list[tuple[GoalSheet, list[GoalRow]]], actor) -> list[Goal]:
    """Adds each sheet's rows after the goals it already has, for many sheets in one insert,
    with their history records, as `actor`: the bulk path of goal sets, where goals_save's
    row-by-row saves would be slow."""
    sheet_ids = [sheet.pk for sheet, _ in additions]
    last = dict(Goal.objects.filter(sheet_id__in=sheet_ids).values("sheet_id")
                .annotate(last=Max("position")).values_list("sheet_id", "last"))
    goals = [
        Goal(sheet=sheet, competency=row.competency, text=row.text.strip(),
             measure_kind=row.measure_kind, target=row.target, unit=row.unit.strip(),
             direction=row.direction, baseline=row.baseline, due_on=row.due_on,
             weight=row.weight, position=last.get(sheet.pk, 0) + number,
             template_id=row.template_id, **kpi_values(row))
        for sheet, rows in additions
        for number, row in enumerate(rows, start=1)
    ]
    return bulk_create_with_history(goals, Goal, default_user=actor)


def goal_set_save(*, actor, goal_set: GoalSet, items: list[GoalSetItem],
                  removed: list[GoalSetItem]) -> GoalSet:
    """Saves a goal set and its goals in the order given; a new set belongs to `actor`."""
    with transaction.atomic():
        if goal_set.pk is None:
            goal_set.owner = actor
        goal_set.updated_at = timezone.now()
        goal_set.save()
        for item in removed:
            if item.pk is not None:
                item.delete()
        for position, item in enumerate(items, start=1):
            item.goal_set = goal_set
            item.position = position
            item.save()
    return goal_set


# Progress: actuals against signed goals -------------------------------------------------------

REPLACED_VERSION = ("An amendment replaced this version of the sheet: progress is recorded on "
                    "the version in force.")


class ProgressRefused(Exception):
    """The entry cannot be recorded; `problems` maps a field (or "") to a sentence for the user."""

    def __init__(self, problems: dict[str, str], *, forbidden: bool = False):
        self.problems = problems
        self.forbidden = forbidden
        super().__init__(" ".join(problems.values()))


def refresh_latest_entries(goal_ids) -> None:
    """Marks each goal's newest entry, the one dashboards read, in two statements."""
    goal_ids = list(goal_ids)
    if not goal_ids:
        return
    if connection.vendor == "postgresql":
        # One statement, the goals as one array parameter: Django's two updates with an IN list
        # of 10,000 ids each took 0.8 s of a 10,000-row load.
        with connection.cursor() as cursor:
            cursor.execute(f"""
                UPDATE {ProgressEntry._meta.db_table} entry
                   SET is_latest = (entry.id = newest.id)
                  FROM (SELECT DISTINCT ON (goal_id) id, goal_id
                          FROM {ProgressEntry._meta.db_table}
                         WHERE goal_id = ANY(%s) ORDER BY goal_id, as_of DESC) newest
                 WHERE entry.goal_id = newest.goal_id
                   AND entry.is_latest IS DISTINCT FROM (entry.id = newest.id)""", [goal_ids])
        return
    # SQLite (the embedded default) has no DISTINCT ON: the newest is the one with no later day.
    later = ProgressEntry.objects.filter(goal_id=OuterRef("goal_id"), as_of__gt=OuterRef("as_of"))
    entries = ProgressEntry.objects.filter(goal_id__in=goal_ids)
    entries.filter(Exists(later), is_latest=True).update(is_latest=False)
    entries.filter(~Exists(later), is_latest=False).update(is_latest=True)


ATTAINED_PLACES = Decimal("1e-8")
# A near-zero target span can make a ratio absurd; keep it storable.
ATTAINED_LIMIT = Decimal("1e12")


def stored_attainment(goal: Goal, actual: Decimal) -> Decimal:
    share = attainment.attainment(actual=actual, target=goal.target, baseline=goal.baseline,
                                  higher_is_better=goal.direction == Goal.Direction.HIGHER)
    return max(-ATTAINED_LIMIT, min(ATTAINED_LIMIT, share)).quantize(ATTAINED_PLACES)


def _record(goal: Goal, *, as_of, actual, note, actor, source, source_import=None) -> str:
    """Creates the goal's entry for `as_of`, or replaces its value; returns what happened."""
    now = timezone.now()
    entry = ProgressEntry.objects.select_for_update().filter(goal=goal, as_of=as_of).first()
    if entry is None:
        try:
            with transaction.atomic():  # a savepoint: a twin inserted meanwhile is not fatal
                ProgressEntry.objects.create(goal=goal, as_of=as_of, actual=actual,
                                             attained=stored_attainment(goal, actual), note=note,
                                             entered_by=actor, source=source,
                                             source_import=source_import, created_at=now,
                                             updated_at=now)
            return "new"
        except IntegrityError:
            entry = ProgressEntry.objects.select_for_update().get(goal=goal, as_of=as_of)
    if entry.actual == actual and (source == ProgressEntry.Source.CSV or entry.note == note):
        return "already recorded"
    entry.actual, entry.note, entry.entered_by = actual, note, actor
    entry.attained = stored_attainment(goal, actual)
    entry.source, entry.source_import, entry.updated_at = source, source_import, now
    entry.save(update_fields=["actual", "attained", "note", "entered_by", "source",
                              "source_import", "updated_at"])
    return "update"


def _record_many(rows, *, actor, source, source_import=None) -> dict[str, int]:
    """`_record` for many checked rows (each a distinct goal and day, as check_rows makes them)
    in a fixed number of statements, however many rows: the existing entries are read and
    locked in one query, the new ones inserted in one, the changed ones updated in one. If
    another writer inserted a twin meanwhile, the insert fails on the unique constraint and the
    new rows are recorded one at a time instead, as `_record` does."""
    counts = {"new": 0, "update": 0, "already recorded": 0}
    keys = {(row.goal.pk, row.as_of) for row in rows}
    if not keys:
        return counts
    # The goals as one array parameter on PostgreSQL: an IN list of 10,000 ids is slow to build.
    goal_ids = list({goal for goal, _ in keys})
    in_goals = (Q(goal_id__in=goal_ids) if connection.vendor != "postgresql" else
                Q(RawSQL("goal_id = ANY(%s)", [goal_ids], output_field=BooleanField())))
    existing = {
        (entry.goal_id, entry.as_of): entry for entry in ProgressEntry.objects
        .select_for_update().filter(in_goals, as_of__in={day for _, day in keys})
        if (entry.goal_id, entry.as_of) in keys}
    now = timezone.now()
    new_rows, changed = [], []
    for row in rows:
        entry = existing.get((row.goal.pk, row.as_of))
        if entry is None:
            new_rows.append(row)
        elif entry.actual == row.actual and (source == ProgressEntry.Source.CSV
                                             or entry.note == row.note):
            counts["already recorded"] += 1
        else:
            entry.actual, entry.note, entry.entered_by = row.actual, row.note, actor
            entry.attained = stored_attainment(row.goal, row.actual)
            entry.source, entry.source_import, entry.updated_at = source, source_import, now
            changed.append(entry)
    try:
        with transaction.atomic():  # a savepoint: a twin inserted meanwhile is not fatal
            _insert_entries([
                ProgressEntry(goal=row.goal, as_of=row.as_of, actual=row.actual,
                              attained=stored_attainment(row.goal, row.actual), note=row.note,
                              entered_by=actor, source=source, source_import=source_import,
                              created_at=now, updated_at=now)
                for row in new_rows])
        counts["new"] += len(new_rows)
    except IntegrityError:
        for row in new_rows:
            counts[_record(row.goal, as_of=row.as_of, actual=row.actual, note=row.note,
                           actor=actor, source=source, source_import=source_import)] += 1
    ProgressEntry.objects.bulk_update(changed, ["actual", "attained", "note", "entered_by",
                                                "source", "source_import", "updated_at"],
                                      batch_size=1000)
    counts["update"] += len(changed)
    return counts


# Columns and PostgreSQL types of a new entry, for the insert below.
ENTRY_COLUMNS = (("goal_id", "bigint"), ("as_of", "date"), ("actual", "numeric"),
                 ("attained", "numeric"), ("note", "text"), ("entered_by_id", "bigint"),
                 ("source", "text"), ("source_import_id", "bigint"),
                 ("created_at", "timestamptz"), ("updated_at", "timestamptz"),
                 ("is_latest", "boolean"), ("ledger_actual", "numeric"), ("ledger_ref", "text"))


def _insert_entries(entries: list[ProgressEntry]) -> None:
    """bulk_create of new entries; on PostgreSQL one INSERT … SELECT FROM unnest(arrays), a
    column a parameter, which skips Django's per-value preparation (0.5 s of CPU for 10,000)."""
    if connection.vendor != "postgresql":
        ProgressEntry.objects.bulk_create(entries, batch_size=2000)
        return
    names = ", ".join(name for name, _ in ENTRY_COLUMNS)
    arrays = ", ".join(f"%s::{kind}[]" for _, kind in ENTRY_COLUMNS)
    columns = [[getattr(entry, name) for entry in entries] for name, _ in ENTRY_COLUMNS]
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {ProgressEntry._meta.db_table} ({names}) "
                       f"SELECT * FROM unnest({arrays})", columns)


def progress_entry_add(*, goal_id: int, actor, as_of: date, actual: Decimal, note: str = "",
                       today: date | None = None) -> str:
    """Records `actor`'s actual for a signed goal as of a date (replacing that date's value).
    The signed sheet and its goals are only read, never saved."""
    today = today or timezone.localdate()
    with transaction.atomic():
        goal = Goal.objects.select_related("sheet__period").get(pk=goal_id)
        if not may_enter_progress(actor, goal.sheet):
            replaced = goal.sheet.is_signed and not GoalSheet.objects.filter(
                pk=goal.sheet_id).in_force().exists()
            if replaced:
                raise ProgressRefused({"": REPLACED_VERSION})
            reason = ("Only the employee and their supervisors enter progress; HR reads it."
                      if goal.sheet.is_signed else
                      "Progress is recorded once the sheet is signed.")
            raise ProgressRefused({"": reason}, forbidden=goal.sheet.is_signed)
        problems = progress_problems(goal, as_of=as_of, actual=actual, today=today)
        if problems:
            raise ProgressRefused(problems)
        outcome = _record(goal, as_of=as_of, actual=actual, note=note.strip(), actor=actor,
                          source=ProgressEntry.Source.FORM)
        refresh_latest_entries([goal.pk])
    return outcome



# A KPI value the ledger gives that no progress entry may hold: a negative count or amount
# (overpaid invoices) or more digits than an actual keeps. Such a figure is skipped, not stored.
LEDGER_VALUE_LIMIT = Decimal("1e12")


def progress_ledger_record(values, *, actor, ledger_ref: str) -> dict[str, int]:
    """Records the actuals the AR ledger gives KPI-bound goals: `values` are (goal, as_of,
    actual) of signed goals. A date with no entry gets one (source "ar"); an entry computed
    from the ledger before takes the new figure; an entry typed on the page, imported from a
    CSV or pushed through the API keeps its value, and the ledger's figure is written beside it
    (`ledger_actual`, `ledger_ref`) for the progress page to show: never silently overwritten."""
    counts = {"new": 0, "update": 0, "already recorded": 0, "kept typed": 0, "skipped": 0}
    wanted = {}
    for goal, as_of, actual in values:
        if (actual is None or abs(actual) >= LEDGER_VALUE_LIMIT
                or negative_value_error(goal.measure_kind, actual)):
            counts["skipped"] += 1
            continue
        wanted[(goal.pk, as_of)] = (goal, actual.quantize(Decimal("0.01")))
    if not wanted:
        return counts
    now = timezone.now()
    with transaction.atomic():
        existing = {(entry.goal_id, entry.as_of): entry for entry in ProgressEntry.objects
                    .select_for_update().filter(goal_id__in={g for g, _ in wanted},
                                                as_of__in={d for _, d in wanted})
                    .only("goal_id", "as_of", "actual", "source", "ledger_actual")}
        new, changed = [], []
        for (goal_id, as_of), (goal, actual) in wanted.items():
            entry = existing.get((goal_id, as_of))
            if entry is None:
                new.append(ProgressEntry(
                    goal=goal, as_of=as_of, actual=actual, attained=stored_attainment(goal, actual),
                    entered_by=actor, source=ProgressEntry.Source.LEDGER, ledger_actual=actual,
                    ledger_ref=ledger_ref[:300], created_at=now, updated_at=now))
                continue
            if entry.ledger_actual == actual and (
                    entry.source != ProgressEntry.Source.LEDGER or entry.actual == actual):
                counts["already recorded"] += 1
                continue
            entry.ledger_actual, entry.ledger_ref, entry.updated_at = actual, ledger_ref[:300], now
            if entry.source == ProgressEntry.Source.LEDGER:
                entry.actual, entry.attained = actual, stored_attainment(goal, actual)
                entry.entered_by = actor
                counts["update"] += 1
            else:
                counts["kept typed"] += 1
            changed.append(entry)
        # Two loads recomputed at once may both insert: the later waits on the unique key, then
        # fails, and its task (goalsapp.ar.tasks.recompute_kpis) is retried as a whole.
        _insert_entries(new)
        counts["new"] += len(new)
        ProgressEntry.objects.bulk_update(changed, ["actual", "attained", "entered_by",
                                                    "ledger_actual", "ledger_ref", "updated_at"],
                                          batch_size=1000)
        refresh_latest_entries({goal_id for goal_id, _ in wanted})
    return counts


def progress_import_upload(*, actor, file_name: str, raw: bytes, today: date | None = None):
    """Stores an uploaded CSV and returns (import, preview); raises CsvProblem for a file that
    cannot be read at all."""
    text = decode(raw)
    rows = read_rows(text)
    preview = check_rows(rows, employees=progress_import_scope(actor),
                         today=today or timezone.localdate())
    upload = ProgressImport.objects.create(token=uuid.uuid4(), uploaded_by=actor,
                                           file_name=file_name[:255], content=text)
    return upload, preview


def progress_import_preview(upload: ProgressImport, actor, today: date | None = None):
    """The preview of a stored upload, checked again now and with `actor`'s scope."""
    return check_rows(read_rows(upload.content), employees=progress_import_scope(actor),
                      today=today or timezone.localdate())


def progress_import_confirm(*, token, actor, today: date | None = None) -> dict[str, int]:
    """Imports the valid rows of an upload in one transaction; re-importing the same rows (this
    upload or another with the same content) records nothing twice."""
    with transaction.atomic():
        upload = ProgressImport.objects.select_for_update().get(token=token, uploaded_by=actor)
        preview = progress_import_preview(upload, actor, today)
        counts = {**_record_many(preview.valid, actor=actor, source=ProgressEntry.Source.CSV,
                                 source_import=upload),
                  "skipped": len(preview.invalid)}
        refresh_latest_entries({row.goal.pk for row in preview.valid})
        upload.imported_at = timezone.now()
        upload.save(update_fields=["imported_at"])
    return counts


def progress_rows_record(*, actor, rows: list[dict[str, str]],
                         today: date | None = None) -> dict[str, int]:
    """Records many actuals at once (the API's bulk write) by the CSV import's own rules and
    messages: the same scope, lookup and checks. All or nothing: any row refused raises
    `ProgressRefused` keyed "rows/<index>" and nothing is recorded."""
    today = today or timezone.localdate()
    parsed = [Row(index, {name: str(cells.get(name, "") or "").strip()
                          for name in (*REQUIRED, "note")})
              for index, cells in enumerate(rows)]
    with transaction.atomic():
        preview = check_rows(parsed, employees=progress_import_scope(actor), today=today)
        if preview.invalid:
            raise ProgressRefused({f"rows/{row.line}": " ".join(row.errors)
                                   for row in preview.invalid})
        counts = _record_many(preview.valid, actor=actor, source=ProgressEntry.Source.API)
        refresh_latest_entries({row.goal.pk for row in preview.valid})
    return counts


# People and periods: what HR's systems keep in sync --------------------------------------------

class PeopleRefused(Exception):
    """A person or period cannot be saved; `problems` maps a field to a sentence."""

    def __init__(self, problems: dict[str, str]):
        self.problems = problems
        super().__init__(" ".join(problems.values()))


PERSON_FIELDS = ("full_name", "title", "territory", "work_location", "performance_tier",
                 "supervisor", "is_active")


def supervisor_problem(number: str, boss: str, *, boss_of: dict[str, str],
                       is_active) -> str:
    """Why `number` may not report to `boss` ("" if they may): the one rule for every write of
    a supervisor line. `boss_of` maps people's numbers to their supervisors' as the lines will
    be once the change is made (so two people may swap places in one go); `is_active(number)`
    says whether that person will still be active."""
    if not boss:
        return ""
    if boss == number:
        return "A person cannot be their own supervisor."
    seen, above = {number}, boss
    while above:
        if above in seen:
            return f"Reporting to {boss} would make a loop."
        seen.add(above)
        above = boss_of.get(above, "")
    if not is_active(boss):
        return f"The supervisor {boss} has left."
    return ""


def _supervisor_problem(number: str, supervisor: Employee | None) -> str:
    """`supervisor_problem` for one person, on the line above the new supervisor as stored."""
    if supervisor is None:
        return ""
    boss_of, active = {}, {}
    above = supervisor
    while above is not None and above.employee_number not in boss_of:
        boss_of[above.employee_number] = (above.supervisor.employee_number
                                          if above.supervisor_id else "")
        active[above.employee_number] = above.is_active
        above = above.supervisor
    boss_of[number] = supervisor.employee_number
    return supervisor_problem(number, supervisor.employee_number, boss_of=boss_of,
                              is_active=lambda other: active.get(other, False))


def new_people_problems(numbers) -> dict[str, str]:
    """Why each of these numbers cannot be given to a new person (two queries for any number)."""
    numbers = set(numbers)
    problems = {number: f"{number} exists already." for number in Employee.objects.filter(
        employee_number__in=numbers).values_list("employee_number", flat=True)}
    for name in get_user_model().objects.filter(username__in=numbers - problems.keys()) \
            .values_list("username", flat=True):
        problems[name] = f"A login named {name} exists."
    return problems


def employee_save(*, actor, values: dict, employee: Employee | None = None,
                  email: str | None = None) -> Employee:
    """Creates a person (with their login, no usable password: they sign in by SSO or a reset)
    or updates one; deactivating also deactivates the login, and nobody is ever deleted."""
    with transaction.atomic():
        if employee is not None:
            employee = Employee.objects.select_for_update().get(pk=employee.pk)
        number = employee.employee_number if employee else values["employee_number"]
        problem = _supervisor_problem(number, values.get("supervisor"))
        if problem:
            raise PeopleRefused({"supervisor_number": problem})
        if employee is None:
            refused = new_people_problems([number])
            if refused:
                raise PeopleRefused({"employee_number": refused[number]})
            user = get_user_model()(username=number, email=email or "")
            user.set_unusable_password()
            user.save()
            employee = Employee(user=user, employee_number=number)
        for name in PERSON_FIELDS:
            if name in values:
                setattr(employee, name, values[name])
        employee._history_user = actor
        employee.save()
        user = employee.user
        changed = []
        if email is not None and user.email != email:
            user.email, changed = email, [*changed, "email"]
        if user.is_active != employee.is_active:
            user.is_active, changed = employee.is_active, [*changed, "is_active"]
        if changed:
            user.save(update_fields=changed)
    return employee


@dataclass
class PersonValues:
    """What one person becomes in `employees_save_many`: `values` as `employee_save` takes
    them but with the supervisor named by number ("supervisor_number", "" for none), so a line
    may name someone created in the same call; `email` None leaves the login's as it is."""

    number: str
    values: dict
    email: str | None = None


def employees_save_many(*, actor, people: list[PersonValues]) -> dict[str, Employee]:
    """`employee_save` for many people at once (the HRIS file): the same rules, every
    supervisor line judged on the lines as they will be, then new logins and people inserted in
    bulk, changed people updated in one statement, one history row for each person who changed.
    All or nothing: any refusal raises `PeopleRefused` keyed by employee number. A person whose
    values change nothing is not written. Returns the people written, by number."""
    with transaction.atomic():
        numbers = {person.number for person in people}
        stored = {employee.employee_number: employee for employee in Employee.objects
                  .select_for_update(of=("self",)).select_related("user")
                  .filter(employee_number__in=numbers)}
        # Every line and active flag as they will be: one narrow query for everyone.
        stored_boss, active = {}, {}
        for number, boss, is_active in Employee.objects.values_list(
                "employee_number", "supervisor__employee_number", "is_active"):
            stored_boss[number], active[number] = boss or "", is_active
        boss_of = dict(stored_boss)
        for person in people:
            if "supervisor_number" in person.values:
                boss_of[person.number] = person.values["supervisor_number"]
            active[person.number] = person.values.get("is_active",
                                                      active.get(person.number, True))
        problems = new_people_problems(numbers - stored.keys())
        for person in people:
            boss = person.values.get("supervisor_number", "")
            if boss and boss not in active:
                problems[person.number] = f"Unknown supervisor number “{boss}”."
            elif problem := supervisor_problem(person.number, boss, boss_of=boss_of,
                                               is_active=lambda other: active.get(other, False)):
                problems[person.number] = problem
        if problems:
            raise PeopleRefused(problems)
        return _people_write(actor, people, stored, stored_boss)


def _people_write(actor, people: list[PersonValues], stored: dict,
                  stored_boss: dict[str, str]) -> dict[str, Employee]:
    users = get_user_model()
    new_people = {person.number: person for person in people if person.number not in stored}
    logins = {}
    for number, person in new_people.items():
        # Unusable, as set_unusable_password makes it, without its 40 calls to secrets.choice.
        logins[number] = users(username=number, email=person.email or "",
                               is_active=person.values.get("is_active", True),
                               password=UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30))
    users.objects.bulk_create(logins.values(), batch_size=1000)
    lines = {person.number: person.values["supervisor_number"] for person in people
             if "supervisor_number" in person.values
             and person.values["supervisor_number"] != stored_boss.get(person.number, "")}
    bosses = {employee.employee_number: employee for employee in Employee.objects.filter(
        employee_number__in={boss for boss in lines.values() if boss and boss not in new_people})}
    # New people go in boss before report, a layer at a time, each with its line and its one
    # history row: nothing of theirs is written twice.
    written = {}
    for layer in _layers(new_people, lines):
        employees = []
        for number in layer:
            employee = Employee(user=logins[number], employee_number=number)
            for name in PERSON_FIELDS:
                if name in new_people[number].values:
                    setattr(employee, name, new_people[number].values[name])
            employee.supervisor = bosses.get(lines.get(number, ""))
            employees.append(employee)
        bulk_create_with_history(employees, Employee, batch_size=1000, default_user=actor)
        for employee in employees:
            written[employee.employee_number] = bosses[employee.employee_number] = employee
    changed, changed_fields, changed_logins = [], set(), []
    for person in people:
        employee = stored.get(person.number)
        if employee is None:
            continue
        changes = {name: value for name, value in person.values.items()
                   if name in PERSON_FIELDS and getattr(employee, name) != value}
        if person.number in lines:
            changes["supervisor"] = bosses.get(lines[person.number])
        login, login_fields = employee.user, []
        if person.email is not None and login.email != person.email:
            login.email, login_fields = person.email, ["email"]
        if "is_active" in changes:
            login.is_active, login_fields = changes["is_active"], [*login_fields, "is_active"]
        if login_fields:
            changed_logins.append(login)
        if changes:
            for name, value in changes.items():
                setattr(employee, name, value)
            changed_fields |= changes.keys()
            changed.append(employee)
            written[person.number] = employee
    if changed:
        bulk_update_with_history(changed, Employee, sorted(changed_fields), batch_size=1000,
                                 default_user=actor)
    if changed_logins:
        users.objects.bulk_update(changed_logins, ["email", "is_active"], batch_size=1000)
    return written


def _layers(new_people: dict, lines: dict[str, str]) -> list[list[str]]:
    """The new people's numbers by depth among the new: those whose supervisor is not new
    first, then their reports, and so on (the lines have been checked: no loops)."""
    depth: dict[str, int] = {}
    for number in new_people:
        chain: list[str] = []
        on_chain: set[str] = set()  # only a guard: the lines were checked for loops
        while number in new_people and number not in depth and number not in on_chain:
            chain.append(number)
            on_chain.add(number)
            number = lines.get(number, "")
        level = depth.get(number, -1)
        for above in reversed(chain):
            level += 1
            depth[above] = level
    layers: list[list[str]] = [[] for _ in range(max(depth.values(), default=-1) + 1)]
    for number, level in depth.items():
        layers[level].append(number)
    return layers


PERIOD_FIELDS = ("name", "starts_on", "ends_on", "goals_due", "answers_due", "signatures_due",
                 "hr_review_due", "self_assessments_due", "assessments_due",
                 "closing_signatures_due", "hr_closing_due", "currency", "is_open")


def period_save(*, values: dict, period: ReviewPeriod | None = None) -> ReviewPeriod:
    """Creates or updates a review period with the model's own checks (signed content stays)."""
    period = period or ReviewPeriod()
    for name in PERIOD_FIELDS:
        if name in values:
            setattr(period, name, values[name])
    try:
        period.full_clean()
    except ValidationError as error:
        raise PeopleRefused({(name if name != "__all__" else "name"): " ".join(messages)
                             for name, messages in error.message_dict.items()}) from error
    period.save()
    return period
