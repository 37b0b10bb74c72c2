"""Read queries for the workflow pages: the inbox, the HR queue, and everything a sheet page
shows. Visibility always starts from goalsapp.selectors.sheets_visible_to."""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, cached_property

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce

from goalsapp import access
from goalsapp import amendments as goals_amendments
from goalsapp.access import direct_reports, is_supervisor, sheets_visible_to
from goalsapp.compiled_queries import CompiledQuery
from goalsapp.models import Employee, Goal, GoalSheet, ReviewPeriod, SheetState
from goalsapp.pagination import with_total
from goalsapp.selectors import Change, sheet_changes

from .canonical import content_hash, sheet_canonical
from .integrity import signed_record_problems
from .models import GoalAnswer, ReviewEvent, Signature
from .workflow import (
    NEXT_ACTOR,
    ROLE_NAMES,
    STAGE_DUE_FIELD,
    Holder,
    Role,
    amendment_of,
    current_document,
    current_state_expression,
    holder_of,
    role_condition,
    stage_due_date,
    states_acted_on_by,
)


def _with_people(sheets: QuerySet[GoalSheet]) -> QuerySet[GoalSheet]:
    # The rows show the names kept on the sheet (employee_name, title): only the period is
    # joined, not an employee object a row for nothing.
    return sheets.select_related("period")


def sheets_waiting_on(user) -> QuerySet[GoalSheet]:
    """Sheets whose next step is this user's: in a state NEXT_ACTOR gives to a role the user
    holds on the sheet (workflow.sheets_where_role). The state is the sheet's current one
    (`stage`): its closing review's once it has one. Oldest first, by the stage's start."""
    scope, values = access.sheet_scope(user)  # first: the roles it asks bring the employee
    return _waiting(access.sheets_in_scope(scope, **values), holder_of(user))


def _waiting(visible: QuerySet[GoalSheet], holder: Holder) -> QuerySet[GoalSheet]:
    condition = Q(pk__in=[])
    for role in Role:
        if states := states_acted_on_by(role):  # a manager never holds the next step
            condition |= role_condition(role, holder) & Q(stage__in=states)
    return (_with_people(visible.annotate(
        stage=current_state_expression(),
        stage_since=Coalesce("closing__state_changed_at", "state_changed_at")).filter(condition))
        .select_related("closing").order_by("stage_since"))


def inbox_sheets(user) -> list[GoalSheet]:
    """sheets_waiting_on(user) as a list, through a query compiled once per process for each
    kind of viewer (their scope, whether they have an employee record, are in HR, have reports):
    the inbox is the page everyone opens first, and building and planning this query cost
    more than running it."""
    scope, values = access.sheet_scope(user)
    holder = holder_of(user)
    if states_acted_on_by(Role.MANAGER):  # the line below as ids: not one statement for all
        return list(sheets_waiting_on(user))
    shape = (scope, holder.employee_id is not None, holder.is_hr, holder.is_supervisor)
    arguments = {"employee_id": holder.employee_id} if holder.employee_id is not None else {}
    return _compiled_inbox(*shape)(**arguments)


@cache
def _compiled_inbox(scope: str, has_employee: bool, hr: bool, supervisor: bool) -> CompiledQuery:
    def build(employee_id=None):
        return _waiting(access.sheets_in_scope(scope, employee_id),
                        Holder(employee_id, hr, supervisor))

    return CompiledQuery(build, names=["employee_id"] if has_employee else [])


def sheets_to_start(user) -> list[tuple[Employee, ReviewPeriod]]:
    """The user's direct reports without a sheet in an open period: the first step, drafting,
    waits on the supervisor even before the sheet exists."""
    if not is_supervisor(user):  # no active reports (known already, from the roles query)
        return []
    periods = list(ReviewPeriod.objects.filter(is_open=True).order_by("starts_on"))
    waiting = []
    for period in periods:  # one open period at a time, as a rule
        # Only those still without a sheet leave the database, however big the team.
        has_sheet = GoalSheet.objects.filter(employee=OuterRef("pk"), period=period)
        waiting += [(report, period) for report in
                    direct_reports(user).filter(~Exists(has_sheet)).order_by("full_name")]
    return waiting


def hr_queue(user) -> QuerySet[GoalSheet]:
    return _with_people(
        sheets_visible_to(user).filter(state=SheetState.HR_REVIEW)
    ).order_by("state_changed_at")


def sheets_listed_for(user, *, period_id: int | None = None,
                      state: str | None = None) -> QuerySet[GoalSheet]:
    """One row a person and period: the newest version of an amended sheet (its page links
    the others)."""
    return _listed(sheets_visible_to(user), period_id, state)


def first_sheets_listed_for(user, *, period_id: int | None = None, state: str | None = None,
                            size: int) -> list[GoalSheet]:
    """with_total(sheets_listed_for(…))[:size], through a query compiled once per process for
    each shape of the list (the viewer's scope, whether a period is chosen, the state)."""
    scope, values = access.sheet_scope(user)
    if period_id is not None:
        values["period_id"] = period_id
    return _first_listed(scope, period_id is not None, state, size)(**values)


