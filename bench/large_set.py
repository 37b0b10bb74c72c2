"""The large data set the page and dashboard benches share, loaded in seconds with SQL
(INSERT … SELECT generate_series) rather than the ORM and simple-history.

The people, for N employees (ids 1 … N in a fresh database): 1 HR officer (1), 10 managers
(2–11), 100 supervisors (12–111, ten a manager) and the rest collectors spread over the
supervisors, 20 territories, 4 titles and 3 tiers. Every employee has a sheet (its id is the
employee's) of ten goals in one period; 1 sheet in 20 is still in the workflow (ids divisible by
20: 100, 200, … drafting; 120, 220, … with the employee; 180, 280, … with HR), the rest are
signed and carry about 10.5 progress entries a goal. Logins are u1 … uN, with no password.

Sheets inserted as signed have no answers, signatures or history; a signed sheet's page shows
all of those, so WALKED_SHEET starts in drafting and `sign_through_the_workflow` takes it to
signed through the services, as people would.
"""

import io
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path

# The one review period (id 1), for 2026.
PERIOD_SQL = """INSERT INTO goalsapp_reviewperiod (id, name, starts_on, ends_on, goals_due,
                                                   answers_due, signatures_due, hr_review_due,
                                                   currency, is_open)
                VALUES (1, 'Bench 2026', '2026-01-01', '2026-12-31', '2026-01-31', '2026-02-14',
                        '2026-02-28', '2026-03-15', 'USD', true)"""


# Supervisor 12's report whose sheet goes through the real workflow (sign_through_the_workflow).
WALKED_SHEET = 212
# Where its signed PDF is archived: the benches' own folder, never the working tree's media/.
# Set as MEDIA_ROOT by every bench that loads the set.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "goalpost-bench-media"


def sheets_sql(*, state: str = "'signed'", where: str = "") -> str:
    """A sheet (its id the employee's) in period 1 for each employee `where` allows, in `state`
    (an SQL expression over the employee `e`); locked unless still in the workflow."""
    return f"""INSERT INTO goalsapp_goalsheet (id, employee_id, period_id, state, employee_name,
           employee_number, title, work_location, supervisor_name, goals_completed_since_last,
           employee_comments, estimated_total_time, action_plans, milestones, additional_comments,
           version, clarification_round, created_at, updated_at, state_changed_at, locked_at,
           edition, amendment_reason)
       SELECT e.id, e.id, 1, sheet.state, e.full_name, e.employee_number, e.title,
              e.work_location, '', '', '', 'A year', 'Plan', 'Quarterly', '', 1, 0, now(), now(),
              now(), CASE WHEN sheet.state = 'signed' THEN now() END, 1, ''
       FROM goalsapp_employee e CROSS JOIN LATERAL (SELECT {state} AS state) sheet
       {where}"""


LOAD_SQL = [
    # Logins u1 … u10000 (ids 1 … 10000 in a fresh database); nobody logs in with a password.
    """INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, email,
                              is_staff, is_active, date_joined)
       SELECT g, '!', false, 'u' || g, 'Person', g::text, 'u' || g || '@bench.example', false,
              true, now() FROM generate_series(1, %(employees)s) g""",
    """INSERT INTO auth_user_groups (user_id, group_id)
       SELECT 1, id FROM auth_group WHERE name = 'HR'""",
    # 1 HR, 2-11 managers, 12-111 supervisors (10 a manager), the rest collectors.
    """INSERT INTO goalsapp_employee (id, user_id, employee_number, full_name, title, territory,
                                      work_location, performance_tier, supervisor_id, is_active,
                                      ssn_encrypted)
       SELECT g, g, 'B' || lpad(g::text, 6, '0'), 'Person ' || g,
              CASE WHEN g = 1 THEN 'HR Officer' WHEN g <= 11 THEN 'Collection Manager'
                   WHEN g <= 111 THEN 'Collections Supervisor'
                   ELSE (ARRAY['Collections Specialist', 'AR Specialist', 'AR Analyst',
                               'Senior Collector'])[1 + g %% 4] END,
              'Territory ' || lpad((1 + g %% 20)::text, 2, '0'), 'Office',
              (ARRAY['new', 'core', 'high'])[1 + g %% 3],
              CASE WHEN g <= 11 THEN NULL WHEN g <= 111 THEN 2 + (g - 12) / 10
                   ELSE 12 + (g - 112) %% 100 END,
              true, ''
       FROM generate_series(1, %(employees)s) g""",
    PERIOD_SQL,
    # One sheet each; 1 in 20 still in the workflow (and overdue), the rest signed and locked.
    sheets_sql(state=f"""CASE WHEN e.id = {WALKED_SHEET} THEN 'drafting'
                            WHEN e.id %% 20 = 0
                            THEN (ARRAY['drafting', 'employee_review', 'supervisor_signature',
                                        'employee_signature', 'hr_review'])[1 + e.id / 20 %% 5]
                            ELSE 'signed' END"""),
    # Ten goals a sheet: counts, money and percentages, some lower-is-better, some with baselines.
    """INSERT INTO goalsapp_goal (sheet_id, competency_id, text, measure_kind, target, unit,
                                  direction, baseline, due_on, weight, position, kpi, kpi_scope)
       SELECT s.id, (SELECT min(id) FROM goalsapp_competency), 'Bench goal ' || p,
              (ARRAY['count', 'money', 'percent', 'count', 'money'])[1 + p %% 5],
              (ARRAY[150, 250000, 95, 35, 80000])[1 + p %% 5],
              (ARRAY['accounts', 'USD', '%%', 'days', 'USD'])[1 + p %% 5],
              CASE WHEN p %% 5 = 3 THEN 'lower' ELSE 'higher' END,
              CASE WHEN p %% 5 = 3 THEN 52 WHEN p %% 2 = 0 THEN NULL ELSE 10 END,
              DATE '2026-03-31' + (p %% 4) * 91, NULL, p, '', 'collector'
       FROM goalsapp_goalsheet s CROSS JOIN generate_series(1, %(goals)s) p""",
    # About 10.5 entries a signed goal, a month apart, moving from the baseline towards the
    # target at varied paces; `attained` as goalsapp.services stores it (attainment.py's rule).
    """INSERT INTO goalsapp_progressentry (goal_id, as_of, actual, attained, note, entered_by_id,
                                           source, source_import_id, is_latest, created_at,
                                           updated_at, ledger_ref)
       SELECT g.id, DATE '2026-01-10' + k * 27, a.actual,
              round(CASE WHEN g.baseline IS NOT NULL
                         THEN (a.actual - g.baseline) / (g.target - g.baseline)
                         WHEN g.direction = 'higher' THEN a.actual / g.target
                         ELSE (2 * g.target - a.actual) / g.target END, 8),
              '', s.employee_id, 'csv', NULL, false, now(), now(), ''
       FROM goalsapp_goal g JOIN goalsapp_goalsheet s ON s.id = g.sheet_id
            CROSS JOIN generate_series(0, 10) k
            CROSS JOIN LATERAL (SELECT round(coalesce(g.baseline, 0) + (g.target
                   - coalesce(g.baseline, 0)) * k / 11.0 * (0.6 + (g.id %% 7) / 10.0), 2)
                   AS actual) a
       WHERE s.state = 'signed'
       ORDER BY g.id, k
       LIMIT %(entries)s""",
    """UPDATE goalsapp_progressentry p SET is_latest = true
       FROM (SELECT DISTINCT ON (goal_id) id FROM goalsapp_progressentry
             ORDER BY goal_id, as_of DESC) latest
       WHERE p.id = latest.id""",
]
SEQUENCES = ["auth_user", "goalsapp_employee", "goalsapp_reviewperiod", "goalsapp_goalsheet"]


