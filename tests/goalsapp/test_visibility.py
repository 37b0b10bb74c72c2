"""The one visibility policy: who sees which goal sheets (goalsapp.selectors)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from goalsapp.access import employees_visible_to, get_sheet_for_user, sheets_visible_to
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
