"""`manage.py demo`: a collections department with goal sheets in every state of the workflow.

The people are created directly; every sheet is built by calling the real workflow services in
reviews.services as the right person, so events, answers, SMART checks, signatures and content
hashes are genuine. Goal texts are the KPIs of seed 004 (goalsapp.seeds), never retyped here.
Running the command again creates nothing twice: people, the period and sheets that already
exist are left as they are.
"""

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from goalsapp.access import HR_GROUP
from goalsapp.ar.demo import compute_demo_kpis, create_demo_ledger
from goalsapp.attainment import Grade
from goalsapp.demo_progress import add_demo_progress
from goalsapp.kpis import SCOPE_COLLECTOR
from goalsapp.library import SEED_KPI_BINDINGS
from goalsapp.models import Competency, Employee, Goal, GoalSheet, ReviewPeriod, SheetState
from goalsapp.seeds import responsibility_areas
from goalsapp.services import GoalRow
from reviews import closing, services
from reviews.archive.demo import archive_signed_sheets
from reviews.closing_models import ClosingReview
from reviews.closing_states import ClosingState
from reviews.demo.goal_sets import create_demo_goal_sets
from reviews.esign import SigningEvidence
from reviews.models import GoalAnswer, SmartCheck
from reviews.workflow import FIRST_STEP, WorkflowError, waiting_on

PASSWORD = "goalpost-demo"


def demo_evidence() -> SigningEvidence:
    """Demo signatures carry what a real one does: consent given with the first signature,
    a sign-in just now; no network address, since nobody signed through a browser."""
    return SigningEvidence(authenticated_at=timezone.now(), ip_address=None,
                           user_agent="manage.py demo", gives_consent=True)

EMAIL_DOMAIN = "goalpost.example"
ADMIN_USERNAME = "admin"

MANAGER = "Collection Manager"
SUPERVISOR = "Collections Supervisor"
HR_OFFICER = "HR Officer"
TIER = Employee.Tier


@dataclass(frozen=True)
class Person:
    username: str
    first_name: str
    last_name: str
    number: str
    title: str
    supervisor: str | None = None
    territory: str = ""
    work_location: str = ""
    tier: str = TIER.CORE
    ssn: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


# Supervisors come after their manager and collectors after their supervisor: creation order.
PEOPLE: tuple[Person, ...] = (
    Person("patricia", "Patricia", "Okafor", "E1001", MANAGER, None, "All regions",
           "Chicago HQ", TIER.HIGH),
    Person("marcus", "Marcus", "Bennett", "E1002", SUPERVISOR, "patricia", "North & East",
           "Chicago HQ", TIER.HIGH),
    Person("elena", "Elena", "Ruiz", "E1003", SUPERVISOR, "patricia", "South & West",
           "Dallas office", TIER.CORE),
    Person("aisha", "Aisha", "Patel", "E1004", "Collections Specialist", "marcus", "North",
           "Chicago HQ", TIER.HIGH, ssn="123-45-6789"),
    Person("daniel", "Daniel", "Kim", "E1005", "AR Analyst", "marcus", "East",
           "Chicago HQ", TIER.CORE),
    Person("rosa", "Rosa", "Delgado", "E1006", "AR Specialist", "marcus", "North",
           "Remote (Milwaukee, WI)", TIER.CORE),
    Person("kevin", "Kevin", "Walsh", "E1007", "Collections Specialist", "marcus", "East",
           "Chicago HQ", TIER.NEW),
    Person("samuel", "Samuel", "Osei", "E1008", "Collections Specialist", "elena", "South",
           "Dallas office", TIER.CORE, ssn="234-56-7890"),
    Person("hannah", "Hannah", "Novak", "E1009", "AR Specialist", "elena", "West",
           "Phoenix office", TIER.HIGH),
    Person("luis", "Luis", "Moreno", "E1010", "AR Analyst", "elena", "South",
           "Dallas office", TIER.NEW),
    Person("priya", "Priya", "Raman", "E1011", "Collections Specialist", "elena", "West",
           "Remote (Tucson, AZ)", TIER.CORE),
    Person("janet", "Janet", "Cole", "E1012", HR_OFFICER, None, "", "Chicago HQ", TIER.CORE),
)
BY_USERNAME = {p.username: p for p in PEOPLE}


