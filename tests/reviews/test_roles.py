"""Who holds which role on a sheet is one rule in three forms (reviews/workflow.py): roles_of
for one user and one sheet, sheets_where_role as a query, role_holder_ids as user ids. The three
must agree for every persona in every state, and so must the three readers of "whose turn is
it": the sheet page (waiting_on), the inbox (sheets_waiting_on) and the notices (next_actors)."""

import pytest
from django.contrib.auth.models import Group

from goalsapp.access import HR_GROUP, hr_user_ids
from goalsapp.models import GoalSheet
from reviews.notifications.recipients import SheetRow, next_actors
from reviews.selectors import inbox_sheets, sheets_waiting_on
from reviews.workflow import (
    Parties,
    Role,
    role_holder_ids,
    roles_of,
    sheets_where_role,
    waiting_on,
)
from tests.factories import EmployeeFactory, GoalFactory, GoalSheetFactory
from tests.workflow_helpers import STATE_ORDER

PERSONAS = ("employee", "supervisor", "manager", "other_supervisor", "other_employee", "hr",
            "hr_supervisor", "hr_report", "admin")


@pytest.fixture
def people(request, employee, supervisor, manager, other_supervisor, other_employee, hr, admin):
    """The conftest personas, plus an HR member who supervises someone (hugo → ivy), who must
    hold the supervisor's role on ivy's sheet and never HR's."""
    hugo = EmployeeFactory(user__username="hugo", full_name="Hugo Hale", title="HR Manager")
    hugo.user.groups.add(Group.objects.get(name=HR_GROUP))
    ivy = EmployeeFactory(user__username="ivy", full_name="Ivy Iverson", supervisor=hugo,
                          title="HR Assistant")
    found = {"employee": employee, "supervisor": supervisor, "manager": manager,
             "other_supervisor": other_supervisor, "other_employee": other_employee, "hr": hr,
             "hr_supervisor": hugo, "hr_report": ivy}
    users = {name: person.user for name, person in found.items()}
    users["admin"] = admin
    return users


def _fresh(sheet) -> GoalSheet:
    return GoalSheet.objects.select_related(
        "employee__user", "employee__supervisor__user", "employee__supervisor__supervisor",
        "period").get(pk=sheet.pk)


def _managers_above(sheet) -> tuple[int, ...]:
    """The users above the supervisor in the line who have active reports of their own."""
    found, boss = [], sheet.employee.supervisor and sheet.employee.supervisor.supervisor
    while boss is not None:
        if boss.reports.filter(is_active=True).exists():
            found.append(boss.user_id)
        boss = boss.supervisor
    return tuple(found)


def _three_forms(user, sheet) -> tuple[set, set, set]:
    one = GoalSheet.objects.filter(pk=sheet.pk)
    as_query = {role for role in Role if one.filter(sheets_where_role(user, role)).exists()}
    parties = Parties(sheet.employee.user_id,
                      sheet.employee.supervisor.user_id if sheet.employee.supervisor else None,
                      _managers_above(sheet))
    as_ids = {role for role in Role if user.pk in role_holder_ids(parties, role, hr_user_ids())}
    return roles_of(user, sheet), as_query, as_ids


def _ivy_sheet(people, period):
    ivy = people["hr_report"].employee
    sheet = GoalSheetFactory(employee=ivy, period=period)
    GoalFactory(sheet=sheet, position=1)
    return sheet


def test_the_three_forms_agree_for_every_persona_in_every_state(people, sheet, period, advance):
    ivy_sheet = _ivy_sheet(people, period)
    seen = {}
    for state in STATE_ORDER:
        for subject in (sheet, ivy_sheet):
            subject = _fresh(advance(subject, state, hr_user=people["hr"]))
            assert subject.state == state
            in_inbox = {name for name, user in people.items()
                        if sheets_waiting_on(user).filter(pk=subject.pk).exists()}
            # The inbox page reads the same rows through a query compiled per kind of viewer.
            on_page = {name for name, user in people.items()
                       if subject.pk in {s.pk for s in inbox_sheets(user)}}
            assert on_page == in_inbox, state
            hr_ids = hr_user_ids()
            for name, user in people.items():
                roles, as_query, as_ids = _three_forms(user, subject)
                assert roles == as_query == as_ids, (name, subject.employee_name, state)
                seen[(name, subject.employee_name)] = roles
                told = user.pk in next_actors(SheetRow.of(subject), hr_ids)
                page = waiting_on(user, subject)
                assert page == told == (name in in_inbox), (name, state)
            assert in_inbox or state == "signed", f"nobody holds the next step in {state}"

    # What the rule says, so agreeing on a wrong answer fails too.
    emma, ivy = "Emma Ellis", "Ivy Iverson"
    assert seen[("employee", emma)] == {Role.EMPLOYEE}
    assert seen[("supervisor", emma)] == {Role.SUPERVISOR}
    assert seen[("hr", emma)] == {Role.HR}
    assert seen[("hr_supervisor", emma)] == {Role.HR}
    assert seen[("manager", emma)] == {Role.MANAGER}  # above Sam, her supervisor
    for outsider in ("other_supervisor", "other_employee", "admin", "hr_report"):
        assert seen[(outsider, emma)] == set(), outsider
    assert seen[("hr_supervisor", ivy)] == {Role.SUPERVISOR}  # never HR on a sheet they sign
    assert seen[("hr_report", ivy)] == {Role.EMPLOYEE}
    assert seen[("hr", ivy)] == {Role.HR}


def test_hr_members_who_are_parties_are_not_told_to_review(people, period, advance):
    ivy_sheet = _fresh(advance(_ivy_sheet(people, period), "hr_review", hr_user=people["hr"]))
    told = next_actors(SheetRow.of(ivy_sheet), hr_user_ids())
    assert told == [people["hr"].pk]  # hana; not hugo, who supervises ivy
    inbox = set(sheets_waiting_on(people["hr_supervisor"]).values_list("pk", flat=True))
    assert ivy_sheet.pk not in inbox
