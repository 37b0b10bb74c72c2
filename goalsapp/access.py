"""The one access policy: who may see what, and who may use which page, export and tool.

Every list, page, htmx fragment, PDF, export, admin page and the navigation ask this module;
no other view, template or service combines `is_staff`, groups or roles itself. Templates read
the same answers through `can` (`Can`, put in every page by `context_processors.access`).

Who may *see*:
- an employee sees their own sheets and numbers;
- a supervisor also sees everything down their line;
- HR (members of the "HR" group) and staff (administrators) see every sheet.

Who may take which step on a sheet in which state is the workflow table's question
(reviews/workflow.py, which reads `employee_of` and `is_hr` from here): this module never
answers it, and the workflow never decides what someone may see.
"""

from functools import cached_property

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connections, router
from django.db.models import BooleanField, Exists, OuterRef, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404

from .compiled_queries import CompiledQuery
from .defaults import HR_GROUP_NAME
from .models import Employee, GoalSet, GoalSheet

HR_GROUP = HR_GROUP_NAME


# Who someone is --------------------------------------------------------------------------------

def _employee_with_roles(user_id: int) -> QuerySet[Employee]:
    # Each question names the user itself rather than the outer row: PostgreSQL then starts
    # from the one employee (a unique index) and reads only their reports. Correlated, it
    # scanned every employee for someone without a second level below them (2 ms at 10,000).
    hr = Group.objects.filter(name=HR_GROUP, user=user_id)
    reports = Employee.objects.filter(supervisor__user_id=user_id, is_active=True)
    line = Employee.objects.filter(supervisor__supervisor__user_id=user_id,
                                   supervisor__is_active=True, is_active=True)
    return (Employee.objects.filter(user_id=user_id).order_by()
            .annotate(goalpost_is_hr=Exists(hr), goalpost_is_supervisor=Exists(reports),
                      goalpost_is_manager=Exists(line))[:1])


# Every page runs it first; its SQL is built once per process (goalsapp.compiled_queries).
_EMPLOYEE_WITH_ROLES = CompiledQuery(_employee_with_roles)


def _read_roles(user) -> None:
    """Whether `user` is in HR, whether they have active direct reports, and whether one of
    those has active reports too (a manager), in one query kept on the user object for the
    request (every page's navigation asks them) — with their employee row when it is not read
    yet, which `user.employee` then reads without a query of its own."""
    if hasattr(user, "_goalpost_is_hr"):
        return
    employee = get_user_model().employee.related
    if employee.is_cached(user):
        hr = Group.objects.filter(name=HR_GROUP, user=OuterRef("pk"))
        reports = Employee.objects.filter(supervisor__user=OuterRef("pk"), is_active=True)
        line = Employee.objects.filter(supervisor__supervisor__user=OuterRef("pk"),
                                       supervisor__is_active=True, is_active=True)
        roles = (get_user_model().objects.filter(pk=user.pk)
                 .values_list(Exists(hr), Exists(reports), Exists(line)).first())
        (user._goalpost_is_hr, user._goalpost_is_supervisor,
         user._goalpost_is_manager) = roles or (False, False, False)
        return
    found = _EMPLOYEE_WITH_ROLES(user_id=user.pk)
    me = found[0] if found else None
    employee.set_cached_value(user, me)
    if me is None:  # an administrator without an employee row
        user._goalpost_is_hr = user.groups.filter(name=HR_GROUP).exists()
        user._goalpost_is_supervisor = user._goalpost_is_manager = False
    else:
        user._goalpost_is_hr = me.goalpost_is_hr
        user._goalpost_is_supervisor = me.goalpost_is_supervisor
        user._goalpost_is_manager = me.goalpost_is_manager


def is_hr(user) -> bool:
    """A member of the HR group (cached on the user object for the request)."""
    if not user.is_authenticated:
        return False
    _read_roles(user)
    return user._goalpost_is_hr


def hr_user_ids() -> list[int]:
    """The same membership as `is_hr`, for many at once: the active HR members' user ids."""
    return list(get_user_model().objects.filter(groups__name=HR_GROUP, is_active=True)
                .order_by("pk").values_list("pk", flat=True))


def is_admin(user) -> bool:
    """Staff: the Django admin, bulk exports and the archive's repair tools."""
    return user.is_authenticated and user.is_staff


