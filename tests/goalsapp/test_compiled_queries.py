"""A compiled query (goalsapp/compiled_queries.py) answers exactly what its queryset answers, for
every value it is run with, and refuses a builder whose values would not reach the SQL."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count

from goalsapp.access import _employee_with_roles, is_hr, is_manager, is_supervisor
from goalsapp.compiled_queries import CompiledQuery
from goalsapp.models import Employee
from tests.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


def _roles(employee):
    return (employee.pk, bool(employee.goalpost_is_hr), bool(employee.goalpost_is_supervisor),
            bool(employee.goalpost_is_manager))


def test_the_roles_query_answers_as_its_queryset_for_each_person(
        employee, supervisor, manager, hr, other_employee):
    compiled = CompiledQuery(_employee_with_roles)
    for person in (employee, supervisor, manager, hr, other_employee):
        expected = [_roles(e) for e in _employee_with_roles(person.user_id)]
        assert [_roles(e) for e in compiled(user_id=person.user_id)] == expected
    assert compiled(user_id=999_999) == []  # no such person: no row, not someone else's


def test_the_roles_follow_a_change_made_after_the_sql_was_built(employee, supervisor):
    # The SQL is kept; the answer is not: a new report makes their supervisor's supervisor a
    # manager on the next request.
    def signed_in(person):  # the user object of a new request
        return get_user_model().objects.get(pk=person.user_id)

    assert is_supervisor(signed_in(supervisor)) and not is_manager(signed_in(supervisor))
    EmployeeFactory(supervisor=employee)
    assert is_manager(signed_in(supervisor))
    assert is_supervisor(signed_in(employee))
    assert not is_hr(signed_in(supervisor))


def test_a_builder_whose_value_does_not_reach_the_sql_is_refused(employee):
    sliced = CompiledQuery(lambda count: Employee.objects.order_by("pk")[:count])
    with pytest.raises(ValueError, match="do not reach the SQL"):
        sliced(count=2)
    as_values = CompiledQuery(lambda pk: Employee.objects.filter(pk=pk).values("pk"))
    with pytest.raises(ValueError, match="drop values"):
        as_values(pk=employee.pk)
    prefetching = CompiledQuery(lambda pk: Employee.objects.filter(pk=pk)
                                .prefetch_related("reports"))
    with pytest.raises(ValueError, match="prefetch_related"):
        prefetching(pk=employee.pk)


def test_a_query_that_matches_nothing_finds_nothing_without_asking(
        employee, django_assert_num_queries):
    # none(), or a filter no value can meet: Django answers without the database, and so does
    # the compiled query, for any value.
    nothing = CompiledQuery(lambda pk: Employee.objects.none().filter(pk=pk))
    no_ids = CompiledQuery(lambda pk: Employee.objects.filter(pk=pk, supervisor_id__in=[]))
    with django_assert_num_queries(0):
        assert nothing(pk=employee.pk) == []
        assert no_ids(pk=employee.pk) == []


def test_joined_rows_come_back_as_the_queryset_gives_them(
        employee, supervisor, manager, django_assert_num_queries):
    # Two levels of joins, and a supervisor missing at the top (a None, not an empty object).
    def build(pk):
        return Employee.objects.select_related("user", "supervisor__supervisor").filter(pk=pk)

    compiled = CompiledQuery(build)
    for person in (employee, supervisor, manager):
        [expected] = build(person.pk)
        [row] = compiled(pk=person.pk)
        with django_assert_num_queries(0):  # everything joined came back with the row
            assert row == expected and row.user.username == expected.user.username
            # A date and time, converted as the queryset converts it (SQLite stores text).
            assert row.user.date_joined == expected.user.date_joined
            assert row.supervisor == expected.supervisor
            if expected.supervisor:
                assert row.supervisor.supervisor == expected.supervisor.supervisor
    assert compiled(pk=999_999) == []
    assert compiled(pk=10**30) == []  # longer than any key: no row, and no database error


def test_annotations_come_back_on_the_rows(supervisor, employee, other_employee):
    reports = CompiledQuery(lambda pk: Employee.objects.filter(pk=pk)
                            .annotate(report_count=Count("reports")))
    [row] = reports(pk=supervisor.pk)
    assert row.report_count == Employee.objects.filter(supervisor=supervisor).count() >= 1


def _prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall()]


def test_postgresql_plans_the_statement_once_a_connection_unless_turned_off(
        postgresql_only, employee, supervisor, settings):
    by_number = CompiledQuery(lambda pk: Employee.objects.filter(pk=pk).order_by()
                              .select_related("user"))
    assert [e.pk for e in by_number(pk=employee.pk)] == [employee.pk]
    assert [e.pk for e in by_number(pk=supervisor.pk)] == [supervisor.pk]  # the same statement
    prepared = [s for s in _prepared_statements() if '"auth_user"' in s
                and '"goalsapp_employee"' in s]
    assert len(prepared) == 1

    settings.DATABASE_PREPARED_STATEMENTS = False  # behind a pooler that cannot keep them
    by_user = CompiledQuery(lambda user_id: Employee.objects.filter(user_id=user_id).order_by())
    assert [e.pk for e in by_user(user_id=employee.user_id)] == [employee.pk]
    assert not [s for s in _prepared_statements() if '"user_id" = $1' in s]
