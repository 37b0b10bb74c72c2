"""The department dashboard grades every signed goal once per change of the data
(goalsapp.figures_cache): what people read still follows each change at the next request, and
what one person may see never depends on what another opened before."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from goalsapp import dashboards, figures_cache, services
from tests.progress_helpers import record, signed_sheet

pytestmark = pytest.mark.django_db
MIDYEAR = datetime.datetime(2027, 7, 2, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clock(time_machine):
    # The clock moves, as it does between two requests in production.
    time_machine.move_to(MIDYEAR, tick=True)


@pytest.fixture
def sheets(employee, other_employee, period):
    emma, oliver = signed_sheet(employee, period), signed_sheet(other_employee, period)
    for goal in emma.goals.all():
        record(goal, 40)
    for goal in oliver.goals.all():
        record(goal, 90)
    return emma, oliver


def _by_territory(client) -> list[tuple[str, int, str]]:
    response = client.get(reverse("department_dashboard"), {"group_by": "territory"})
    assert response.status_code == 200
    return [(row.label, row.people, row.percent) for row in response.context["rows"]]


def _grading_queries(client) -> int:
    """How many of a request's queries grade goals (the one big query)."""
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("department_dashboard"), {"group_by": "territory"})
    return sum("COUNT(*) FILTER" in query["sql"] for query in queries.captured_queries)


def test_goals_are_graded_once_while_nothing_changes(client, sheets, hr):
    client.force_login(hr.user)
    assert _grading_queries(client) == 1
    assert _grading_queries(client) == 0
    assert _by_territory(client) == [("Midwest", 1, "90 %"), ("Northeast", 1, "40 %")]


def test_a_new_actual_shows_at_the_next_request(client, sheets, hr):
    emma, _ = sheets
    client.force_login(hr.user)
    assert _by_territory(client)[1] == ("Northeast", 1, "40 %")
    for goal in emma.goals.all():
        record(goal, 70, as_of=datetime.date(2027, 7, 1))
    assert _by_territory(client)[1] == ("Northeast", 1, "70 %")


def test_a_corrected_actual_shows_at_the_next_request(client, sheets, hr):
    emma, _ = sheets
    client.force_login(hr.user)
    assert _by_territory(client)[1] == ("Northeast", 1, "40 %")
    for goal in emma.goals.all():
        record(goal, 55)  # the same day again: the entry is corrected in place
    assert _by_territory(client)[1] == ("Northeast", 1, "55 %")


def test_a_newly_signed_sheet_counts_at_the_next_request(client, sheets, hr, manager, period):
    client.force_login(hr.user)
    assert [people for _, people, _ in _by_territory(client)] == [1, 1]
    signed_sheet(manager, period)  # Maria, in Emma's territory, has no actuals yet
    assert _by_territory(client) == [("Midwest", 1, "90 %"), ("Northeast", 2, "40 %")]


def test_a_person_who_moves_territory_is_counted_in_the_new_one_at_once(
        client, sheets, hr, employee, admin):
    client.force_login(hr.user)
    assert [label for label, _, _ in _by_territory(client)] == ["Midwest", "Northeast"]
    services.employee_save(actor=admin, employee=employee, values={"territory": "Midwest"})
    assert _by_territory(client) == [("Midwest", 2, "65 %")]


def test_a_manager_opening_the_page_after_hr_sees_only_their_line(
        client, sheets, hr, manager):
    client.force_login(hr.user)
    assert len(_by_territory(client)) == 2
    client.force_login(manager.user)
    assert _grading_queries(client) == 0  # the figures HR's request graded …
    assert _by_territory(client) == [("Northeast", 1, "40 %")]  # … narrowed to the line
    client.force_login(hr.user)
    assert len(_by_territory(client)) == 2


def test_after_new_actuals_only_their_person_is_graded_again(
        client, sheets, hr, period, time_machine):
    emma, _ = sheets
    client.force_login(hr.user)
    time_machine.shift(datetime.timedelta(minutes=2))  # Oliver's actuals are older than that
    for goal in emma.goals.all():
        record(goal, 60, as_of=datetime.date(2027, 6, 30))
    _by_territory(client)
    for goal in emma.goals.all():
        record(goal, 70, as_of=datetime.date(2027, 7, 1))
    with CaptureQueriesContext(connection) as queries:
        assert _by_territory(client) == [("Midwest", 1, "90 %"), ("Northeast", 1, "70 %")]
    grading = [q["sql"] for q in queries.captured_queries if "COUNT(*) FILTER" in q["sql"]]
    assert len(grading) == 1
    assert f'"employee_id" IN ({emma.employee_id})' in grading[0]  # Oliver's figures are kept
    today = timezone.localdate()
    # What was brought forward is what grading everyone again gives.
    assert sorted(dashboards.people_figures(period, today), key=str) == sorted(
        dashboards._people_figures(period, today), key=str)


def _grading_sql(client) -> str:
    with CaptureQueriesContext(connection) as queries:
        _by_territory(client)
    grading = [q["sql"] for q in queries.captured_queries if "COUNT(*) FILTER" in q["sql"]]
    assert len(grading) == 1
    return grading[0]


def test_figures_brought_forward_are_graded_anew_after_the_maximum_age(
        client, sheets, hr, time_machine, monkeypatch):
    emma, _ = sheets
    clock = [1000.0]  # the process's monotonic clock, which time_machine leaves alone
    monkeypatch.setattr(figures_cache.time, "monotonic", lambda: clock[0])
    client.force_login(hr.user)
    assert '"employee_id" IN (' not in _grading_sql(client)  # everyone, at 1000
    time_machine.shift(datetime.timedelta(minutes=2))
    for goal in emma.goals.all():
        record(goal, 60, as_of=datetime.date(2027, 6, 30))
    clock[0] += figures_cache.MAX_AGE_SECONDS - 10
    assert '"employee_id" IN (' in _grading_sql(client)  # only Emma: brought forward
    for goal in emma.goals.all():
        record(goal, 70, as_of=datetime.date(2027, 7, 1))
    clock[0] += 20  # the last full grading is now older than the maximum age
    assert '"employee_id" IN (' not in _grading_sql(client)
    assert _by_territory(client) == [("Midwest", 1, "90 %"), ("Northeast", 1, "70 %")]
