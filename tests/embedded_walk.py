"""A walk through the embedded default: migrate, load the demo, then open every main page as each
demo persona with Django's test client, as scripts/start.sh would leave a newcomer.

Run by tests/test_embedded_default.py in a subprocess whose only environment variable is a
SQLite DATABASE_URL; run it by hand the same way:

    env -i DATABASE_URL=sqlite:////tmp/walk.sqlite3 .venv/bin/python tests/embedded_walk.py

It prints one line per request and, last, `WALK-RESULTS <json>`: every (persona, page, status,
expected status, note); a server error is recorded with its traceback, never raised, so one
broken page does not hide the others.
"""

import json
import os
import sys
import traceback
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from goalsapp import attainment as rules  # noqa: E402
from goalsapp import dashboards, figures_cache  # noqa: E402
from goalsapp.models import (  # noqa: E402
    Employee,
    Goal,
    GoalSet,
    GoalSheet,
    ProgressEntry,
    ReviewPeriod,
    SheetState,
)

PASSWORD = "goalpost-demo"
MANAGER, SUPERVISORS = "patricia", {"patricia", "marcus", "elena"}
HR, ADMIN = "janet", "admin"
SEES_ALL = {HR, ADMIN}
COLLECTORS = {"aisha", "daniel", "rosa", "kevin", "samuel", "hannah", "luis", "priya"}
PERSONAS = [*sorted(SUPERVISORS), *sorted(COLLECTORS), HR, ADMIN]
EMPLOYEES = set(PERSONAS) - {ADMIN}
# Whose sheets each supervisor sees (their line), as the demo builds the department.
LINE = {"patricia": {"marcus", "elena", *COLLECTORS},
        "marcus": {"aisha", "daniel", "rosa", "kevin"},
        "elena": {"samuel", "hannah", "luis", "priya"}}


def sees(persona: str, owner: str) -> bool:
    """Whether `persona` may see `owner`'s sheet and numbers (goalsapp.selectors' policy)."""
    return persona in SEES_ALL or persona == owner or owner in LINE.get(persona, set())


def only(allowed: set[str], refused: int = 403):
    return lambda persona: 200 if persona in allowed else refused