@cache
def _first_listed(scope: str, by_period: bool, state: str | None, size: int) -> CompiledQuery:
    # A dozen states, two scopes, with or without a period: a few dozen statements at most.
    def build(employee_id=None, period_id=None):
        return with_total(_listed(access.sheets_in_scope(scope, employee_id), period_id,
                                  state))[:size]

    names = [*(["employee_id"] if scope == "line" else []), *(["period_id"] if by_period else [])]
    return CompiledQuery(build, names=names)


# What a row of the sheet list shows (reviews/templatetags/sheet_rows.py): fifty sheets with all
# their text and five times each, and their periods' ten dates, cost more to read than to show.
_LIST_ROW = ("employee_name", "title", "state", "edition", "state_changed_at", "period__name")


def _listed(sheets: QuerySet[GoalSheet], period_id, state) -> QuerySet[GoalSheet]:
    sheets = _with_people(sheets.newest_versions()).only(*_LIST_ROW)
    if period_id is not None:
        sheets = sheets.filter(period_id=period_id)
    if state:
        sheets = sheets.filter(state=state)
    return sheets.order_by("-period__starts_on", "employee_name")


def team_overview(supervisor: Employee, period) -> list[tuple[Employee, GoalSheet | None]]:
    reports = list(supervisor.reports.filter(is_active=True).select_related("user"))
    sheets = {s.employee_id: s for s in GoalSheet.objects.newest_versions().filter(
        employee__in=reports, period=period)}
    return [(report, sheets.get(report.pk)) for report in reports]


@dataclass
class GoalView:
    goal: Goal
    answers: list[GoalAnswer]  # every round, oldest first
    current_answer: GoalAnswer | None
    smart_check: object | None


@dataclass
class SheetView:
    """Everything the sheet page shows, fetched in a fixed number of queries."""

    sheet: GoalSheet
    goals: list[GoalView]
    by_competency: list[tuple[str, list[GoalView]]]
    signatures: list[Signature]
    voided_signatures: list[Signature]
    events: list[ReviewEvent]
    changes: list[Change] = field(default_factory=list)  # since the employee first saw it
    content_hash: str = ""  # of the content now, when there are signatures to compare it with
    versions: list[GoalSheet] = field(default_factory=list)  # first to newest, if amended

    @property
    def amended_version(self) -> GoalSheet | None:
        """The version this sheet amends (from `versions`: no query)."""
        return next((v for v in self.versions if v.pk == self.sheet.amends_id), None)

    @property
    def next_version(self) -> GoalSheet | None:
        """The version that amends this sheet, signed or under way (from `versions`)."""
        return next((v for v in self.versions if v.amends_id == self.sheet.pk), None)

    @property
    def signatures_match(self) -> bool:
        return all(s.content_hash == self.content_hash for s in self.signatures)

    @cached_property
    def pending_return(self) -> ReviewEvent | None:
        """HR's return, while the supervisor is still fixing the goals: the latest transition
        into drafting, when it was HR's return (sending the sheet again moves past it). Read
        from the events already loaded, not with a query of its own."""
        if self.sheet.state != SheetState.DRAFTING:
            return None
        into_drafting = [e for e in self.events if e.to_state == SheetState.DRAFTING
                         and e.from_state != SheetState.DRAFTING]
        last = max(into_drafting, key=lambda e: (e.at, e.id), default=None)
        return last if last and last.action == "return_to_supervisor" else None

    @cached_property
    def record_problems(self) -> list[str]:
        """For a signed sheet: why its record is not what Goalpost wrote (empty when intact)."""
        return signed_record_problems(self.sheet, self.signatures, self.content_hash or None)


# What a sheet page reads besides the sheet, each by the sheet's key; their SQL is built once
# per process (goalsapp.compiled_queries): Django building it cost more than PostgreSQL running it.
_GOALS = CompiledQuery(lambda sheet_id: Goal.objects.filter(sheet_id=sheet_id)
                       .select_related("competency", "smart_check").order_by("position", "id"))
_ANSWERS = CompiledQuery(lambda sheet_id: GoalAnswer.objects.filter(goal__sheet_id=sheet_id)
                         .order_by("round", "id"))
_SIGNATURES = CompiledQuery(lambda sheet_id: Signature.objects.filter(sheet_id=sheet_id)
                            .select_related("signer", "consent"))
_EVENTS = CompiledQuery(lambda sheet_id: ReviewEvent.objects.filter(sheet_id=sheet_id)
                        .select_related("actor__employee")
                        .only("sheet_id", "action", "from_state", "to_state", "at", "note",
                              "actor__username", "actor__employee__full_name"))


