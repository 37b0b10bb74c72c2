"""The access policy (goalsapp/access.py) is the one place that decides who may use which page;
the navigation asks it through `can`. So a person sees a link exactly when the page behind it
opens for them, for every persona, and "signed" means one thing everywhere."""

import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from goalsapp.models import GoalSheet, SheetState
from tests.workflow_helpers import STATE_ORDER

pytestmark = pytest.mark.django_db

PERSONAS = ("employee", "supervisor", "manager", "other_supervisor", "hr", "admin")
# The pages a navigation link leads to, and the page whose navigation carries the link.
GATED = {
    "team": "inbox",
    "hr_queue": "inbox",
    "goal_set_list": "inbox",
    "archive_verify": "inbox",
    "archive_export": "inbox",
    "admin:index": "inbox",
    "team_dashboard": "department_dashboard",
    "department_dashboard": "department_dashboard",
    "workflow_overview": "department_dashboard",
    "progress_import": "department_dashboard",
    "ar_loads": "inbox",
    "collector_kpis": "inbox",
}
OPENS = {  # what each persona may open, as docs/architecture.md's visibility table says
    "employee": set(),
    "supervisor": {"team", "goal_set_list", "team_dashboard", "department_dashboard",
                   "progress_import", "collector_kpis"},
    "manager": {"team", "goal_set_list", "team_dashboard", "department_dashboard",
                "progress_import", "collector_kpis"},
    "other_supervisor": {"team", "goal_set_list", "team_dashboard", "department_dashboard",
                         "progress_import", "collector_kpis"},
    "hr": {"hr_queue", "goal_set_list", "archive_verify", "department_dashboard",
           "workflow_overview", "progress_import", "ar_loads", "collector_kpis"},
    "admin": {"archive_verify", "archive_export", "admin:index", "department_dashboard",
              "workflow_overview", "progress_import", "ar_loads", "collector_kpis"},
}


def _links(client, page_name) -> set[str]:
    response = client.get(reverse(page_name))
    if response.status_code != 200:  # a persona without the dashboards' home page
        return set()
    return set(re.findall(r'href="([^"#?]+)"', response.content.decode()))


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_link_is_shown_exactly_when_its_page_opens(client, request, persona, employee,
                                                      other_employee):
    person = request.getfixturevalue(persona)
    client.force_login(getattr(person, "user", person))
    links = {page: _links(client, page) for page in set(GATED.values())}
    opened = set()
    for name, page in GATED.items():
        url = reverse(name)
        response = client.get(url)
        assert response.status_code in (200, 302, 403), (name, response.status_code)
        opens = response.status_code == 200
        if opens:
            opened.add(name)
        assert (url in links[page]) == opens, (
            f"{persona}: the link to {name} is {'shown' if url in links[page] else 'hidden'} "
            f"but the page answers {response.status_code}")
        if not opens and not name.startswith("admin:"):
            assert response.status_code == 403  # with the sentence saying why
            assert response.context["reason"]
    assert opened == OPENS[persona]


def test_only_hr_reads_the_full_ssn_on_a_sheet(client, sheet, hr, supervisor):
    employee = sheet.employee
    employee.set_ssn("123-45-6789")
    employee.save()
    for persona, shown in ((hr, "123-45-6789"), (supervisor, "***-**-6789")):
        client.force_login(persona.user)
        page = client.get(reverse("sheet_detail", args=[sheet.pk])).content.decode()
        assert shown in page
        if persona is supervisor:
            assert "123-45-6789" not in page


def test_signed_means_one_thing_for_the_model_the_query_and_the_database(sheet, advance):
    for state in STATE_ORDER:
        current = advance(sheet, state)
        signed = state == SheetState.SIGNED
        assert current.is_signed is signed
        assert GoalSheet.objects.signed().filter(pk=sheet.pk).exists() is signed
        assert GoalSheet.objects.unsigned().filter(pk=sheet.pk).exists() is not signed
        assert (current.locked_at is not None) is signed
        assert current.goals.signed().exists() is signed


def test_the_database_refuses_a_lock_time_that_disagrees_with_the_state(sheet):
    with pytest.raises(IntegrityError), transaction.atomic():
        GoalSheet.objects.filter(pk=sheet.pk).update(locked_at=timezone.now())
    with pytest.raises(IntegrityError), transaction.atomic():
        GoalSheet.objects.filter(pk=sheet.pk).update(state=SheetState.SIGNED)
    assert not GoalSheet.objects.get(pk=sheet.pk).is_signed


def test_the_line_below_reaches_every_level_and_ends_on_a_loop_in_bad_data(
        manager, supervisor, employee, other_supervisor, other_employee):
    from goalsapp.access import line_below
    from goalsapp.models import Employee
    from tests.factories import EmployeeFactory

    third = EmployeeFactory(supervisor=employee)  # a fourth level, below Emma
    assert line_below(manager) == {supervisor.pk, employee.pk, third.pk}
    assert line_below(employee) == {third.pk}
    assert line_below(third) == set()
    assert other_employee.pk not in line_below(manager)

    # A loop the forms refuse, written past them: the recursion still ends.
    Employee.objects.filter(pk=manager.pk).update(supervisor=third)
    assert line_below(supervisor) == {employee.pk, third.pk, manager.pk}