def sees_everything(user) -> bool:
    """HR and administrators see every sheet and every employee's numbers."""
    return is_hr(user) or is_admin(user)


def employee_of(user) -> Employee | None:
    if not user.is_authenticated:
        return None
    try:
        return user.employee
    except Employee.DoesNotExist:
        return None


def _line_sql(connection) -> str:
    """Everyone below the employee %s, directly or further down, as one recursive query (UNION,
    not UNION ALL: a cycle in bad data adds nothing new, so the recursion ends)."""
    quote, meta = connection.ops.quote_name, Employee._meta
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    boss = quote(meta.get_field("supervisor").column)
    step = f"SELECT e.{pk} FROM {table} e JOIN below b ON e.{boss} = b.id"
    if connection.vendor == "postgresql":
        # Each level's reports by the index on the supervisor, person by person (OFFSET 0
        # keeps the planner from turning it back into a join): a join hashed every employee
        # at every level, 1.4 ms for a line of 100 at 10,000 people instead of 0.4.
        step = (f"SELECT e.{pk} FROM below b CROSS JOIN LATERAL"
                f" (SELECT {pk} FROM {table} WHERE {boss} = b.id OFFSET 0) e")
    return (f"WITH RECURSIVE below(id) AS ("
            f" SELECT {pk} FROM {table} WHERE {boss} = %s"
            f" UNION {step})"
            f" SELECT id FROM below")


def line_below(employee: Employee) -> set[int]:
    """Ids of everyone who reports to `employee`, directly or further down; one query."""
    return line_below_ids(employee.pk)


def line_below_ids(employee_id: int) -> set[int]:
    """line_below, given the employee's id."""
    connection = connections[router.db_for_read(Employee)]
    with connection.cursor() as cursor:
        cursor.execute(_line_sql(connection), [employee_id])
        return {row[0] for row in cursor.fetchall()} - {employee_id}


def _self_and_line(employee_id: int) -> RawSQL:
    """The employee and their whole line as a subquery, so a list asks for its rows and the line
    in one query rather than reading the line's ids first; compared with `__in_line`
    (goalsapp/lookups.py), which PostgreSQL plans with the index."""
    sql = _line_sql(connections[router.db_for_read(Employee)])
    return RawSQL(f"{sql} UNION SELECT %s", [employee_id, employee_id])


def _line_reaches(model, pk: int, employee_id: int) -> RawSQL:
    """Whether the row `pk` of `model` (a sheet, or an employee) is the employee `employee_id`'s
    or of someone in their line: _self_and_line asked of one row. The line is walked up from
    the row's employee (a row a level above them) rather than down from the viewer, which reads
    everyone below: for a senior manager, a whole department on every sheet page. A loop in bad
    data ends here as it does going down (UNION)."""
    connection = connections[router.db_for_read(Employee)]
    quote, people, rows = connection.ops.quote_name, Employee._meta, model._meta
    table, key = quote(people.db_table), quote(people.pk.column)
    boss = quote(people.get_field("supervisor").column)
    whose = key if model is Employee else quote(rows.get_field("employee").column)
    sql = (f"EXISTS (WITH RECURSIVE above(id) AS ("
           f" SELECT {whose} FROM {quote(rows.db_table)} WHERE {quote(rows.pk.column)} = %s"
           f" UNION SELECT e.{boss} FROM {table} e JOIN above a ON e.{key} = a.id"
           f" WHERE e.{boss} IS NOT NULL)"
           f" SELECT 1 FROM above WHERE id = %s)")
    return RawSQL(sql, [pk, employee_id], output_field=BooleanField())


def line_above(employee: Employee) -> set[int]:
    """Ids of everyone `employee` reports to, directly or further up: their supervisor free (a
    column of the row), then one query a level."""
    above: set[int] = set()
    boss_id = employee.supervisor_id
    while boss_id is not None and boss_id not in above and boss_id != employee.pk:
        above.add(boss_id)
        boss_id = (Employee.objects.filter(pk=boss_id).values_list("supervisor_id", flat=True)
                   .first())
    return above


def direct_reports(user) -> QuerySet[Employee]:
    """The user's active direct reports: whose sheets they may start."""
    me = employee_of(user)
    if me is None:
        return Employee.objects.none()
    return Employee.objects.filter(supervisor=me, is_active=True).select_related("user")


