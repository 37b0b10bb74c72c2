"""The one visibility policy: who sees which goal sheets (goalsapp.selectors)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from goalsapp.access import (
    employees_visible_to,
    get_employee_for_user,
    get_sheet_for_user,
    sheets_visible_to,
)
from tests.factories import GoalSheetFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheets(period, manager, supervisor, employee, other_supervisor, other_employee, hr):
    """One 2027 sheet for everyone, by their user name."""
    people = {
        "maria": manager,
        "sam": supervisor,
        "emma": employee,
        "otto": other_supervisor,
        "oliver": other_employee,
        "hana": hr,
    }
    return {
        name: GoalSheetFactory(employee=person, period=period) for name, person in people.items()
    }


def owners(user) -> set[str]:
    return set(sheets_visible_to(user).values_list("employee__user__username", flat=True))


def test_an_employee_sees_only_their_own_sheet(sheets, employee):
    assert owners(employee.user) == {"emma"}


def test_a_supervisor_sees_their_own_and_their_direct_reports_sheets(sheets, supervisor):
    assert owners(supervisor.user) == {"sam", "emma"}


def test_a_manager_sees_sheets_further_down_the_line(sheets, manager):
    assert owners(manager.user) == {"maria", "sam", "emma"}
    assert get_sheet_for_user(manager.user, sheets["emma"].pk) == sheets["emma"]


def test_another_supervisor_does_not_see_emmas_sheet(sheets, other_supervisor):
    assert owners(other_supervisor.user) == {"otto", "oliver"}
    with pytest.raises(Http404):
        get_sheet_for_user(other_supervisor.user, sheets["emma"].pk)


def test_hr_sees_every_sheet(sheets, hr):
    assert owners(hr.user) == set(sheets)


def test_staff_see_every_sheet(sheets, admin):
    plain_staff = UserFactory(username="stella", is_staff=True)

    assert owners(admin) == set(sheets)
    assert owners(plain_staff) == set(sheets)


def test_anonymous_sees_no_sheet(sheets):
    anonymous = AnonymousUser()

    assert not sheets_visible_to(anonymous).exists()
    with pytest.raises(Http404):
        get_sheet_for_user(anonymous, sheets["emma"].pk)


def test_a_login_without_an_employee_record_sees_no_sheet(sheets):
    assert not sheets_visible_to(UserFactory(username="nobody")).exists()


def test_get_sheet_for_user_answers_404_for_a_sheet_out_of_sight(sheets, employee, other_employee):
    assert get_sheet_for_user(employee.user, sheets["emma"].pk) == sheets["emma"]
    with pytest.raises(Http404):
        get_sheet_for_user(employee.user, sheets["oliver"].pk)
    with pytest.raises(Http404):
        get_sheet_for_user(employee.user, sheets["sam"].pk)
    with pytest.raises(Http404):
        get_sheet_for_user(other_employee.user, sheets["emma"].pk)


def test_get_sheet_for_user_answers_404_for_a_sheet_that_does_not_exist(sheets, hr):
    missing = max(sheet.pk for sheet in sheets.values()) + 1000

    with pytest.raises(Http404):
        get_sheet_for_user(hr.user, missing)


def test_a_manager_sees_the_people_down_their_line(sheets, manager, employee):
    names = set(employees_visible_to(manager.user).values_list("user__username", flat=True))

    assert names == {"maria", "sam", "emma"}
    assert set(employees_visible_to(employee.user)) == {employee}


def test_one_sheet_or_person_opens_exactly_when_the_viewers_list_holds_it(
        sheets, period, manager, supervisor, employee, other_supervisor, other_employee, hr):
    """get_sheet_for_user and get_employee_for_user walk the line up from the sheet's employee;
    the lists walk it down from the viewer. Every viewer opens exactly the sheets and people
    their lists show, four levels deep, past someone who has left, and through a loop in bad
    data."""
    from goalsapp.models import Employee
    from tests.factories import EmployeeFactory

    fourth = EmployeeFactory(supervisor=employee)  # below Emma, below Sam, below Maria
    Employee.objects.filter(pk=employee.pk).update(is_active=False)  # Emma has left
    everyone = [manager, supervisor, employee, other_supervisor, other_employee, hr, fourth]
    all_sheets = [*sheets.values(), GoalSheetFactory(employee=fourth, period=period)]

    def opened(get, user, rows) -> set[int]:
        found = set()
        for row in rows:
            try:
                found.add(get(user, row.pk).pk)
            except Http404:
                pass
        return found

    def opens(user) -> set[int]:
        return opened(get_sheet_for_user, user, all_sheets)

    def people_opened(user) -> set[int]:
        return opened(get_employee_for_user, user, everyone)

    def same_as_listed(user) -> bool:
        return (opens(user) == set(sheets_visible_to(user).values_list("pk", flat=True))
                and people_opened(user) == set(employees_visible_to(user)
                                               .values_list("pk", flat=True)))

    for person in everyone:
        assert same_as_listed(person.user), person.full_name
    assert sheets["emma"].pk in opens(manager.user)
    assert all_sheets[-1].pk in opens(supervisor.user)
    assert all_sheets[-1].pk not in opens(other_supervisor.user)

    # A loop the forms refuse, written past them: Maria reports to the fourth level.
    Employee.objects.filter(pk=manager.pk).update(supervisor=fourth)
    for person in everyone:
        assert same_as_listed(person.user), person.full_name
    assert sheets["maria"].pk in opens(employee.user)  # Maria is now below Emma
    assert manager.pk in people_opened(employee.user)
    assert sheets["oliver"].pk not in opens(fourth.user)
