"""Times the reminder sweep over many sheets in PostgreSQL and counts its queries.

    .venv/bin/python bench/reminders.py                 # 10,000 then 100,000 sheets
    .venv/bin/python bench/reminders.py 2000 20000      # other sizes

For each size it (re)creates the database goalpost_bench_reminders on BENCH_PG (default
postgres://postgres@127.0.0.1:5432; BENCH_DATABASE_URL names another), migrates it, and
builds the sheets with bulk inserts: four open review periods whose due dates fall before, on
and after the bench's day, employees in teams of 25 under supervisors who report to managers,
three HR members, and the sheets spread over every state (a sixth signed). Then, on that
day, it runs:

1. the sweep as beat runs it: every reminder and escalation due is claimed, then one delivery
   batch of the outbox is sent (500 notifications, rendered and handed to Django's locmem
   backend). The further deliveries the sweep would queue for workers are left out: there is
   no worker here, and they are e-mail throughput, not the sweep;
2. the same sweep again (everything already claimed: one more delivery batch);
3. the claims alone on the next day (the steady state: only that day's slots are new).

It prints the time and the number of queries of each (PostgreSQL's COPY does not show in
Django's query log: add one to the first and third). E-mail goes nowhere.
"""

import os
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

SERVER = os.getenv("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
NAME = "goalpost_bench_reminders"
TODAY = date(2027, 3, 1)
TEAM = 25
PERIODS = 4

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.database import recreate_database  # noqa: E402

os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL") or f"{SERVER}/{NAME}"
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.pop("CELERY_BROKER_URL", None)


def build(size: int) -> None:
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from goalsapp.access import HR_GROUP
    from goalsapp.models import Employee, GoalSheet, ReviewPeriod, SheetState

    recreate_database(os.environ["DATABASE_URL"])
    call_command("migrate", verbosity=0)
    periods = ReviewPeriod.objects.bulk_create([
        ReviewPeriod(name=f"Bench period {n}", starts_on=date(2027, 1, 1),
                     ends_on=date(2027, 12, 31),
                     goals_due=TODAY + timedelta(days=-12 + 5 * n),
                     answers_due=TODAY + timedelta(days=-8 + 5 * n),
                     signatures_due=TODAY + timedelta(days=-4 + 5 * n),
                     hr_review_due=TODAY + timedelta(days=2 + 5 * n))
        for n in range(PERIODS)])
    people = -(-size // PERIODS)
    supervisors = -(-people // TEAM)
    managers = -(-supervisors // 10)
    total = 3 + managers + supervisors + people
    # Passwords are unusable ("!"): nobody logs in, and hashing 25,000 would dominate the build.
    users = User.objects.bulk_create(
        [User(username=f"u{n}", email=f"u{n}@bench.example", password="!",
              first_name="Bench", last_name=f"Person {n}") for n in range(total)],
        batch_size=5000)
    Group.objects.get(name=HR_GROUP).user_set.add(*users[:3])
    ids = iter(range(total))

    def employees(count, bosses):
        """`count` employees, spread evenly over `bosses` as their supervisors."""
        per_boss = -(-count // len(bosses)) if bosses else 1
        return Employee.objects.bulk_create(
            [Employee(user=users[(n := next(ids))], employee_number=f"B{n:07d}",
                      full_name=f"Bench Person {n}", title="Collections Specialist",
                      supervisor=bosses[i // per_boss] if bosses else None)
             for i in range(count)], batch_size=5000)

    employees(3, [])  # HR
    top = employees(managers, [])
    middle = employees(supervisors, top)
    staff = employees(people, middle)
    states = [SheetState.DRAFTING, SheetState.EMPLOYEE_REVIEW, SheetState.SUPERVISOR_SIGNATURE,
              SheetState.EMPLOYEE_SIGNATURE, SheetState.HR_REVIEW, SheetState.SIGNED]
    sheets, now = [], timezone.now()
    for index in range(size):
        employee = staff[index % people]
        state = states[index % len(states)]
        sheets.append(GoalSheet(employee=employee, period=periods[index // people], state=state,
                                locked_at=now if state == SheetState.SIGNED else None,
                                employee_name=employee.full_name,
                                employee_number=employee.employee_number,
                                title=employee.title))
    GoalSheet.objects.bulk_create(sheets, batch_size=10000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(label: str, run):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = run()
        took = time.perf_counter() - started
    print(f"  {label:<34} {took:7.2f} s  {len(queries):3d} queries   {result}")
    return took, len(queries)


def bench(size: int) -> None:
    from goalsapp.models import GoalSheet
    from reviews.notifications import reminders

    started = time.perf_counter()
    build(size)
    print(f"{GoalSheet.objects.count():,} sheets built in {time.perf_counter() - started:.1f} s "
          f"(day {TODAY})")
    reminders.MAX_FOLLOW_UPS = 0  # no worker to take them: see the module's docstring
    measure("sweep (claims + one delivery)", lambda: reminders.reminders_sweep(today=TODAY))
    measure("sweep again the same day", lambda: reminders.reminders_sweep(today=TODAY))
    measure("claims on the next day", lambda: reminders.reminders_sweep(
        today=TODAY + timedelta(days=1), deliver=False))


def main() -> None:
    import django

    django.setup()
    sizes = [int(arg.replace(",", "").replace("_", "")) for arg in sys.argv[1:]] or [10_000,
                                                                                   100_000]
    name = os.environ["DATABASE_URL"].rsplit("/", 1)[1]
    print(f"Reminder sweep benchmark, database {name} (run {uuid.uuid4().hex[:6]})")
    for size in sizes:
        bench(size)


if __name__ == "__main__":
    main()
