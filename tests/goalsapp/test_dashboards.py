"""The dashboards: who sees which numbers (each persona × each dashboard and its CSV export),
the numbers people read, and a number of queries that does not grow with the data."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.html import escape

from goalsapp.attainment import STATUS_RULE
from goalsapp.models import Employee, GoalSheet, ProgressEntry, SheetState
from tests.factories import EmployeeFactory, GoalFactory, GoalSheetFactory
from tests.progress_helpers import record, signed_sheet

pytestmark = pytest.mark.django_db
MIDYEAR = datetime.datetime(2027, 7, 2, 12, tzinfo=datetime.UTC)
PERSONAS = ["manager", "supervisor", "employee", "other_supervisor", "other_employee", "hr",
            "admin"]


@pytest.fixture(autouse=True)
def at_midyear(time_machine):
    time_machine.move_to(MIDYEAR, tick=False)


@pytest.fixture
def numbers(employee, other_employee, period, manager, hr, admin):
    """Emma: 40 of 100 accounts and 30 of 100; Oliver (elsewhere): 90 of 100 on both."""
    emma = signed_sheet(employee, period)
    oliver = signed_sheet(other_employee, period)
    for goal, actual in zip(emma.goals.order_by("position"), (40, 30), strict=True):
        record(goal, actual)
    for goal in oliver.goals.all():
        record(goal, 90)
    return emma, oliver


def _user(request, persona):
    person = request.getfixturevalue(persona)
    return person if persona == "admin" else person.user


def _csv(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


EXPECTED_STATUS = {
    # url name → persona → status code
    "my_dashboard": {"manager": 200, "supervisor": 200, "employee": 200,
                     "other_supervisor": 200, "other_employee": 200, "hr": 200, "admin": 403},
    "team_dashboard": {"manager": 200, "supervisor": 200, "employee": 403,
                       "other_supervisor": 200, "other_employee": 403, "hr": 403, "admin": 403},
    "department_dashboard": {"manager": 200, "supervisor": 200, "employee": 403,
                             "other_supervisor": 200, "other_employee": 403, "hr": 200,
                             "admin": 200},
    "workflow_overview": {"manager": 403, "supervisor": 403, "employee": 403,
                          "other_supervisor": 403, "other_employee": 403, "hr": 200,
                          "admin": 200},
}


@pytest.mark.parametrize("export", [False, True], ids=["page", "csv"])
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", list(EXPECTED_STATUS))
def test_who_may_open_each_dashboard(client, request, numbers, name, persona, export):
    client.force_login(_user(request, persona))
    response = client.get(reverse(name), {"export": "csv"} if export else {})
    assert response.status_code == EXPECTED_STATUS[name][persona]
    if response.status_code == 403:
        assert 'data-testid="forbidden-reason"' in response.content.decode()
    elif export:
        assert response["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize(("persona", "status"), [
    ("manager", 200), ("supervisor", 200), ("hr", 200), ("admin", 200),
    ("other_supervisor", 404), ("other_employee", 404),
])
@pytest.mark.parametrize("export", [False, True], ids=["page", "csv"])
def test_a_persons_dashboard_is_seen_up_their_line_and_by_hr(client, request, numbers,
                                                             employee, persona, status, export):
    client.force_login(_user(request, persona))
    response = client.get(reverse("person_dashboard", args=[employee.pk]),
                          {"export": "csv"} if export else {})
    assert response.status_code == status
    if status == 200 and export:
        assert [row[3] for row in _csv(response)[1:]] == ["40 accounts", "30 accounts"]


def test_my_own_drill_down_is_my_dashboard(client, numbers, employee):
    client.force_login(employee.user)
    response = client.get(reverse("person_dashboard", args=[employee.pk]))
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("my_dashboard"))


def test_my_dashboard_shows_my_goals_against_target_with_status_and_its_rule(client, numbers,
                                                                             employee):
    client.force_login(employee.user)
    response = client.get(reverse("my_dashboard"))
    page = response.content.decode()
    lines = response.context["lines"]
    assert [(line.target_shown, line.actual_shown, line.progress.percent,
             line.progress.status.label) for line in lines] == [
        # Half the time has gone (50 % expected): 10 points behind is still on track.
        ("100 accounts", "40 accounts", "40 %", "On track"),
        ("100 accounts", "30 accounts", "30 %", "At risk")]
    assert f'title="{escape(STATUS_RULE)}"' in page
    assert 'data-chart="chart-attainment"' in page and 'id="chart-over-time"' in page
    assert "Oliver" not in page and "90 accounts" not in page
    rows = _csv(client.get(reverse("my_dashboard"), {"export": "csv"}))
    assert rows[0][:3] == ["goal", "text", "target"]
    assert [row[5:] for row in rows[1:]] == [["40 %", "On track"], ["30 %", "At risk"]]


def test_money_is_shown_in_the_periods_currency_with_two_decimals(client, employee, period):
    sheet = GoalSheetFactory(employee=employee, period=period)
    goal = GoalFactory(sheet=sheet, measure_kind="money", unit="USD", target=Decimal(250000),
                       baseline=None, direction="higher", position=1)
    GoalSheet.objects.filter(pk=sheet.pk).update(state=SheetState.SIGNED, locked_at=MIDYEAR)
    record(goal, "1234.5")
    client.force_login(employee.user)
    page = client.get(reverse("my_dashboard")).content.decode()
    assert "1,234.50 USD" in page and "250,000.00 USD" in page and "0 %" in page


def test_the_team_dashboard_names_who_is_behind_within_the_line(client, numbers, supervisor,
                                                               other_supervisor, employee):
    client.force_login(supervisor.user)
    response = client.get(reverse("team_dashboard"))
    page = response.content.decode()
    assert [(row.label, row.percent, row.behind) for row in response.context["rows"]] == [
        ("Emma Ellis", "35 %", 1)]
    assert "Behind:" in page and reverse("person_dashboard", args=[employee.pk]) in page
    assert "Oliver" not in page
    client.force_login(other_supervisor.user)
    rows = _csv(client.get(reverse("team_dashboard"), {"export": "csv"}))
    assert [row[0] for row in rows[1:]] == ["Oliver Owens"]
    assert rows[1][4] == "90 %"


def test_the_managers_team_covers_the_whole_line_when_asked(client, numbers, manager):
    client.force_login(manager.user)
    assert client.get(reverse("team_dashboard")).context["rows"] == []  # Sam has no sheet
    rows = client.get(reverse("team_dashboard"), {"scope": "line"}).context["rows"]
    assert [row.label for row in rows] == ["Emma Ellis"]


@pytest.mark.parametrize(("group_by", "expected"), [
    ("territory", [["Midwest", "1", "2", "2", "90 %"], ["Northeast", "1", "2", "2", "35 %"]]),
    ("title", [["AR Analyst", "1", "2", "2", "90 %"],
               ["Collections Specialist", "1", "2", "2", "35 %"]]),
    ("tier", [["Core", "2", "4", "4", "63 %"]]),  # 62.5 rounds half up
])
def test_hr_compares_groups_across_the_department(client, numbers, hr, group_by, expected):
    client.force_login(hr.user)
    rows = _csv(client.get(reverse("department_dashboard"),
                           {"group_by": group_by, "export": "csv"}))
    assert [row[:5] for row in rows[1:]] == expected
    page = client.get(reverse("department_dashboard"), {"group_by": group_by}).content.decode()
    assert 'data-chart="chart-department"' in page and expected[0][4] in page


def test_department_filters_are_in_the_url_and_a_manager_sees_only_their_line(
        client, numbers, hr, manager, other_employee):
    Employee.objects.filter(pk=other_employee.pk).update(performance_tier="high")
    client.force_login(hr.user)
    rows = _csv(client.get(reverse("department_dashboard"),
                           {"group_by": "territory", "tier": "high", "export": "csv"}))
    assert [row[0] for row in rows[1:]] == ["Midwest"]
    client.force_login(manager.user)
    response = client.get(reverse("department_dashboard"), {"group_by": "territory"})
    assert [row.label for row in response.context["rows"]] == ["Northeast"]
    # A filter value from outside the manager's line is not offered and is ignored.
    assert ("Midwest", "Midwest") not in response.context["choices"]["territory"]


def test_the_workflow_overview_counts_states_and_names_who_is_late(client, hr, employee,
                                                                   other_employee, period):
    GoalSheetFactory(employee=employee, period=period)  # drafting: goals were due 2027-01-31
    signed_sheet(other_employee, period)
    client.force_login(hr.user)
    response = client.get(reverse("workflow_overview"))
    page = response.content.decode()
    # One column per state of the sheet, then of its closing review (none opened here).
    assert response.context["table"] == [(period.name, [1, 0, 0, 0, 0, 1, *[0] * 7], 2)]
    assert [(row.sheet.employee_name, row.person, str(row.due_on))
            for row in response.context["overdue"]] == [("Emma Ellis", "Sam Sutton",
                                                         "2027-01-31")]
    assert 'data-testid="overdue-total">1<' in page
    rows = _csv(client.get(reverse("workflow_overview"), {"export": "csv"}))
    assert rows[1] == [period.name, "1", "0", "0", "0", "0", "1", *["0"] * 7, "2"]


def test_entries_never_reach_a_person_outside_the_line(client, numbers, other_supervisor):
    client.force_login(other_supervisor.user)
    team = client.get(reverse("team_dashboard"), {"scope": "line"})
    department = client.get(reverse("department_dashboard"), {"scope": "line"})
    # Otto sees his own line's numbers, and nothing of Emma's.
    assert team.status_code == department.status_code == 200
    assert [(row.label, row.percent) for row in team.context["rows"]] == [("Oliver Owens", "90 %")]
    assert [(row.label, row.percent) for row in department.context["rows"]] == [
        ("Midwest", "90 %")]
    for response in (team, department):
        page = response.content.decode()
        assert "Emma" not in page and "Northeast" not in page


# Bounded queries ------------------------------------------------------------------------------

def _team_of(size, supervisor, period):
    """`size` collectors under `supervisor`, each with a signed sheet of 3 goals and 3 actuals
    a goal, spread over territories, titles and tiers."""
    territories, titles = ["North", "South", "East"], ["AR Analyst", "AR Specialist"]
    for index in range(size):
        collector = EmployeeFactory(supervisor=supervisor, territory=territories[index % 3],
                                    title=titles[index % 2],
                                    performance_tier=["new", "core", "high"][index % 3])
        sheet = signed_sheet(collector, period, goals=3)
        for goal in sheet.goals.all():
            for month in (4, 5, 6):
                ProgressEntry.objects.create(
                    goal=goal, as_of=datetime.date(2027, month, 28), actual=Decimal(month * 10),
                    attained=Decimal(month) / 10, entered_by=collector.user,
                    is_latest=month == 6)


QUERY_BOUNDS = [
    # (persona, url name, query, most queries allowed: session, user, their employee row and
    # roles (one query), the line (one recursive query, however deep), periods, the figures in
    # one query (inside a transaction giving it more memory when it grades everyone), the
    # navigation's unread-notification count, ...; the department's figures read the data's
    # version first, once for the filters and once for the groups: goalsapp.figures_cache)
    ("supervisor", "team_dashboard", {}, 7),
    ("manager", "team_dashboard", {"scope": "line"}, 7),
    ("manager", "department_dashboard", {"group_by": "title"}, 14),
    ("hr", "department_dashboard", {"group_by": "tier", "export": "csv"}, 13),
    ("hr", "department_dashboard", {"group_by": "territory"}, 14),
    ("hr", "workflow_overview", {}, 8),
    ("hr", "workflow_overview", {"export": "csv"}, 6),
    ("supervisor", "my_dashboard", {}, 9),
]


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize(("persona", "name", "query", "bound"), QUERY_BOUNDS)
def test_each_dashboard_needs_the_same_few_queries_however_big_the_team(
        client, request, supervisor, employee, period, hr, django_assert_max_num_queries,
        size, persona, name, query, bound):
    _team_of(size, supervisor, period)
    signed_sheet(supervisor, period, goals=3)
    client.force_login(_user(request, persona))
    with django_assert_max_num_queries(bound):
        response = client.get(reverse(name), query)
    assert response.status_code == 200
    if persona == "supervisor" and name == "team_dashboard":
        assert len(response.context["rows"]) == size


@pytest.mark.parametrize("size", [3, 30])
def test_a_persons_dashboard_needs_the_same_queries_however_many_actuals(
        client, supervisor, employee, period, django_assert_max_num_queries, size):
    sheet = signed_sheet(employee, period, goals=3)
    for goal in sheet.goals.all():
        for day in range(size):
            ProgressEntry.objects.create(goal=goal, as_of=datetime.date(2027, 1, 1)
                                         + datetime.timedelta(days=day), actual=Decimal(day),
                                         entered_by=employee.user, is_latest=day == size - 1)
    client.force_login(supervisor.user)
    with django_assert_max_num_queries(9):  # 8 and the navigation's unread count
        response = client.get(reverse("person_dashboard", args=[employee.pk]))
    assert len(response.context["chosen"].entries) == size