def is_supervisor(user) -> bool:
    """Whether `user` has active direct reports: the team pages are theirs (cached on the user
    object for the request, as is_hr: the navigation asks several questions built on it)."""
    if not user.is_authenticated:
        return False
    _read_roles(user)
    return user._goalpost_is_supervisor


def is_manager(user) -> bool:
    """Someone whose active reports have active reports: they manage a line of teams (read
    with is_hr and is_supervisor, in the same query)."""
    if not user.is_authenticated:
        return False
    _read_roles(user)
    return user._goalpost_is_manager


# What someone may see --------------------------------------------------------------------------

def employees_visible_to(user) -> QuerySet[Employee]:
    """The people whose numbers `user` may see: the same scope as their sheets."""
    scope, values = sheet_scope(user)
    if scope == "all":
        return Employee.objects.all()
    if scope == "line":
        return Employee.objects.filter(pk__in_line=_self_and_line(values["employee_id"]))
    return Employee.objects.none()


def sheets_visible_to(user) -> QuerySet[GoalSheet]:
    scope, values = sheet_scope(user)
    return sheets_in_scope(scope, **values)


def sheet_scope(user) -> tuple[str, dict[str, int]]:
    """Which sheets (and whose numbers) `user` may see, as a scope ("all", "line" or "none")
    and its integer arguments: sheets_visible_to's answer in the form a compiled query takes
    (goalsapp.compiled_queries)."""
    if sees_everything(user):
        return "all", {}
    me = employee_of(user)
    if me is None:
        return "none", {}
    return "line", {"employee_id": me.pk}


def sheets_in_scope(scope: str, employee_id: int | None = None) -> QuerySet[GoalSheet]:
    """The sheets of a scope from sheet_scope."""
    if scope == "all":
        return GoalSheet.objects.all()
    if scope == "line":
        return _sheets_of_line(employee_id)
    return GoalSheet.objects.none()


def _sheets_of_line(employee_id: int) -> QuerySet[GoalSheet]:
    """The sheets of an employee and of everyone below them: what they may see."""
    return GoalSheet.objects.filter(employee_id__in_line=_self_and_line(employee_id))


def _one_sheet(sheets: QuerySet[GoalSheet], pk: int) -> QuerySet[GoalSheet]:
    # The amendment and the closing review (a reverse one-to-one each) are read by every sheet
    # page (its versions, its refusals, its closing section): joined here they cost no query of
    # their own (goalsapp.models.joined_one). One row by its key: sorting it (the default
    # order) costs a millisecond.
    return (sheets.select_related("employee__supervisor", "period", "amendment",
                                  "closing__rating", "closing__proposed_rating")
            .filter(pk=pk).order_by()[:1])


# Every sheet page and transition reads its sheet through one of these, by the viewer's scope;
# their SQL (eight joins) is built once per process (goalsapp.compiled_queries). A line's one
# sheet is found by walking up from its employee (_line_reaches), the same line as the
# lists' (sheets_in_scope) read from the other end.
_ONE_SHEET = {
    "all": CompiledQuery(lambda pk: _one_sheet(sheets_in_scope("all"), pk)),
    "line": CompiledQuery(lambda pk, employee_id: _one_sheet(
        GoalSheet.objects.filter(_line_reaches(GoalSheet, pk, employee_id)), pk)),
    "none": CompiledQuery(lambda pk: _one_sheet(sheets_in_scope("none"), pk)),
}


def get_sheet_for_user(user, pk) -> GoalSheet:
    """The sheet, if `user` may see it; otherwise 404, so nothing leaks about its existence.
    The same rule as sheets_visible_to: the same scope (sheet_scope), and the same line."""
    scope, values = sheet_scope(user)
    found = _ONE_SHEET[scope](pk=pk, **values)
    if not found:
        raise Http404("No such goal sheet.")
    return found[0]


# Each person's dashboard reads them through one of these, by the viewer's scope (the same as
# for sheets): as for one sheet, the line is walked up from the employee (_line_reaches).
_ONE_EMPLOYEE = {
    "all": CompiledQuery(lambda pk: Employee.objects.filter(pk=pk).order_by()[:1]),
    "line": CompiledQuery(lambda pk, employee_id: Employee.objects.filter(
        _line_reaches(Employee, pk, employee_id), pk=pk).order_by()[:1]),
    "none": CompiledQuery(lambda pk: Employee.objects.none()),
}