def load(connection, employees: int = 10_000, goals_per_sheet: int = 10,
         entries_per_10_000: int = 1_000_000) -> str:
    """Loads the set through a migrated database's connection (Django set up: the walked sheet
    goes through the services); returns what it loaded."""
    started = time.perf_counter()
    params = {"employees": employees, "goals": goals_per_sheet,
              "entries": entries_per_10_000 * employees // 10_000}
    with connection.cursor() as cursor:
        for statement in LOAD_SQL:
            cursor.execute(statement, params)
        for table in SEQUENCES:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                           f"(SELECT max(id) FROM {table}))")
        cursor.execute("ANALYZE")
        cursor.execute("SELECT (SELECT count(*) FROM goalsapp_employee), "
                       "(SELECT count(*) FROM goalsapp_goal), "
                       "(SELECT count(*) FROM goalsapp_progressentry)")
        people, goals, entries = cursor.fetchone()
    if employees >= WALKED_SHEET:
        sign_through_the_workflow()
    return (f"{people:,} employees, {goals:,} goals, {entries:,} progress entries "
            f"in {time.perf_counter() - started:.1f} s")


def sign_through_the_workflow(sheet_id: int = WALKED_SHEET) -> None:
    """Takes a drafting sheet to signed through goalsapp's and reviews' services, as its people
    would: sent, every goal answered (one with a comment), the summary, the three signatures and
    HR's SMART check in between. Needs Django set up (the services write history and events)."""
    from django.utils import timezone

    from goalsapp.models import Goal, GoalSheet
    from reviews import services
    from reviews.esign import SigningEvidence
    from reviews.models import GoalAnswer, SmartCheck

    sheet = GoalSheet.objects.select_related("employee__user", "employee__supervisor__user").get(
        pk=sheet_id)
    employee, supervisor = sheet.employee, sheet.employee.supervisor
    hr = type(employee).objects.select_related("user").get(pk=1)
    evidence = SigningEvidence(authenticated_at=timezone.now(), ip_address=None,
                               user_agent="bench/large_set.py", gives_consent=True)

    def version() -> int:
        return GoalSheet.objects.values_list("version", flat=True).get(pk=sheet_id)

    goals = list(Goal.objects.filter(sheet_id=sheet_id).order_by("position"))
    with redirect_stdout(io.StringIO()):  # not the e-mails each step sends to the console
        services.sheet_send_to_employee(sheet_id=sheet_id, actor=supervisor.user,
                                        version=version())
        for number, goal in enumerate(goals):
            services.goal_answer(goal_id=goal.pk, actor=employee.user,
                                 answer=GoalAnswer.Answer.OKAY,
                                 comment="Agreed; I will report monthly." if number == 0 else "")
        services.sheet_submit_answers(sheet_id=sheet_id, actor=employee.user, version=version())
        services.sheet_save_summary(sheet_id=sheet_id, actor=supervisor.user, version=version(),
                                    values={"estimated_total_time": "A year",
                                            "action_plans": "Weekly reviews of the ledger.",
                                            "milestones": "Quarterly.", "additional_comments": ""})
        services.sheet_sign(sheet_id=sheet_id, actor=supervisor.user, version=version(),
                            typed_name=supervisor.full_name, evidence=evidence)
        services.sheet_sign(sheet_id=sheet_id, actor=employee.user, version=version(),
                            typed_name=employee.full_name, acknowledged=True, evidence=evidence)
        for goal in goals:
            services.goal_smart_check(goal_id=goal.pk, actor=hr.user,
                                      verdicts=dict.fromkeys(SmartCheck.CRITERIA, True), note="")
        services.sheet_sign(sheet_id=sheet_id, actor=hr.user, version=version(),
                            typed_name=hr.full_name, evidence=evidence)
