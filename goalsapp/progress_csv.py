"""Reading actuals: the one rule for a valid entry, and the CSV format bulk loads use.

The CSV has a header row with these columns (any order; `note` optional):
employee_number, period, goal, as_of, actual, note — `period` is the review period's name,
`goal` the goal's number on the signed sheet (1 for the first goal), `as_of` a YYYY-MM-DD date
and `actual` a plain number (a thousands comma is accepted: 1,234.50).
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db.models import BooleanField, ExpressionWrapper, F, QuerySet

from . import csv_safe
from .models import Goal, GoalSheet, ProgressEntry, ReviewPeriod, signed_q
from .rules import negative_value_error

COLUMNS = ("employee_number", "period", "goal", "as_of", "actual", "note")
REQUIRED = COLUMNS[:5]
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 20_000
MAX_ACTUAL = Decimal("999999999999.99")
TEMPLATE_ROWS = (
    ("E1004", "Jan 2027 – Dec 2027", "1", "2027-03-31", "91.5", "From the AR aging export"),
    ("E1004", "Jan 2027 – Dec 2027", "2", "2027-03-31", "125000.00", ""),
)


class CsvProblem(Exception):
    """The file as a whole cannot be read; the message says why, for the upload field."""


def parse_actual(text: str) -> Decimal | None:
    """A number from what a person or an export wrote, or None if it is not one."""
    cleaned = text.strip().replace(",", "").replace(" ", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def progress_problems(goal: Goal, *, as_of: date, actual: Decimal, today: date,
                      period=None) -> dict[str, str]:
    """Why this entry cannot be recorded, by field (empty when it can)."""
    period = period or goal.sheet.period
    problems = {}
    if as_of > today:
        problems["as_of"] = ("The date is in the future: actuals are recorded up to today "
                             f"({today:%Y-%m-%d}).")
    elif not period.contains(as_of):
        problems["as_of"] = (f"The date is outside the period {period.name} "
                             f"({period.starts_on:%Y-%m-%d} to {period.ends_on:%Y-%m-%d}).")
    if message := negative_value_error(goal.measure_kind, actual):
        problems["actual"] = message
    elif abs(actual) > MAX_ACTUAL:
        problems["actual"] = "The number is too large."
    elif actual != actual.quantize(Decimal("0.01")):
        problems["actual"] = "Use at most two decimals."
    return problems


@dataclass
class Row:
    line: int
    cells: dict[str, str]
    goal: Goal | None = None
    as_of: date | None = None
    actual: Decimal | None = None
    note: str = ""
    errors: list[str] = field(default_factory=list)
    outcome: str = ""  # for a valid row: "new", "update" or "already recorded"

    @property
    def is_valid(self) -> bool:
        return not self.errors


@dataclass
class Preview:
    rows: list[Row]

    @property
    def valid(self) -> list[Row]:
        return [row for row in self.rows if row.is_valid]

    @property
    def invalid(self) -> list[Row]:
        return [row for row in self.rows if not row.is_valid]

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.valid if row.outcome == outcome)


def decode(raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise CsvProblem(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CsvProblem("The file is not UTF-8 text: save it as “CSV UTF-8” and upload it "
                         "again.") from error


def read_rows(text: str) -> list[Row]:
    """The data rows of `text`, with the header checked; raises CsvProblem for the whole file."""
    if "\x00" in text:
        raise CsvProblem("This is not a CSV file (it holds binary data).")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None or not any(cell.strip() for cell in header):
            raise CsvProblem("The file is empty: it needs a header row and at least one row.")
        names = [cell.strip().lower() for cell in header]
        missing = [name for name in REQUIRED if name not in names]
        if missing:
            raise CsvProblem(f"Missing column{'s' if len(missing) > 1 else ''}: "
                             f"{', '.join(missing)}. The header must name "
                             f"{', '.join(COLUMNS)} (note is optional).")
        rows = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise CsvProblem(f"The file has more than {MAX_ROWS:,} rows: split it.")
            row = Row(reader.line_num, {name: (cells[i].strip() if i < len(cells) else "")
                                        for i, name in enumerate(names)})
            if len(cells) > len(names):
                row.errors.append(f"This row has {len(cells)} cells; the header names "
                                  f"{len(names)}.")
            rows.append(row)
    except csv.Error as error:
        raise CsvProblem(f"The file is not valid CSV (line {reader.line_num}): {error}.") from error
    if not rows:
        raise CsvProblem("The file has a header but no rows.")
    return rows


def check_rows(rows: list[Row], *, employees: QuerySet, today: date) -> Preview:
    """Finds each row's goal among the signed sheets of `employees` (the uploader's scope) and
    checks its values; a fixed number of queries however many rows."""
    numbers = {row.cells.get("employee_number", "") for row in rows}
    period_names = {row.cells.get("period", "") for row in rows}
    known_numbers = set(employees.filter(employee_number__in=numbers)
                        .values_list("employee_number", flat=True))
    # Whether each person's period has a signed version (an amended one has several rows).
    sheets: dict[tuple[str, str], bool] = {}
    for number, period_name, signed in (
              GoalSheet.objects.filter(employee__in=employees,
                                       employee__employee_number__in=known_numbers,
                                       period__name__in=period_names)
              .annotate(signed=ExpressionWrapper(signed_q(), output_field=BooleanField()))
              .values_list("employee__employee_number", "period__name", "signed")):
        sheets[number, period_name] = sheets.get((number, period_name), False) or signed
    # Only the goal's own fields that recording reads, its sheet's keys as plain values: the
    # sheets, people and periods as model objects cost a third of a 10,000-row load.
    goals = (Goal.objects.in_force().filter(sheet__employee__in=employees,
                                          sheet__employee__employee_number__in=known_numbers,
                                          sheet__period__name__in=period_names)
             .only("id", "sheet_id", "position", "measure_kind", "target", "baseline",
                   "direction")
             .annotate(number=F("sheet__employee__employee_number"),
                       period_name=F("sheet__period__name")))
    by_key: dict[tuple[str, str, int], Goal] = {}
    for goal in goals:
        by_key[(goal.number, goal.period_name, goal.position)] = goal
    periods = {period.name: period for period in ReviewPeriod.objects.filter(
        name__in=period_names)}
    known_periods = periods.keys()

    seen: dict[tuple[int, date], int] = {}
    for row in rows:
        for name in REQUIRED:
            if not row.cells.get(name):
                row.errors.append(f"The {name} is empty.")
        if row.errors:
            continue
        number, period_name = row.cells["employee_number"], row.cells["period"]
        row.note = row.cells.get("note", "")[:500]
        row.as_of = parse_day(row.cells["as_of"])
        row.actual = parse_actual(row.cells["actual"])
        if number not in known_numbers:
            row.errors.append(f"Unknown employee number “{number}”.")
        elif period_name not in known_periods:
            row.errors.append(f"Unknown period “{period_name}”.")
        elif (number, period_name) not in sheets:
            row.errors.append(f"{number} has no goal sheet for {period_name}.")
        elif not sheets[(number, period_name)]:
            row.errors.append(f"{number}'s sheet for {period_name} is not signed yet: "
                              "progress is recorded on signed goals only.")
        else:
            position = row.cells["goal"].removeprefix("#")
            row.goal = by_key.get((number, period_name, int(position))) \
                if position.isdigit() else None
            if row.goal is None:
                row.errors.append(f"Unknown goal “{row.cells['goal']}”: {number}'s signed "
                                  f"sheet for {period_name} numbers its goals 1 to "
                                  f"{sum(1 for k in by_key if k[:2] == (number, period_name))}.")
        if row.as_of is None:
            row.errors.append(f"“{row.cells['as_of']}” is not a date: write it as YYYY-MM-DD.")
        if row.actual is None:
            row.errors.append(f"“{row.cells['actual']}” is not a number.")
        if row.errors:
            continue
        problems = progress_problems(row.goal, as_of=row.as_of, actual=row.actual, today=today,
                                     period=periods[period_name])
        row.errors.extend(problems.values())
        key = (row.goal.pk, row.as_of)
        if not row.errors and key in seen:
            row.errors.append(f"Line {seen[key]} already gives this goal's actual for "
                              f"{row.as_of:%Y-%m-%d}.")
        seen.setdefault(key, row.line)

    valid = [row for row in rows if not row.errors]
    recorded = dict(
        ((goal_id, as_of), actual) for goal_id, as_of, actual in
        ProgressEntry.objects.filter(goal_id__in={row.goal.pk for row in valid},
                                     as_of__in={row.as_of for row in valid})
        .values_list("goal_id", "as_of", "actual"))
    for row in valid:
        stored = recorded.get((row.goal.pk, row.as_of))
        row.outcome = ("new" if stored is None else
                       "already recorded" if stored == row.actual else "update")
    return Preview(rows)


def template_csv() -> str:
    out = io.StringIO()
    writer = csv_safe.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(TEMPLATE_ROWS)
    return out.getvalue()