def get_employee_for_user(user, pk) -> Employee:
    """The employee, if `user` may see their numbers; otherwise 404, as for sheets. The same
    rule as employees_visible_to: the same scope (sheet_scope), and the same line."""
    scope, values = sheet_scope(user)
    found = _ONE_EMPLOYEE[scope](pk=pk, **values)
    if not found:
        raise Http404("No such employee.")
    return found[0]


def goal_sets_visible_to(user) -> QuerySet[GoalSet]:
    """HR and staff see every goal set; anyone else the sets they own."""
    if not user.is_authenticated:
        return GoalSet.objects.none()
    sets = GoalSet.objects.select_related("owner")
    return sets if sees_everything(user) else sets.filter(owner=user)


def get_goal_set_for_user(user, pk) -> GoalSet:
    """The goal set, if `user` may see it; otherwise 404."""
    goal_set = goal_sets_visible_to(user).filter(pk=pk).first()
    if goal_set is None:
        raise Http404("No such goal set.")
    return goal_set


def may_see_full_ssn(user) -> bool:
    """HR reads full Social Security numbers; everyone else sees them masked."""
    return is_hr(user)


# Pages and tools -------------------------------------------------------------------------------

def may_see_team(user) -> bool:
    """The team page, starting sheets and the team dashboard: supervisors."""
    return is_supervisor(user)


def may_see_hr_queue(user) -> bool:
    return is_hr(user)


def may_see_department(user) -> bool:
    """Department dashboards: HR and staff for everyone, supervisors for their line."""
    return sees_everything(user) or is_supervisor(user)


def may_see_collector_kpis(user) -> bool:
    """The collector KPI dashboard: as the department's, HR and staff for every collector,
    supervisors for the collectors in their line (`dashboard_scope`)."""
    return may_see_department(user)


def may_see_workflow_overview(user) -> bool:
    return sees_everything(user)


def may_keep_goal_sets(user) -> bool:
    """Supervisors and HR save goal sets and apply them."""
    return is_hr(user) or is_supervisor(user)


def may_use_admin(user) -> bool:
    return is_admin(user)


def sso_only() -> bool:
    """"SSO only": single sign-on is configured and SSO_ONLY refuses passwords."""
    return bool(settings.SSO_ONLY and settings.OIDC_RP_CLIENT_ID)


def may_sign_in_with_password(username: str) -> bool:
    """Passwords open Goalpost unless "SSO only" is on; then only the break-glass
    administrator's (SSO_BREAK_GLASS_USERNAME), for when the provider is down. Read by the
    password backend and by signing's re-authentication."""
    if not sso_only():
        return True
    return bool(settings.SSO_BREAK_GLASS_USERNAME) and username == settings.SSO_BREAK_GLASS_USERNAME


# Progress and dashboards: the same policy, applied to numbers -----------------------------------

def may_enter_progress(user, sheet: GoalSheet) -> bool:
    """The employee and anyone up their line enter actuals on the signed version in force
    (not on one an amendment has replaced); HR reads them."""
    me = employee_of(user)
    if not sheet.is_signed or me is None:
        return False
    if not (sheet.employee_id == me.pk or sheet.employee_id in line_below(me)):
        return False
    return GoalSheet.objects.filter(pk=sheet.pk).in_force().exists()


def may_import_progress(user) -> bool:
    """HR and staff import for everyone, supervisors for their line (progress_import_scope)."""
    return sees_everything(user) or is_supervisor(user)


def progress_import_scope(user) -> QuerySet[Employee]:
    """Whose actuals `user` may load from a CSV; anyone else reads as an unknown number."""
    if sees_everything(user):
        return Employee.objects.all()
    me = employee_of(user)
    if me is None or not is_supervisor(user):
        return Employee.objects.none()
    return Employee.objects.filter(pk__in=line_below(me))


def dashboard_scope(user) -> set[int] | None:
    """The employees a team or department dashboard covers: None means everyone (HR and staff),
    otherwise the ids of the user's line (empty when they have none)."""
    if sees_everything(user):
        return None
    me = employee_of(user)
    return line_below(me) if me is not None else set()


# People and periods ----------------------------------------------------------------------------

def may_manage_people(user) -> bool:
    """Creating, changing and deactivating people (and their supervisor lines) is HR's and the
    administrators' work, from a page, the admin or the API alike."""
    return sees_everything(user)