def main() -> int:
    assert connection.vendor == "sqlite", f"the walk is for SQLite, not {connection.vendor}"
    call_command("migrate", interactive=False, verbosity=0)
    call_command("demo")
    call_command("demo")  # scripts/start.sh runs it at every start: the second adds nothing

    period = ReviewPeriod.objects.get(is_open=True)
    sheet_of = {s.employee.user.username: s for s in
                GoalSheet.objects.filter(period=period).select_related("employee__user")}
    signed = sheet_of["aisha"]
    assert signed.state == SheetState.SIGNED, signed.state
    clarifying, manager_draft = sheet_of["luis"], sheet_of["marcus"]
    aisha = Employee.objects.get(user__username="aisha")
    marcus_set = GoalSet.objects.get(owner__username="marcus")

    def goal_set_page(persona):
        if not (persona == "marcus" or persona in SEES_ALL):
            return 404  # another person's set is as unknown as a made-up one
        return 200 if persona != ADMIN else 403  # staff see sets; only HR and supervisors keep

    def person_page(persona):
        if persona == "aisha":
            return 302  # one's own numbers are "my dashboard"
        return 200 if sees(persona, "aisha") else 404

    def edits(editor, owner):
        # Only the sheet's supervisor edits a draft; others who see it are told why not (403).
        return lambda persona: (200 if persona == editor else
                                403 if sees(persona, owner) else 404)

    department = SUPERVISORS | SEES_ALL
    pages = [
        # Issue 1-4: the workflow
        ("inbox", reverse("inbox"), only(set(PERSONAS))),
        ("sheet list", reverse("sheet_list"), only(set(PERSONAS))),
        ("team", reverse("team"), only(SUPERVISORS)),
        ("HR queue", reverse("hr_queue"), only({HR})),
        ("signed sheet", reverse("sheet_detail", args=[signed.pk]),
         lambda p: 200 if sees(p, "aisha") else 404),
        ("sheet in clarification", reverse("sheet_detail", args=[clarifying.pk]),
         lambda p: 200 if sees(p, "luis") else 404),
        # Issue 3: the archive PDFs
        ("signed PDF", reverse("sheet_pdf", args=[signed.pk]),
         lambda p: 200 if sees(p, "aisha") else 404),
        ("DRAFT preview PDF", reverse("sheet_pdf_preview", args=[clarifying.pk]),
         lambda p: 200 if sees(p, "luis") else 404),
        ("check a PDF", reverse("archive_verify"), only(SEES_ALL)),
        ("export PDFs", reverse("archive_export"), only({ADMIN})),
        ("export PDFs of the period", reverse("archive_export") + f"?period={period.pk}",
         only({ADMIN})),
        # Issue 4: notifications
        ("notifications", reverse("notifications"), only(set(PERSONAS))),
        ("notification settings", reverse("notification_settings"), only(set(PERSONAS))),
        ("reminder settings", reverse("reminder_settings"), only(SEES_ALL)),
        # Issue 5: the goal editor with its library panel, goal sets
        ("goal editor", reverse("sheet_edit", args=[clarifying.pk]), edits("elena", "luis")),
        ("library panel", reverse("goal_library", args=[clarifying.pk]),
         edits("elena", "luis")),
        ("library search", reverse("goal_library", args=[clarifying.pk])
         + "?library-q=payment&library-title=", edits("elena", "luis")),
        ("manager's goal editor", reverse("sheet_edit", args=[manager_draft.pk]),
         edits(MANAGER, "marcus")),
        ("goal sets", reverse("goal_set_list"), only(SUPERVISORS | {HR})),
        ("goal set apply", reverse("goal_set_apply", args=[marcus_set.pk]), goal_set_page),
        ("new goal set", reverse("goal_set_new"), only(SUPERVISORS | {HR})),
        # Issue 6: progress and dashboards
        ("progress of the signed sheet", reverse("sheet_progress", args=[signed.pk]),
         lambda p: 200 if sees(p, "aisha") else 404),
        ("dashboards home", reverse("dashboards"), lambda p: 302),
        ("my dashboard", reverse("my_dashboard"), only(EMPLOYEES)),
        ("team dashboard", reverse("team_dashboard"), only(SUPERVISORS)),
        ("team dashboard, whole line", reverse("team_dashboard") + "?scope=line",
         only(SUPERVISORS)),
        ("person dashboard", reverse("person_dashboard", args=[aisha.pk]), person_page),
        *[(f"department by {group}", reverse("department_dashboard") + f"?group_by={group}",
           only(department)) for group in ("territory", "title", "tier")],
        ("department, filtered", reverse("department_dashboard")
         + "?group_by=tier&territory=North", only(department)),
        ("workflow overview", reverse("workflow_overview"), only(SEES_ALL)),
        # Issue 17: the collector KPIs from the demo's AR ledger (computed row by row on SQLite)
        *[(f"collector KPIs dashboard by {group}", reverse("collector_kpis")
           + f"?group_by={group}", only(department))
          for group in ("collector", "team", "territory", "title", "tier")],
        ("progress import", reverse("progress_import"), only(department)),
        ("progress import template", reverse("progress_import_template"),
         only(set(PERSONAS))),
    ]
    exports = [(f"{name} (CSV)", f"{url}{'&' if '?' in url else '?'}export=csv", expected)
               for name, url, expected in pages
               if "dashboard" in name or name.startswith(("department", "workflow"))]
    exports = [e for e in exports if e[0] != "dashboards home (CSV)"]

    results = []

    def record(persona, name, response_or_error, expected, note=""):
        if isinstance(response_or_error, BaseException):
            status = 500
            note = "".join(traceback.format_exception(response_or_error))[-3000:]
        else:
            status = response_or_error.status_code
            if status == 200 and name.endswith("(CSV)") and not response_or_error[
                    "Content-Type"].startswith("text/csv"):
                note = f"not CSV: {response_or_error['Content-Type']}"
        results.append({"persona": persona, "page": name, "status": status,
                        "expected": expected, "note": note})
        print(f"{persona:9} {status} (expected {expected}) {name}", flush=True)

    def call(client, method, url, **kwargs):
        try:
            return getattr(client, method)(url, **kwargs)
        except Exception as error:  # a 500: recorded with its traceback
            return error

    for persona in PERSONAS:
        client = Client(HTTP_HOST="localhost")
        login = client.post(reverse("login"), {"username": persona, "password": PASSWORD})
        record(persona, "log in", login, 302)
        for name, url, expected in [*pages, *exports]:
            record(persona, name, call(client, "get", url), expected(persona))

    # Writes that read back through the dashboards' SQL: a CSV bulk load by a supervisor and an
    # actual entered by the collector herself.
    today = timezone.localdate()
    marcus = Client(HTTP_HOST="localhost")
    marcus.post(reverse("login"), {"username": "marcus", "password": PASSWORD})
    preview = call(marcus, "post", reverse("goal_set_apply", args=[marcus_set.pk]),
                   data={"period": period.pk, "audience": "direct", "preview": "1"})
    record("marcus", "goal set apply preview", preview, 200,
           "" if isinstance(preview, BaseException) or b"Kevin Walsh" in preview.content
           else "the preview does not list Kevin Walsh")
    csv_text = ("employee_number,period,goal,as_of,actual,note\n"
                f"E1004,{period.name},1,{today:%Y-%m-%d},12.00,From the walk\n"
                f"E1004,{period.name},2,{today:%Y-%m-%d},not a number,\n")
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = call(marcus, "post", reverse("progress_import"), data={
        "file": SimpleUploadedFile("actuals.csv", csv_text.encode(), "text/csv")})
    record("marcus", "progress upload", upload, 302)
    if not isinstance(upload, BaseException) and upload.status_code == 302:
        record("marcus", "progress import preview", call(marcus, "get", upload.url), 200)
        confirm = call(marcus, "post", upload.url.rstrip("/") + "/confirm/")
        record("marcus", "progress import confirm", confirm, 302)
    team_csv = call(marcus, "get", reverse("team_dashboard") + "?export=csv")
    aisha_row = ("" if isinstance(team_csv, BaseException) else
                 next((line for line in team_csv.content.decode().splitlines()
                       if line.startswith("Aisha Patel,")), ""))
    record("marcus", "team CSV after the import", team_csv, 200,
           "" if aisha_row.count(" %") == 1 else f"no attainment for Aisha: {aisha_row!r}")

    collector = Client(HTTP_HOST="localhost")
    collector.post(reverse("login"), {"username": "aisha", "password": PASSWORD})
    goal = signed.goals.order_by("position").first()
    entered = call(collector, "post", reverse("sheet_progress", args=[signed.pk]), data={
        "goal": goal.pk, "as_of": f"{today:%Y-%m-%d}", "actual": "13.50", "note": "By hand"})
    record("aisha", "progress entry", entered, 302)
    mine = call(collector, "get", reverse("my_dashboard"))
    record("aisha", "my dashboard after the entry", mine, 200,
           "" if isinstance(mine, BaseException) or b"13.5" in mine.content
           else "the new actual is not shown")

    # The department's figures were kept when the personas opened it: after the new actuals
    # they are brought forward person by person, and must equal figures graded anew.
    janet = Client(HTTP_HOST="localhost")
    janet.post(reverse("login"), {"username": HR, "password": PASSWORD})
    by_territory = reverse("department_dashboard") + "?group_by=territory&export=csv"
    brought = call(janet, "get", by_territory)
    figures_cache.forget_all()
    anew = call(janet, "get", by_territory)
    record(HR, "department after new actuals", brought, 200,
           "" if isinstance(brought, BaseException) or isinstance(anew, BaseException)
           or brought.content == anew.content
           else "figures brought forward differ from figures graded anew")

    # Reminders by hand, as the README says to run them without Redis: on the signatures' due
    # date and past the escalation threshold, every kind of reminder is claimed and e-mailed.
    for day in (period.signatures_due, period.hr_review_due + timedelta(days=30)):
        try:
            call_command("send_reminders", today=f"{day:%Y-%m-%d}")
            results.append({"persona": "-", "page": f"send_reminders on {day}", "status": 200,
                            "expected": 200, "note": ""})
        except Exception as error:
            results.append({"persona": "-", "page": f"send_reminders on {day}", "status": 500,
                            "expected": 200,
                            "note": "".join(traceback.format_exception(error))[-3000:]})

    # The status the pages show comes from SQL (goalsapp.dashboards) on SQLite as on PostgreSQL:
    # it must grade every signed goal as goalsapp.attainment does, on any day of the period,
    # including each goal's due date (date arithmetic and decimal comparisons differ in SQLite).
    goals = Goal.objects.filter(sheet__period=period, sheet__state=SheetState.SIGNED)
    latest = dict(ProgressEntry.objects.filter(goal__in=goals, is_latest=True)
                  .values_list("goal_id", "attained"))
    due = dict(goals.values_list("pk", "due_on"))
    days = sorted({*due.values(), *(period.starts_on + timedelta(days=d) for d in
                                    range(0, (period.ends_on - period.starts_on).days, 5))})
    disagreements = []
    for day in days:
        for row in dashboards.graded_goals(goals, period, day):
            expected = rules.status(attained=latest.get(row["goal_id"]),
                                    starts_on=period.starts_on, due_on=due[row["goal_id"]],
                                    today=day)
            if row["standing"] != expected:
                disagreements.append(f"goal {row['goal_id']} on {day}: SQL {row['standing']}, "
                                     f"rules {expected}")
    results.append({"persona": "-", "page": f"dashboard SQL grades {len(latest)} goals on "
                    f"{len(days)} days like the rules", "status": 200, "expected": 200,
                    "note": "; ".join(disagreements[:10])})

    # Dashboards join each goal to its one latest entry, kept by goalsapp.services as entries
    # arrive (by the demo, the CSV import and the form above).
    last_day = dict(ProgressEntry.objects.filter(goal__in=goals).values("goal_id")
                    .annotate(last=Max("as_of")).values_list("goal_id", "last"))
    marked = sorted(ProgressEntry.objects.filter(goal__in=goals, is_latest=True)
                    .values_list("goal_id", "as_of"))
    results.append({"persona": "-", "page": "each goal's latest entry is marked", "status": 200,
                    "expected": 200, "note": "" if marked == sorted(last_day.items())
                    else f"marked {marked}, last days {sorted(last_day.items())}"})

    print("WALK-RESULTS " + json.dumps(results), flush=True)
    failed = [r for r in results if r["status"] != r["expected"] or r["note"]]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