# Where each demo sheet ends up, and which KPIs of seed 004 become its goals:
# (KRA number, KPI index) pairs. Kevin and Priya keep no sheet, nor does Elena, so "start a
# sheet" can be tried by each supervisor and by the manager.
@dataclass(frozen=True)
class SheetPlan:
    employee: str
    outcome: str  # a SheetState value, or "clarification" (drafting after a round)
    kpis: tuple[tuple[int, int], ...]
    weights: tuple[int, ...] = ()


CLARIFICATION = "clarification"
SHEETS: tuple[SheetPlan, ...] = (
    SheetPlan("aisha", SheetState.SIGNED, ((6, 0), (1, 2), (1, 0), (4, 3)), (40, 30, 15, 15)),
    SheetPlan("daniel", SheetState.HR_REVIEW, ((6, 1), (2, 0), (1, 0))),
    SheetPlan("rosa", SheetState.SUPERVISOR_SIGNATURE,
              ((6, 0), (2, 2), (1, 3), (9, 0), (5, 0))),
    SheetPlan("samuel", SheetState.EMPLOYEE_SIGNATURE, ((6, 2), (3, 3), (8, 2)), (50, 30, 20)),
    SheetPlan("hannah", SheetState.EMPLOYEE_REVIEW, ((1, 2), (2, 1), (6, 3), (10, 3))),
    SheetPlan("luis", CLARIFICATION, ((6, 0), (2, 0), (4, 2), (8, 1), (5, 2), (7, 1))),
    SheetPlan("marcus", SheetState.DRAFTING, ((10, 0), (9, 0), (7, 0), (3, 2))),
)

# How far each outcome goes along the workflow.
STEPS = ("draft", "send", "answer", "submit", "summary", "sign_supervisor", "sign_employee",
         "smart_check", "sign_hr")
LAST_STEP = {
    SheetState.DRAFTING: "draft",
    SheetState.EMPLOYEE_REVIEW: "answer",  # only the first goal answered
    CLARIFICATION: "submit",
    SheetState.SUPERVISOR_SIGNATURE: "summary",
    SheetState.EMPLOYEE_SIGNATURE: "sign_supervisor",
    SheetState.HR_REVIEW: "smart_check",  # HR has checked the first goal only
    SheetState.SIGNED: "sign_hr",
}
EXPECTED_STATE = {**{s: s for s in SheetState}, CLARIFICATION: SheetState.DRAFTING}

# The period before: two sheets signed a year ago, their closing reviews open now (docs/closing.md).
# Kevin's is closed, and he has no sheet yet in the current period, so Marcus starting one sees
# the achieved goals written in and the unfinished ones offered to carry forward; Samuel's waits
# on his self-assessment.
PREVIOUS_SHEETS: tuple[SheetPlan, ...] = (
    SheetPlan("kevin", SheetState.SIGNED, ((6, 2), (1, 0), (8, 1), (2, 0)), (40, 30, 20, 10)),
    SheetPlan("samuel", SheetState.SIGNED, ((6, 0), (3, 0), (2, 1))),
)
CLOSING_OUTCOME = {"kevin": ClosingState.CLOSED, "samuel": ClosingState.SELF_ASSESSMENT}


# Measures for a KPI text, by simple keyword rules --------------------------------------------

@dataclass(frozen=True)
class Measure:
    kind: str
    direction: str
    target: Decimal
    unit: str


