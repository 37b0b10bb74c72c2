"""Times applying a 10-goal set to 500 employees (reviews.bulk_assign.goal_set_apply) on
PostgreSQL, and prints the time and the number of queries.

    .venv/bin/python bench/bulk_assign.py [--employees 500] [--goals 10]

It (re)creates its own database, goalpost_bench_bulk by default (BENCH_DATABASE_URL to choose
another), migrates it, adds one supervisor with the employees as direct reports, and applies
the set once. The target is under 10 s.
"""

import argparse
import datetime
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from bench.database import bench_database_url, recreate_database  # noqa: E402

BENCH_URL = bench_database_url("goalpost_bench_bulk")
os.environ["DATABASE_URL"] = BENCH_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=500)
    parser.add_argument("--goals", type=int, default=10)
    args = parser.parse_args()

    recreate_database(BENCH_URL)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    from goalsapp.models import (
        Employee,
        Goal,
        GoalSet,
        GoalSetItem,
        GoalSheet,
        GoalTemplate,
        ReviewPeriod,
    )
    from reviews.bulk_assign import goal_set_apply
    from reviews.models import ReviewEvent

    User = get_user_model()
    boss_user = User.objects.create(username="bench-supervisor", first_name="Bench",
                                    last_name="Supervisor")
    boss = Employee.objects.create(user=boss_user, employee_number="B00000",
                                   full_name="Bench Supervisor", title="Collection Manager")
    users = User.objects.bulk_create(
        User(username=f"bench{n:04d}", first_name="Casey", last_name=f"Collector{n}")
        for n in range(args.employees))
    Employee.objects.bulk_create(
        Employee(user=user, employee_number=f"B{n + 1:05d}", full_name=f"Casey Collector{n}",
                 title="Collections Specialist", territory="North", supervisor=boss)
        for n, user in enumerate(users))
    period = ReviewPeriod.objects.create(
        name="Bench 2027", starts_on=datetime.date(2027, 1, 1), ends_on=datetime.date(2027, 12, 31),
        goals_due=datetime.date(2027, 1, 31), answers_due=datetime.date(2027, 2, 14),
        signatures_due=datetime.date(2027, 2, 28), hr_review_due=datetime.date(2027, 3, 15))
    goal_set = GoalSet.objects.create(name="Bench set", owner=boss_user)
    for position, entry in enumerate(
            GoalTemplate.objects.filter(source="004").order_by("id")[:args.goals], start=1):
        GoalSetItem.objects.create(
            goal_set=goal_set, position=position, template=entry, competency=entry.competency,
            text=entry.text, measure_kind=entry.measure_kind or "count", target=Decimal(90),
            unit=entry.unit or "accounts", direction=entry.direction or "higher",
            due_rule="after_start", due_days=30 * position)
    employees = list(Employee.objects.filter(supervisor=boss).select_related("supervisor"))
    boss_user = User.objects.select_related("employee").get(pk=boss_user.pk)

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = goal_set_apply(actor=boss_user, goal_set=goal_set, period=period,
                                employees=employees)
        elapsed = time.perf_counter() - started

    sheets = GoalSheet.objects.filter(period=period).count()
    goals = Goal.objects.filter(sheet__period=period).count()
    history = Goal.history.filter(sheet__period=period).count()
    events = ReviewEvent.objects.filter(sheet__period=period).count()
    assert (len(result.new), len(result.failed)) == (args.employees, 0), result
    assert sheets == args.employees and goals == history == args.employees * args.goals
    print(f"Bulk assignment: {args.goals}-goal set x {args.employees} employees on "
          f"PostgreSQL ({connection.settings_dict['NAME']})")
    print(f"  time            {elapsed:.2f} s  (target < 10 s)")
    print(f"  queries         {len(queries)}  ({len(queries) / args.employees:.1f} per employee)")
    print(f"  created         {sheets} sheets, {goals} goals, {history} goal history rows, "
          f"{events} events")


if __name__ == "__main__":
    main()