def may_manage_periods(user) -> bool:
    """Review periods are set up by HR and administrators."""
    return sees_everything(user)


def may_load_ar_data(user) -> bool:
    """Loading the AR ledger (files and API batches) and seeing its loads is HR's and the
    administrators' work: a load sets every collector's KPI actuals at once."""
    return sees_everything(user)


def may_configure_ratings(user) -> bool:
    """The rating scale of closing reviews (its levels, labels and descriptions) is HR's."""
    return is_hr(user)


def may_open_closing_reviews(user) -> bool:
    """The closing page (open a period's closing early, release reviews from calibration) is
    for HR; which sheets they may act on is the workflow table's question."""
    return is_hr(user)


def may_calibrate(user) -> bool:
    """The calibration page: HR for every review, a manager for the reviews of their line
    (calibration_scope). Who may adjust which rating is the workflow table's question."""
    return is_hr(user) or is_manager(user)


def calibration_scope(user) -> set[int] | None:
    """The employees whose closing reviews the calibration page shows `user`: None means
    everyone (HR), otherwise a manager's line (empty for anyone else)."""
    if is_hr(user):
        return None
    me = employee_of(user)
    return line_below(me) if me is not None and is_manager(user) else set()


def may_see_closing_dashboard(user) -> bool:
    """Final attainment and ratings per group: as the department dashboards (dashboard_scope:
    a supervisor's team and line, everyone for HR and staff)."""
    return may_see_department(user)


def may_change_reminder_settings(user) -> bool:
    """The numbers reminders and escalations go by are set by HR and administrators."""
    return sees_everything(user)


# The archive of signed PDFs --------------------------------------------------------------------

def may_export_archives(user) -> bool:
    """Bulk exports of signed PDFs (every sheet the user may see) are for administrators, who
    also see every export job, not only their own."""
    return is_admin(user)


def may_verify_archives(user) -> bool:
    """Checking an uploaded PDF against the archive is for those who see every sheet."""
    return sees_everything(user)


def may_retry_archive(user) -> bool:
    """Retrying a failed rendering, and reading why it failed, is an administrator's repair."""
    return is_admin(user)


# For templates ---------------------------------------------------------------------------------

class Can:
    """The policy's answers for one user, as templates ask them: `{% if can.department %}`.
    Each answer is computed on first use, so a page pays only for the questions it asks."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def see_team(self) -> bool:
        return may_see_team(self.user)

    @cached_property
    def see_hr_queue(self) -> bool:
        return may_see_hr_queue(self.user)

    @cached_property
    def see_department(self) -> bool:
        return may_see_department(self.user)

    @cached_property
    def see_collector_kpis(self) -> bool:
        return may_see_collector_kpis(self.user)

    @cached_property
    def see_workflow_overview(self) -> bool:
        return may_see_workflow_overview(self.user)

    @cached_property
    def keep_goal_sets(self) -> bool:
        return may_keep_goal_sets(self.user)

    @cached_property
    def import_progress(self) -> bool:
        return may_import_progress(self.user)

    @cached_property
    def export_archives(self) -> bool:
        return may_export_archives(self.user)

    @cached_property
    def verify_archives(self) -> bool:
        return may_verify_archives(self.user)

    @cached_property
    def retry_archive(self) -> bool:
        return may_retry_archive(self.user)

    @cached_property
    def manage_people(self) -> bool:
        return may_manage_people(self.user)

    @cached_property
    def load_ar_data(self) -> bool:
        return may_load_ar_data(self.user)

    @cached_property
    def configure_ratings(self) -> bool:
        return may_configure_ratings(self.user)

    @cached_property
    def open_closing_reviews(self) -> bool:
        return may_open_closing_reviews(self.user)

    @cached_property
    def calibrate(self) -> bool:
        return may_calibrate(self.user)

    @cached_property
    def see_closing_dashboard(self) -> bool:
        return may_see_closing_dashboard(self.user)

    @cached_property
    def change_reminder_settings(self) -> bool:
        return may_change_reminder_settings(self.user)

    @cached_property
    def use_admin(self) -> bool:
        return may_use_admin(self.user)

    @cached_property
    def see_full_ssn(self) -> bool:
        return may_see_full_ssn(self.user)

    @cached_property
    def hr(self) -> bool:
        """Shown beside the signed-in name ("· HR")."""
        return is_hr(self.user)