K, D = Goal.MeasureKind, Goal.Direction
# First match wins: a pattern (searched in the lower-cased KPI) and the measure it gets.
MEASURE_RULES: tuple[tuple[str, Measure], ...] = (
    (r"days outstanding|cycle time", Measure(K.COUNT, D.LOWER, Decimal(35), "days")),
    (r"processing time", Measure(K.COUNT, D.LOWER, Decimal(6), "minutes per payment")),
    (r"volume|amount|revenue|dollar|cash|balance",
     Measure(K.MONEY, D.LOWER, Decimal(250000), "USD")),
    (r"reduction", Measure(K.COUNT, D.LOWER, Decimal(5), "per month")),
    (r"increase|improvement", Measure(K.PERCENT, D.HIGHER, Decimal(10), "%")),
    (r"percentage|\brate\b|accuracy|timeliness|adherence|application",
     Measure(K.PERCENT, D.HIGHER, Decimal(95), "%")),
    (r"rating", Measure(K.COUNT, D.HIGHER, Decimal("4.5"), "points out of 5")),
    (r"per day", Measure(K.COUNT, D.HIGHER, Decimal(20), "per day")),
    (r"number of accounts", Measure(K.COUNT, D.HIGHER, Decimal(150), "accounts per month")),
    (r"number of", Measure(K.COUNT, D.HIGHER, Decimal(6), "per year")),
)
DEFAULT_MEASURE = Measure(K.PERCENT, D.HIGHER, Decimal(90), "%")
# A newer collector's percentage targets are a little gentler, a high performer's a little firmer.
PERCENT_TARGET_BY_TIER = {TIER.NEW: Decimal(90), TIER.CORE: Decimal(95), TIER.HIGH: Decimal(97)}


def measure_for(kpi: str, tier: str = TIER.CORE) -> Measure:
    text = kpi.lower()
    measure = next((m for pattern, m in MEASURE_RULES if re.search(pattern, text)),
                   DEFAULT_MEASURE)
    if measure.kind == K.PERCENT and measure.target == Decimal(95):
        measure = Measure(measure.kind, measure.direction, PERCENT_TARGET_BY_TIER[tier], "%")
    return measure


# Dates ----------------------------------------------------------------------------------------

def _clamp(day: date, period: ReviewPeriod) -> date:
    return min(max(day, period.starts_on), period.ends_on)


def _months_later(day: date, months: int) -> date:
    """The first day of the month `months` after `day`'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _closing_due(after: date) -> dict:
    """A period's closing due dates, two weeks apart from `after` on."""
    return {"self_assessments_due": after + timedelta(days=14),
            "assessments_due": after + timedelta(days=28),
            "closing_signatures_due": after + timedelta(days=42),
            "hr_closing_due": after + timedelta(days=56)}


def _goal_due_dates(period: ReviewPeriod, today: date) -> list[date]:
    """The ends of the period's quarters still ahead (always at least the period's last day)."""
    ends = [_months_later(period.starts_on, months) - timedelta(days=1) for months in (3, 6, 9)]
    ahead = [d for d in [*ends, period.ends_on] if d >= today and period.contains(d)]
    return ahead or [period.ends_on]


# The command ----------------------------------------------------------------------------------