def sheet_view(sheet: GoalSheet) -> SheetView:
    # Each row is given the objects it belongs to, as a related manager gives them (a goal's
    # sheet, an answer's goal): read again, they would cost a query a row.
    answers_of: dict[int, list[GoalAnswer]] = defaultdict(list)
    for answer in _ANSWERS(sheet_id=sheet.pk):  # every round, oldest first
        answers_of[answer.goal_id].append(answer)
    views = []
    for goal in _GOALS(sheet_id=sheet.pk):
        goal.sheet = sheet
        answers = answers_of[goal.pk]
        for answer in answers:
            answer.goal = goal
        current = next((a for a in answers if a.round == sheet.clarification_round), None)
        views.append(GoalView(goal, answers, current, getattr(goal, "smart_check", None)))
    grouped: dict[str, list[GoalView]] = defaultdict(list)
    for view in views:
        grouped[view.goal.competency.name].append(view)
    signatures = _SIGNATURES(sheet_id=sheet.pk)
    events = _EVENTS(sheet_id=sheet.pk)
    for row in (*signatures, *events):
        row.sheet = sheet
    first_sent = next((e.at for e in events if e.action == "send_to_employee"), None)
    live = [s for s in signatures if s.voided_at is None]
    return SheetView(
        sheet=sheet,
        goals=views,
        by_competency=list(grouped.items()),
        signatures=live,
        voided_signatures=[s for s in signatures if s.voided_at is not None],
        events=events,
        changes=sheet_changes(sheet, since=first_sent) if first_sent else [],
        # The goals and answers just read are the ones signed: no second reading to hash them.
        content_hash=content_hash(sheet, sheet_canonical(
            sheet, [(v.goal, v.answers) for v in views])) if live else "",
        versions=sheet_versions(sheet),
    )


def sheet_versions(sheet: GoalSheet) -> list[GoalSheet]:
    """Every version of an amended sheet, first to newest (empty for a sheet never amended):
    one query. They are one employee's, so whoever may see one may see them all."""
    if sheet.amends_id is None and amendment_of(sheet) is None:
        return []  # version 1, never amended: nothing to list (and, joined, no query)
    versions = goals_amendments.versions_of(sheet)
    return versions if len(versions) > 1 else []


def flagged_answers(sheet: GoalSheet) -> dict[int, GoalAnswer]:
    """The employee's requests for clarification from the last round, while drafting."""
    if sheet.state != SheetState.DRAFTING or sheet.clarification_round == 0:
        return {}
    return {
        answer.goal_id: answer for answer in GoalAnswer.objects.filter(
            goal__sheet=sheet, round=sheet.clarification_round,
            answer=GoalAnswer.Answer.NEEDS_CLARIFICATION)
    }


# The workflow overview for HR (a dashboard; the due dates come from workflow.STAGE_DUE_FIELD) --

OVERDUE_SHOWN = 200


@dataclass
class OverdueSheet:
    sheet: GoalSheet
    due_on: object
    waiting_on: str  # the role, in words
    person: str  # who, by name


def _overdue_condition(today) -> Q:
    """On a queryset annotated with `stage` (the current state, closing review included)."""
    condition = Q(pk__in=[])
    for state, due_field in STAGE_DUE_FIELD.items():
        if due_field:
            condition |= Q(stage=state, **{f"period__{due_field}__lt": today})
    return condition


def sheet_counts_by_period(user, *, period_id=None) -> list[dict]:
    """How many people's sheets each period has in each current state (the newest version of
    an amended sheet; `stage`: its closing review's once it has one): one grouped query."""
    sheets = sheets_visible_to(user).newest_versions()
    if period_id:
        sheets = sheets.filter(period_id=period_id)
    return list(sheets.annotate(stage=current_state_expression())
                .values("period_id", "period__name", "period__starts_on", "stage")
                .annotate(sheets=Count("id")).order_by("-period__starts_on"))


def overdue_sheets(user, *, today, period_id=None) -> tuple[list[OverdueSheet], int]:
    """Sheets past their current stage's due date (the newest version of an amended sheet),
    oldest due first (at most OVERDUE_SHOWN), and how many there are in all: two queries."""
    sheets = sheets_visible_to(user).newest_versions().annotate(
        stage=current_state_expression()).filter(_overdue_condition(today))
    if period_id:
        sheets = sheets.filter(period_id=period_id)
    total = sheets.count()
    listed = []
    for sheet in sheets.select_related("employee__supervisor", "period", "closing").order_by(
            "period__starts_on", "state_changed_at")[:OVERDUE_SHOWN]:
        role = NEXT_ACTOR[sheet.stage]
        person = {Role.EMPLOYEE: sheet.employee.full_name,
                  Role.SUPERVISOR: (sheet.employee.supervisor.full_name
                                    if sheet.employee.supervisor else "no supervisor on file"),
                  Role.HR: "any member of HR"}[role]
        listed.append(OverdueSheet(sheet, stage_due_date(current_document(sheet)),
                                   ROLE_NAMES[role], person))
    listed.sort(key=lambda row: row.due_on)
    return listed, total
