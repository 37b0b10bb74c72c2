"""Reading the HRIS export and working out what it changes: new people, changed fields, new
supervisor lines, leavers, and per-row errors (unknown supervisor, a loop, a duplicate number,
a bad value). Applying goes through `goalsapp.services.employees_save_many`, the bulk form of the
API's own write, and the lines are judged by the same rule (`services.supervisor_problem`).
Nobody is ever deleted: a leaver (active = no, or missing from a full export when HR says the
file is one) is deactivated."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from goalsapp import services
from goalsapp.models import Employee, GoalSheet, signed_q

COLUMNS = ("employee_number", "full_name", "email", "title", "territory", "work_location",
           "performance_tier", "supervisor_number", "active")
REQUIRED = ("employee_number", "full_name", "title")
MAX_BYTES = 20 * 1024 * 1024
# More people than any collections organisation: a larger file is a wrong export, and its
# preview (every new person listed) would be a page of many megabytes.
MAX_ROWS = 20_000
YES, NO = {"1", "yes", "y", "true", "active"}, {"0", "no", "n", "false", "inactive", "left"}
TIERS = {value: value for value in Employee.Tier.values} | {
    label.lower(): value for value, label in Employee.Tier.choices}
FIELDS = ("full_name", "email", "title", "territory", "work_location", "performance_tier",
          "supervisor_number", "is_active")


class SyncProblem(Exception):
    """The file as a whole cannot be read."""


@dataclass
class PersonRow:
    line: int
    number: str
    values: dict = field(default_factory=dict)  # FIELDS as the file gives them
    errors: list[str] = field(default_factory=list)
    kind: str = ""  # new, change, leaver, unchanged
    changes: dict = field(default_factory=dict)  # field → (old, new)
    missing: bool = False  # not in the file: a leaver because the file is a full export
    name: str = ""  # a missing person's name as stored, for the preview


@dataclass
class Plan:
    rows: list[PersonRow]

    def of(self, kind: str) -> list[PersonRow]:
        return [row for row in self.rows if not row.errors and row.kind == kind]

    @property
    def new(self) -> list[PersonRow]:
        return self.of("new")

    @property
    def changed(self) -> list[PersonRow]:
        return self.of("change")

    @property
    def leavers(self) -> list[PersonRow]:
        return self.of("leaver")

    @property
    def unchanged(self) -> list[PersonRow]:
        return self.of("unchanged")

    @property
    def errors(self) -> list[PersonRow]:
        return [row for row in self.rows if row.errors]

    @property
    def new_lines(self) -> list[PersonRow]:
        return [row for row in self.rows if not row.errors and "supervisor_number" in row.changes]


def read(raw: bytes) -> list[PersonRow]:
    if len(raw) > MAX_BYTES:
        raise SyncProblem("The file is larger than 20 MB.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SyncProblem("The file is not UTF-8 text: save it as “CSV UTF-8”.") from error
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [name.strip().lower() for name in (reader.fieldnames or [])]
        missing = [name for name in REQUIRED if name not in header]
        if missing:
            raise SyncProblem(f"Missing column{'s' if len(missing) > 1 else ''}: "
                              f"{', '.join(missing)}. The header names {', '.join(COLUMNS)}.")
        reader.fieldnames = header
        rows = []
        for cells in reader:
            cells = {name: (value or "").strip() for name, value in cells.items() if name}
            if not any(cells.values()):
                continue
            if len(rows) >= MAX_ROWS:
                raise SyncProblem(f"The file has more than {MAX_ROWS:,} people; Goalpost syncs "
                                  "at most that many. Check that it is the right export.")
            rows.append(_row(reader.line_num, cells, header))
    except csv.Error as error:
        raise SyncProblem(f"The file is not valid CSV (line {reader.line_num}): {error}.") \
            from error
    if not rows:
        raise SyncProblem("The file has no people in it.")
    return rows


def _row(line: int, cells: dict, header: list[str]) -> PersonRow:
    row = PersonRow(line, cells.get("employee_number", ""))
    for name in REQUIRED:
        if not cells.get(name):
            row.errors.append(f"The {name.replace('_', ' ')} is empty.")
    values = {name: cells[name] for name in ("full_name", "title", "territory", "work_location",
                                              "email", "supervisor_number") if name in header}
    if values.get("email") == "":
        del values["email"]  # an export without an address leaves the login's as it is
    if values.get("email"):
        try:
            validate_email(values["email"])
        except ValidationError:
            row.errors.append(f"“{values['email']}” is not an e-mail address.")
    if "performance_tier" in header and cells.get("performance_tier"):
        tier = TIERS.get(cells["performance_tier"].lower())
        if tier is None:
            row.errors.append(f"Unknown tier “{cells['performance_tier']}”: use "
                              f"{', '.join(Employee.Tier.values)}.")
        values["performance_tier"] = tier
    if "active" in header and cells.get("active"):
        flag = cells["active"].lower()
        if flag not in YES | NO:
            row.errors.append(f"“{cells['active']}” is not yes or no.")
        values["is_active"] = flag in YES
    for name, limit in (("employee_number", 20), ("full_name", 150), ("title", 100),
                        ("territory", 100), ("work_location", 150)):
        if len(cells.get(name, "")) > limit:
            row.errors.append(f"The {name.replace('_', ' ')} is longer than {limit} characters.")
    row.values = values
    return row


def plan(rows: list[PersonRow], *, missing_have_left: bool = False) -> Plan:
    """What the rows change, checked against each other and the people already here (a fixed
    number of queries however many rows). With `missing_have_left` (a full export), every
    active person the file does not name is a leaver too."""
    known = {person.employee_number: person for person in
             Employee.objects.select_related("user", "supervisor")}
    seen: dict[str, int] = {}
    for row in rows:
        if row.number in seen:
            row.errors.append(f"Line {seen[row.number]} already gives {row.number}.")
        seen.setdefault(row.number, row.line)
    rows = list(rows)
    if missing_have_left:
        rows += [PersonRow(0, number, {"is_active": False}, missing=True,
                           name=person.full_name)
                 for number, person in sorted(known.items())
                 if person.is_active and number not in seen]
    taken = services.new_people_problems(
        {row.number for row in rows if not row.errors and row.number not in known})
    for row in rows:
        if row.number in taken and not row.errors:
            row.errors.append(taken[row.number])
    # The lines are judged as they will be once the valid rows are applied; a row refused here
    # takes its own line out, so judge again until no further row is refused.
    while _check_lines(rows, known):
        pass
    for row in rows:
        if row.errors:
            continue
        person = known.get(row.number)
        if person is None:
            row.kind = "new"
            row.changes = {name: ("", value) for name, value in row.values.items()}
            continue
        current = _current(person)
        row.changes = {name: (current[name], value) for name, value in row.values.items()
                       if current[name] != value}
        if row.changes.get("is_active") == (True, False):
            row.kind = "leaver"
        else:
            row.kind = "change" if row.changes else "unchanged"
    return Plan(rows)


def _check_lines(rows: list[PersonRow], known: dict) -> bool:
    """Adds the supervisor rule's refusals (`services.supervisor_problem`) to the rows that are
    still valid; True if it refused any."""
    valid = {row.number: row for row in rows if not row.errors}
    boss_of = {number: (person.supervisor.employee_number if person.supervisor else "")
               for number, person in known.items()}
    active = {number: person.is_active for number, person in known.items()}
    for number, row in valid.items():
        if "supervisor_number" in row.values:
            boss_of[number] = row.values["supervisor_number"]
        active[number] = row.values.get("is_active", active.get(number, True))
    refused = False
    for row in valid.values():
        boss = row.values.get("supervisor_number", "")
        if boss and boss not in active:
            row.errors.append(f"Unknown supervisor number “{boss}”.")
        elif problem := services.supervisor_problem(
                row.number, boss, boss_of=boss_of, is_active=lambda other: active[other]):
            row.errors.append(problem)
        refused = refused or bool(row.errors)
    return refused


def _current(person: Employee) -> dict:
    return {"full_name": person.full_name, "email": person.user.email, "title": person.title,
            "territory": person.territory, "work_location": person.work_location,
            "performance_tier": person.performance_tier,
            "supervisor_number": person.supervisor.employee_number if person.supervisor else "",
            "is_active": person.is_active}


def apply(rows: list[PersonRow], *, actor, missing_have_left: bool = False) -> Plan:
    """Applies every valid row in one transaction (re-checked now) through the people service's
    bulk write; rows with errors are left out and reported. Applying the same file again
    changes nothing."""
    with transaction.atomic():
        result = plan(rows, missing_have_left=missing_have_left)
        services.employees_save_many(actor=actor, people=[
            services.PersonValues(row.number,
                                  {name: value for name, value in row.values.items()
                                   if name != "email"},
                                  email=row.values.get("email"))
            for row in result.of("new") + result.of("change") + result.of("leaver")])
    return result


def open_sheets_of(numbers: list[str]):
    """Leavers' sheets still in the workflow: HR decides what becomes of them."""
    return (GoalSheet.objects.filter(employee__employee_number__in=numbers)
            .exclude(signed_q()).select_related("employee", "period")
            .order_by("employee__employee_number", "period__starts_on"))


def template_csv() -> str:
    out = io.StringIO()
    csv.writer(out).writerows([COLUMNS, ["E-1003", "Emma Ellis", "emma@example.com",
                                         "Collections Specialist", "Northeast", "Boston, MA",
                                         "core", "E-1002", "yes"]])
    return out.getvalue()