class Command(BaseCommand):
    help = ("Creates a demo collections department (manager, supervisors, collectors, HR, admin) "
            f"with goal sheets in every workflow state. Every login's password is {PASSWORD!r}.")

    def handle(self, *args, **options):
        self.today = timezone.localdate()
        self.notes: list[str] = []
        try:
            with transaction.atomic():
                self.users = self._people()
                self.period = self._period()
                self.previous = self._previous_period()
                closed = [plan.employee for plan in PREVIOUS_SHEETS
                          if self._sheet(plan, self.previous)]
                add_demo_progress(self.previous, self.previous.ends_on)
                for username in closed:
                    self._closing(username)
                self._close_to_new_sheets(self.previous)
                built = [plan.employee for plan in SHEETS if self._sheet(plan, self.period)]
                create_demo_goal_sets(self.users)  # the goal library's job titles and sets
                add_demo_progress(self.period, self.today)  # actuals for the dashboards
                self._ledger()  # the AR ledger, its KPIs and the bound goals' actuals
        except WorkflowError as error:
            raise CommandError(f"The workflow refused a demo step: {error}") from error
        self.notes += archive_signed_sheets(self.previous)
        self.notes += archive_signed_sheets(self.period)
        self.stdout.write(self._report(built))

    def _ledger(self) -> None:
        """Every collector's ledger (everyone with a supervisor but the supervisors), loaded as
        HR, and the KPIs computed week by week."""
        collectors = list(Employee.objects.filter(
            employee_number__in=[p.number for p in PEOPLE if p.title != SUPERVISOR
                                 and p.supervisor]).order_by("employee_number"))
        load = create_demo_ledger(self.period, self.today, collectors=collectors,
                                  loaded_by=self.users["janet"])
        weeks = compute_demo_kpis(self.period, self.today, load)
        self.notes.append(f"AR ledger: {load.rows_total:,} rows for {len(collectors)} "
                          f"collectors; KPIs computed for {weeks} week(s).")

    # People -----------------------------------------------------------------------------------

    def _people(self) -> dict:
        User = get_user_model()
        hr_group, _ = Group.objects.get_or_create(name=HR_GROUP)
        users = {}
        for person in PEOPLE:
            user = self._user(User, person.username, person.first_name, person.last_name)
            supervisor = (Employee.objects.get(employee_number=BY_USERNAME[person.supervisor]
                                               .number) if person.supervisor else None)
            employee, created = Employee.objects.get_or_create(
                employee_number=person.number,
                defaults={"user": user, "full_name": person.full_name, "title": person.title,
                          "territory": person.territory, "work_location": person.work_location,
                          "performance_tier": person.tier, "supervisor": supervisor},
            )
            if created and person.ssn:
                self._set_ssn(employee, person.ssn)
            if person.title == HR_OFFICER:
                user.groups.add(hr_group)
            users[person.username] = user
        admin = self._user(User, ADMIN_USERNAME, "Site", "Administrator")
        if not (admin.is_staff and admin.is_superuser):
            admin.is_staff = admin.is_superuser = True
            admin.save(update_fields=["is_staff", "is_superuser"])
        users[ADMIN_USERNAME] = admin
        return users

    @staticmethod
    def _user(User, username: str, first_name: str, last_name: str):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first_name, "last_name": last_name,
                      "email": f"{username}@{EMAIL_DOMAIN}"},
        )
        if created:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        return user

    def _set_ssn(self, employee: Employee, ssn: str) -> None:
        try:
            employee.set_ssn(ssn)
        except ImproperlyConfigured:
            self.notes.append(f"No SSN stored for {employee.full_name}: "
                              "SSN_ENCRYPTION_KEYS is not set.")
            return
        employee.save(update_fields=["ssn_encrypted"])

    # The period -------------------------------------------------------------------------------

    def _period(self) -> ReviewPeriod:
        """The twelve months from the first of this month: goals for the next period."""
        starts_on = self.today.replace(day=1)
        ends_on = _months_later(starts_on, 12) - timedelta(days=1)
        name = f"{starts_on:%b %Y} – {ends_on:%b %Y}"
        probe = ReviewPeriod(name=name, starts_on=starts_on, ends_on=ends_on)

        def due(days: int) -> date:
            return _clamp(self.today + timedelta(days=days), probe)

        period, _ = ReviewPeriod.objects.get_or_create(
            name=name,
            defaults={"starts_on": starts_on, "ends_on": ends_on, "goals_due": due(14),
                      "answers_due": due(28), "signatures_due": due(42),
                      "hr_review_due": due(56), "is_open": True,
                      **_closing_due(ends_on)},
        )
        return period

    def _previous_period(self) -> ReviewPeriod:
        """The twelve months before: ended, its closing reviews due in the weeks ahead. Open
        while its demo sheets are started, then closed to new sheets."""
        ends_on = self.period.starts_on - timedelta(days=1)
        starts_on = _months_later(self.period.starts_on, -12)
        period, _ = ReviewPeriod.objects.get_or_create(
            name=f"{starts_on:%b %Y} – {ends_on:%b %Y}",
            defaults={"starts_on": starts_on, "ends_on": ends_on,
                      "goals_due": starts_on + timedelta(days=14),
                      "answers_due": starts_on + timedelta(days=28),
                      "signatures_due": starts_on + timedelta(days=42),
                      "hr_review_due": starts_on + timedelta(days=56), "is_open": True,
                      **_closing_due(self.today - timedelta(days=1))},
        )
        return period

    @staticmethod
    def _close_to_new_sheets(period: ReviewPeriod) -> None:
        if period.is_open:
            period.is_open = False
            period.save(update_fields=["is_open"])

    # The closing review -----------------------------------------------------------------------

    def _closing(self, username: str) -> None:
        """Opens the closing review as the period's end does, then takes it as far as the demo
        plan says, through reviews.closing as each person would."""
        person = BY_USERNAME[username]
        employee = Employee.objects.select_related("supervisor__user", "user").get(
            employee_number=person.number)
        sheet = GoalSheet.objects.get(employee=employee, period=self.previous)
        review = closing.closing_open(sheet_id=sheet.pk)
        if CLOSING_OUTCOME[username] == ClosingState.SELF_ASSESSMENT:
            return
        employee_user, supervisor_user = employee.user, employee.supervisor.user
        hr_user = next(self.users[p.username] for p in PEOPLE if p.title == HR_OFFICER)
        results = list(review.results.select_related("goal").order_by("goal__position"))
        closing.closing_save_self_assessment(
            review_id=review.pk, actor=employee_user,
            overall="My first full year: I learned the portfolio and kept my call blocks.",
            per_goal={r.goal_id: ("Done, with the weekly account reviews." if
                                  r.grade == Grade.ACHIEVED else
                                  "Short of the target: the oldest balances took longer.")
                      for r in results})
        closing.closing_submit_self_assessment(review_id=review.pk, actor=employee_user,
                                               version=self._review_version(review))
        closing.closing_save_assessment(
            review_id=review.pk, actor=supervisor_user, version=self._review_version(review),
            overall="A solid first year; the 90+ bucket is the focus for the next one.",
            per_goal={r.goal_id: ("Met." if r.grade == Grade.ACHIEVED
                                  else "Good effort; carried into next year.")
                      for r in results},
            proposed_rating_id=closing.active_levels().get(value=3).pk, overrides={})
        closing.closing_submit_assessment(review_id=review.pk, actor=supervisor_user,
                                          version=self._review_version(review))
        closing.closing_release_for_signatures(review_id=review.pk, actor=hr_user)
        for signer, name in ((supervisor_user, employee.supervisor.full_name),
                             (employee_user, employee.full_name),
                             (hr_user, Employee.objects.get(user=hr_user).full_name)):
            closing.closing_sign(review_id=review.pk, actor=signer,
                                 version=self._review_version(review), typed_name=name,
                                 evidence=demo_evidence(), acknowledged=True)

    @staticmethod
    def _review_version(review) -> int:
        return ClosingReview.objects.values_list("version", flat=True).get(pk=review.pk)

    # Sheets -----------------------------------------------------------------------------------

    def _sheet(self, plan: SheetPlan, period: ReviewPeriod) -> bool:
        """Builds the sheet for `plan` in `period` through the workflow services; False if it
        exists."""
        person = BY_USERNAME[plan.employee]
        employee = Employee.objects.select_related("supervisor__user").get(
            employee_number=person.number)
        if GoalSheet.objects.filter(employee=employee, period=period).exists():
            return False
        employee_user = self.users[person.username]
        supervisor_user = employee.supervisor.user
        hr_user = next(self.users[p.username] for p in PEOPLE if p.title == HR_OFFICER)
        last = STEPS.index(LAST_STEP[plan.outcome])

        sheet = services.sheet_start(actor=supervisor_user, employee=employee, period=period)
        sid = sheet.pk
        services.sheet_save_draft(
            sheet_id=sid, actor=supervisor_user, version=self._version(sid),
            sheet_values={}, rows=self._rows(plan, person, period), replies={})
        if last >= STEPS.index("send"):
            services.sheet_send_to_employee(sheet_id=sid, actor=supervisor_user,
                                            version=self._version(sid))
            # Section 3 is the employee's: written on their answers page, as a person would.
            services.sheet_save_employee_section(
                sheet_id=sid, actor=employee_user,
                values={"goals_completed_since_last": self._since_last(person)})
        if last >= STEPS.index("answer"):
            goals = list(Goal.objects.filter(sheet_id=sid).order_by("position"))
            if plan.outcome == SheetState.EMPLOYEE_REVIEW:
                goals = goals[:1]  # the rest are waiting on the employee
            for number, goal in enumerate(goals):
                if plan.outcome == CLARIFICATION and number == 1:
                    services.goal_answer(
                        goal_id=goal.pk, actor=employee_user,
                        answer=GoalAnswer.Answer.NEEDS_CLARIFICATION,
                        comment=(f"Does this target cover the whole {person.territory} "
                                 "territory or only my own accounts? And does work started "
                                 f"before {period.name} count towards it?"))
                else:
                    services.goal_answer(goal_id=goal.pk, actor=employee_user,
                                         answer=GoalAnswer.Answer.OKAY, comment="")
        if last >= STEPS.index("submit"):
            services.sheet_submit_answers(sheet_id=sid, actor=employee_user,
                                          version=self._version(sid))
        if last >= STEPS.index("summary"):
            services.sheet_save_summary(sheet_id=sid, actor=supervisor_user,
                                        version=self._version(sid), values=self._summary(person))
        if last >= STEPS.index("sign_supervisor"):
            services.sheet_sign(sheet_id=sid, actor=supervisor_user, version=self._version(sid),
                                typed_name=employee.supervisor.full_name,
                                evidence=demo_evidence())
        if last >= STEPS.index("sign_employee"):
            services.sheet_sign(sheet_id=sid, actor=employee_user, version=self._version(sid),
                                typed_name=employee.full_name, acknowledged=True,
                                evidence=demo_evidence())
        if last >= STEPS.index("smart_check"):
            goals = list(Goal.objects.filter(sheet_id=sid).order_by("position"))
            if plan.outcome == SheetState.HR_REVIEW:
                goals = goals[:1]  # the rest are waiting on HR
            for goal in goals:
                services.goal_smart_check(
                    goal_id=goal.pk, actor=hr_user,
                    verdicts=dict.fromkeys(SmartCheck.CRITERIA, True), note="")
        if last >= STEPS.index("sign_hr"):
            hr_name = Employee.objects.get(user=hr_user).full_name
            services.sheet_sign(sheet_id=sid, actor=hr_user, version=self._version(sid),
                                typed_name=hr_name, evidence=demo_evidence())

        state = GoalSheet.objects.values_list("state", flat=True).get(pk=sid)
        if state != EXPECTED_STATE[plan.outcome]:
            raise CommandError(f"{person.full_name}'s sheet ended in {state!r}, "
                               f"not {EXPECTED_STATE[plan.outcome]!r}.")
        return True

    @staticmethod
    def _version(sheet_id: int) -> int:
        return GoalSheet.objects.values_list("version", flat=True).get(pk=sheet_id)

    def _rows(self, plan: SheetPlan, person: Person, period: ReviewPeriod) -> list[GoalRow]:
        areas = {area.number: area for area in responsibility_areas()}
        competencies = {c.name: c for c in Competency.objects.all()}
        # A period already over gets every quarter's end, as it had when its goals were set.
        due_dates = _goal_due_dates(period, period.starts_on if period.ends_on < self.today
                                    else self.today)
        weights = plan.weights or (None,) * len(plan.kpis)
        if len(weights) != len(plan.kpis):
            raise CommandError(f"The demo plan for {person.username} has unmatched weights.")
        rows = []
        for index, ((area_number, kpi_index), weight) in enumerate(zip(plan.kpis, weights,
                                                                        strict=True)):
            area = areas[area_number]
            if area.name not in competencies:
                raise CommandError(f"No competency named {area.name!r}; run migrate first.")
            kpi = area.kpis[kpi_index]
            measure = measure_for(kpi, person.tier)
            # The library's bound KPIs stay bound: their actuals come from the AR ledger.
            bound = SEED_KPI_BINDINGS.get(("004", f"KRA {area_number}, KPI {kpi_index + 1}"), "")
            rows.append(GoalRow(
                goal_id=None, competency=competencies[area.name], text=kpi,
                measure_kind=measure.kind, target=measure.target, unit=measure.unit,
                direction=measure.direction, baseline=None,
                due_on=due_dates[index % len(due_dates)], weight=weight,
                kpi=bound, kpi_scope=SCOPE_COLLECTOR if bound else "",
            ))
        return rows

    @staticmethod
    def _since_last(person: Person) -> str:
        if person.title == SUPERVISOR:
            return ("Rolled out the shared call-list rotation across the team; "
                    "cut the 90-day backlog by a third.")
        return (f"Cleared the 60+ day backlog for the {person.territory} territory and "
                "finished the payment-plan negotiation course.")

    @staticmethod
    def _summary(person: Person) -> dict:
        return {
            "estimated_total_time": "Through the end of the period, reviewed monthly.",
            "action_plans": (f"Weekly account reviews for the {person.territory} territory; "
                             "call the oldest balances first; offer payment plans early."),
            "milestones": "Monthly actuals against target in the one-to-one; "
                          "a written check-in at each quarter end.",
            "additional_comments": "",
        }

    # The logins table -------------------------------------------------------------------------

    def _report(self, built: list[str]) -> str:
        sheets = list(GoalSheet.objects.filter(period=self.period)
                      .select_related("employee__user", "employee__supervisor", "period"))
        flagged = set(GoalAnswer.objects.filter(
            goal__sheet__in=sheets, answer=GoalAnswer.Answer.NEEDS_CLARIFICATION, reply="",
        ).values_list("goal__sheet_id", "round"))
        with_sheet = {sheet.employee_id for sheet in sheets}
        reviews = list(ClosingReview.objects.filter(sheet__period=self.previous).select_related(
            "sheet__employee__user", "sheet__employee__supervisor").order_by(
            "sheet__employee_name"))

        rows = [("USERNAME", "PASSWORD", "ROLE", "NAME", "WAITING ON THEM")]
        for person in (*PEOPLE, None):
            user = self.users[person.username if person else ADMIN_USERNAME]
            role = _role(person)
            name = person.full_name if person else user.get_full_name()
            todo: Counter[str] = Counter()
            for sheet in sheets:
                if not waiting_on(user, sheet):
                    continue
                todo[_what(sheet, (sheet.pk, sheet.clarification_round) in flagged)] += 1
            for review in reviews:
                if waiting_on(user, review):
                    todo[f"closing review ({FIRST_STEP[review.state].label.lower()})"] += 1
            if person and person.title in (MANAGER, SUPERVISOR):
                employee = user.employee
                todo["report without a sheet (start one)"] += (
                    employee.reports.filter(is_active=True).exclude(pk__in=with_sheet).count())
            waiting = ", ".join(_plural(n, what) for what, n in todo.items() if n)
            if person is None:
                waiting = "Django admin at /admin/"
            rows.append((user.username, PASSWORD, role, name, waiting or "—"))

        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        lines = [f"Demo department ready for {self.period.name} "
                 f"({self.period.starts_on:%b %d, %Y} – {self.period.ends_on:%b %d, %Y}). "
                 + (f"Sheets built now: {', '.join(built)}." if built
                    else "Nothing new: every demo sheet already existed."), ""]
        for row in rows:
            lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:4]))
                         + "  " + row[4])
            if row is rows[0]:
                lines.append("  ".join("-" * w for w in widths) + "  " + "-" * len(row[4]))
        lines += ["", f"Goal sheets in {self.period.name}:"]
        for sheet in sorted(sheets, key=lambda s: s.employee_name):
            clarification = (sheet.pk, sheet.clarification_round) in flagged
            lines.append(f"  {sheet.employee_name} ({sheet.employee.user.username}): "
                         f"{sheet.get_state_display()}"
                         + (", after a clarification request" if clarification else ""))
        lines += ["", f"Closing reviews of {self.previous.name}:"]
        for review in reviews:
            lines.append(f"  {review.sheet.employee_name} "
                         f"({review.sheet.employee.user.username}): {review.get_state_display()}")
        lines.extend(self.notes)
        return "\n".join(lines)


def _role(person: Person | None) -> str:
    if person is None:
        return "Admin"
    return {MANAGER: "Manager", SUPERVISOR: "Supervisor", HR_OFFICER: "HR"}.get(
        person.title, "Collector")


WHAT_BY_STATE = {
    SheetState.DRAFTING: "sheet to draft and send",
    SheetState.EMPLOYEE_REVIEW: "sheet to answer",
    SheetState.SUPERVISOR_SIGNATURE: "sheet to sign",
    SheetState.EMPLOYEE_SIGNATURE: "sheet to sign",
    SheetState.HR_REVIEW: "sheet to review and sign",
}


def _what(sheet: GoalSheet, clarification_requested: bool) -> str:
    if sheet.state == SheetState.DRAFTING and clarification_requested:
        return "clarification to reply to"
    return WHAT_BY_STATE[SheetState(sheet.state)]


def _plural(count: int, what: str) -> str:
    if count == 1:
        return f"1 {what}"
    noun, _, rest = what.partition(" ")
    return f"{count} {noun}s {rest}".strip()
