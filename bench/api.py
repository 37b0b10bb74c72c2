"""Times the API's bulk actuals (10,000 rows in one POST) and the people sync (10,000 people
applied from one CSV) on PostgreSQL, and prints both figures.

    .venv/bin/python bench/api.py [--rows 10000] [--people 10000] [--profile]

It (re)creates its own database, goalpost_bench_api by default (BENCH_DATABASE_URL to choose
another), migrates it, and makes signed sheets with goals for the actuals. Targets: actuals
under 2 s, people under 10 s.
"""

import argparse
import contextlib
import cProfile
import datetime
import os
import pstats
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from bench.database import bench_database_url, recreate_database  # noqa: E402

BENCH_URL = bench_database_url("goalpost_bench_api")
os.environ["DATABASE_URL"] = BENCH_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("API_RATE_LIMIT", "100000/min")


@contextlib.contextmanager
def profiled(enabled: bool):
    """cProfile around a step when asked: the 25 costliest functions, by their own time."""
    if not enabled:
        yield
        return
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--profile", action="store_true",
                        help="print where the time of each timed step goes (cProfile)")
    args = parser.parse_args()

    recreate_database(BENCH_URL)
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.utils import timezone
    from rest_framework.test import APIClient

    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    from goalsapp.defaults import HR_GROUP_NAME
    from goalsapp.models import Competency, Employee, Goal, GoalSheet, ReviewPeriod, SheetState
    from goalsapp.people_sync import sync
    from reviews.api.tokens import token_create

    users = get_user_model()
    hr_user = users.objects.create(username="hr-bench")
    hr_user.groups.add(Group.objects.get_or_create(name=HR_GROUP_NAME)[0])
    Employee.objects.create(user=hr_user, employee_number="HR-1", full_name="HR", title="HR")
    today = timezone.localdate()
    period = ReviewPeriod.objects.create(
        name="Bench", starts_on=today - datetime.timedelta(days=200),
        ends_on=today + datetime.timedelta(days=100), goals_due=today, answers_due=today,
        signatures_due=today, hr_review_due=today)
    competency = Competency.objects.first()
    goals_each = 10
    people = max(1, args.rows // goals_each)
    made = users.objects.bulk_create([users(username=f"b-{n}") for n in range(people)])
    employees = Employee.objects.bulk_create([
        Employee(user=user, employee_number=f"B-{n}", full_name=f"Bench {n}", title="AR")
        for n, user in enumerate(made)])
    sheets = GoalSheet.objects.bulk_create([
        GoalSheet(employee=person, period=period, employee_name=person.full_name,
                  title="AR", employee_number=person.employee_number)
        for person in employees])
    Goal.objects.bulk_create([
        Goal(sheet=sheet, competency=competency, text="Collect", measure_kind="count",
             target=100, unit="accounts", direction="higher", due_on=period.ends_on,
             position=position)
        for sheet in sheets for position in range(1, goals_each + 1)])
    GoalSheet.objects.update(state=SheetState.SIGNED, locked_at=timezone.now())

    _token, raw = token_create(name="bench", acts_as=hr_user, scopes=["write_actuals"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    rows = [{"employee_number": f"B-{n // goals_each}", "period": "Bench",
             "goal": str(n % goals_each + 1), "as_of": today.isoformat(), "actual": str(n % 97)}
            for n in range(args.rows)]
    started, cpu = time.perf_counter(), time.process_time()
    with profiled(args.profile):
        response = client.post("/api/progress/actuals/", {"rows": rows}, format="json")
    actuals_s, actuals_cpu = time.perf_counter() - started, time.process_time() - cpu
    assert response.status_code == 200, response.content[:500]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    # CPU: this process's alone (PostgreSQL's work is in the wall time): steadier on a busy VM.
    print(f"bulk actuals: {args.rows:,} rows in {actuals_s:.2f} s ({actuals_cpu:.2f} s CPU) -> "
          f"{response.json()} (load average {load})")

    header = ",".join(sync.COLUMNS)
    lines = [header] + [f"P-{n},Person {n},p{n}@example.com,AR Analyst,West,Denver,core,"
                        f"{'' if n < 10 else f'P-{n // 10}'},yes" for n in range(args.people)]
    started, cpu = time.perf_counter(), time.process_time()
    with profiled(args.profile):
        result = sync.apply(sync.read("\n".join(lines).encode()), actor=hr_user)
    people_s, people_cpu = time.perf_counter() - started, time.process_time() - cpu
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"people sync: {args.people:,} people in {people_s:.2f} s ({people_cpu:.2f} s CPU) -> "
          f"{len(result.new)} new, "
          f"{len(result.errors)} errors (load average {load})")
    started = time.perf_counter()
    again = sync.apply(sync.read("\n".join(lines).encode()), actor=hr_user)
    print(f"people sync again: {time.perf_counter() - started:.2f} s -> "
          f"{len(again.unchanged)} unchanged")


if __name__ == "__main__":
    main()
