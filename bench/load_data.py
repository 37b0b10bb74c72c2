"""The load bench's people and sheets, added to the demo: one team (a supervisor and an employee
with a drafting sheet of three goals) per simulated user, and one HR officer per ten users.

    python bench/load_data.py TEAMS PLAN.json     (bench/load.py runs it with its environment)

It writes PLAN.json: the password and, per team, the usernames, full names and sheet id that
bench/load.py's users act with. Run in its own process: locust's gevent must never share one
with Django's database connections.
"""

import json
import os
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

PASSWORD = "goalpost-demo"  # the demo's own (reviews/demo)
GOALS = (("Resolve aged accounts over 90 days", "count", "120", "accounts", "higher"),
         ("Reduce days sales outstanding", "count", "45", "days", "lower"),
         ("Collect on promised payments", "percent", "92", "%", "higher"))


def prepare(teams: int, *, manager_username: str = "patricia") -> dict:
    """Adds the teams (their supervisors report to `manager_username` when there is one) and
    returns the plan. Also called by the test suite's smoke run of bench/load.py."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from goalsapp.access import HR_GROUP
    from goalsapp.models import Competency, Employee, GoalSheet, ReviewPeriod
    from goalsapp.services import GoalRow, goals_save, sheet_create

    users = get_user_model()
    # One hash for every bench login: hashing a password 100 times would take a minute here.
    password = make_password(PASSWORD)
    period = ReviewPeriod.objects.filter(is_open=True).order_by("-starts_on").first()
    manager = Employee.objects.filter(user__username=manager_username).first()
    # Migrations make both; a test database another test flushed may have lost them.
    hr_group, _ = Group.objects.get_or_create(name=HR_GROUP)
    names = list(Competency.objects.order_by("pk").values_list("name", flat=True)[:3])
    names += [name for name in ("Account Management", "Cash Application", "Disputes")
              if name not in names][:3 - len(names)]
    competencies = [Competency.objects.get_or_create(name=name)[0] for name in names]
    hr_people = []
    for number in range(max(1, teams // 10)):
        login = users.objects.create(username=f"loadhr{number}", password=password,
                                     first_name="Load", last_name=f"HR {number}")
        login.groups.add(hr_group)
        Employee.objects.create(user=login, employee_number=f"LH-{number}",
                                full_name=f"Load HR {number}", title="HR Officer")
        hr_people.append({"username": login.username, "full_name": f"Load HR {number}"})
    plan = {"password": PASSWORD, "teams": []}
    for number in range(teams):
        boss_login = users.objects.create(username=f"loadsup{number}", password=password)
        boss = Employee.objects.create(
            user=boss_login, employee_number=f"LS-{number}", title="Collections Supervisor",
            full_name=f"Load Supervisor {number}", supervisor=manager)
        worker_login = users.objects.create(username=f"loademp{number}", password=password)
        worker = Employee.objects.create(
            user=worker_login, employee_number=f"LE-{number}", title="Collections Specialist",
            full_name=f"Load Employee {number}", supervisor=boss, territory="Northeast")
        sheet = sheet_create(employee=worker, period=period, actor=boss_login)
        goals_save(sheet, [
            GoalRow(goal_id=None, competency=competency, text=text, measure_kind=kind,
                    target=Decimal(target), unit=unit, direction=direction, baseline=None,
                    due_on=period.starts_on + timedelta(days=90 * (index + 1)), weight=None)
            for index, (competency, (text, kind, target, unit, direction))
            in enumerate(zip(competencies, GOALS, strict=True))], boss_login)
        GoalSheet.objects.filter(pk=sheet.pk).update(
            estimated_total_time="Twelve months", action_plans="Weekly account reviews.",
            milestones="Quarterly check-ins.", additional_comments="")
        plan["teams"].append({
            "sheet": sheet.pk,
            "supervisor": {"username": boss_login.username, "full_name": boss.full_name},
            "employee": {"username": worker_login.username, "full_name": worker.full_name},
            "hr": hr_people[number % len(hr_people)]})
    return plan


def main() -> None:
    teams, target = int(sys.argv[1]), Path(sys.argv[2])
    import django

    django.setup()
    target.write_text(json.dumps(prepare(teams), indent=1))


if __name__ == "__main__":
    main()
