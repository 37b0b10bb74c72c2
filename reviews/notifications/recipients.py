"""Who must act next on a sheet, read from the workflow table, and who hears of a stuck sheet.

Whoever holds the role NEXT_ACTOR names is told: workflow.role_holder_ids, the user-id form of
the one rule of who holds which role (beside roles_of in reviews/workflow.py)."""

from typing import NamedTuple

from goalsapp.models import GoalSheet
from reviews.workflow import (
    NEXT_ACTOR,
    ROLE_NAMES,
    Parties,
    Role,
    current_state,
    role_holder_ids,
)

# What each sheet row of the sweep carries: enough to address and word every notice. "stage" is
# the sheet's current state (workflow.current_state_expression: its closing review's once it
# has one), annotated by the sweep's query.
SHEET_VALUES = (
    "pk", "stage", "period_id", "period__name", "employee_name",
    "employee__user_id", "employee__supervisor__user_id", "employee__supervisor__full_name",
    "employee__supervisor__supervisor__user_id",
)


class SheetRow(NamedTuple):
    """A sheet as the sweep reads it: one row of SHEET_VALUES (a tuple: cheap by the 100,000)."""

    pk: int
    state: str
    period_id: int
    period_name: str
    employee_name: str
    employee_user_id: int
    supervisor_user_id: int | None
    supervisor_name: str | None
    manager_user_id: int | None  # the supervisor's own supervisor

    @classmethod
    def of(cls, sheet: GoalSheet) -> "SheetRow":
        employee = sheet.employee
        supervisor = employee.supervisor
        return cls(sheet.pk, current_state(sheet), sheet.period_id, sheet.period.name,
                   sheet.employee_name, employee.user_id,
                   supervisor.user_id if supervisor else None,
                   supervisor.full_name if supervisor else None,
                   supervisor.supervisor.user_id if supervisor and supervisor.supervisor
                   else None)


def parties_of(row: SheetRow) -> Parties:
    return Parties(row.employee_user_id, row.supervisor_user_id)


def next_actors(row: SheetRow, hr_ids: list[int]) -> list[int]:
    """User ids of whoever the sheet now waits on (NEXT_ACTOR), none once it is signed."""
    role = NEXT_ACTOR[row.state]  # a StrEnum key: the plain string finds it
    return role_holder_ids(parties_of(row), role, hr_ids) if role else []


def escalation_recipients(row: SheetRow, hr_ids: list[int]) -> list[int]:
    """The supervisor's own supervisor and HR (those who hold the HR role on the sheet: never
    a party to it), each once."""
    parties = parties_of(row)
    party_ids = set(parties)
    candidates = [row.manager_user_id, *role_holder_ids(parties, Role.HR, hr_ids)]
    return list(dict.fromkeys(pk for pk in candidates if pk and pk not in party_ids))


def waiting_on_whom(row: SheetRow) -> str:
    """Who the sheet is stuck on, in words: a person's name or Human Resources."""
    role = NEXT_ACTOR[row.state]  # a StrEnum key: the plain string finds it
    if role == Role.SUPERVISOR:
        return f"{row.supervisor_name or 'the supervisor'} ({ROLE_NAMES[role]})"
    if role == Role.EMPLOYEE:
        return f"{row.employee_name} ({ROLE_NAMES[role]})"
    return ROLE_NAMES[role] if role else "nobody"
