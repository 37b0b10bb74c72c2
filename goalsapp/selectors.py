"""Read queries for goals and people, starting with the one visibility policy.

Every list, detail, fragment, PDF and export asks these functions who may see what:
- an employee sees their own sheets;
- a supervisor also sees every sheet down their line (acting only on direct reports is the
  workflow's business, in reviews/workflow.py);
- HR (members of the "HR" group) and staff see every sheet.
"""

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from django.db.models import QuerySet
from django.http import Http404

from . import smart
from .defaults import HR_GROUP_NAME
from .models import Competency, Employee, Goal, GoalSet, GoalSheet, GoalTemplate, JobTitle

HR_GROUP = HR_GROUP_NAME


def is_hr(user) -> bool:
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_goalpost_is_hr"):
        user._goalpost_is_hr = user.groups.filter(name=HR_GROUP).exists()
    return user._goalpost_is_hr


def may_export_archives(user) -> bool:
    """Bulk exports of signed PDFs (every sheet the user may see) are for administrators."""
    return user.is_authenticated and user.is_staff


def sees_everything(user) -> bool:
    return user.is_authenticated and (user.is_staff or is_hr(user))


def may_verify_archives(user) -> bool:
    """Checking an uploaded PDF against the archive is for those who see every sheet."""
    return sees_everything(user)


def employee_of(user) -> Employee | None:
    if not user.is_authenticated:
        return None
    try:
        return user.employee
    except Employee.DoesNotExist:
        return None


def line_below(employee: Employee) -> set[int]:
    """Ids of everyone who reports to `employee`, directly or further down; one query a level."""
    below: set[int] = set()
    level = {employee.pk}
    while level:
        level = set(Employee.objects.filter(supervisor__in=level).values_list("pk", flat=True))
        level -= below | {employee.pk}  # a cycle in bad data must not loop forever
        below |= level
    return below


def employees_visible_to(user) -> QuerySet[Employee]:
    if sees_everything(user):
        return Employee.objects.all()
    me = employee_of(user)
    if me is None:
        return Employee.objects.none()
    return Employee.objects.filter(pk__in={me.pk} | line_below(me))


def sheets_visible_to(user) -> QuerySet[GoalSheet]:
    if sees_everything(user):
        return GoalSheet.objects.all()
    me = employee_of(user)
    if me is None:
        return GoalSheet.objects.none()
    return GoalSheet.objects.filter(employee_id__in={me.pk} | line_below(me))


def get_sheet_for_user(user, pk) -> GoalSheet:
    """The sheet, if `user` may see it; otherwise 404, so nothing leaks about its existence."""
    sheet = (
        sheets_visible_to(user)
        .select_related("employee__user", "employee__supervisor__user", "period")
        .filter(pk=pk)
        .first()
    )
    if sheet is None:
        raise Http404("No such goal sheet.")
    return sheet


def get_employee_for_user(user, pk) -> Employee:
    """The employee, if `user` may see their numbers; otherwise 404, as for sheets."""
    employee = employees_visible_to(user).filter(pk=pk).first()
    if employee is None:
        raise Http404("No such employee.")
    return employee


# Progress and dashboards: the same policy, applied to numbers ----------------------------------

def may_enter_progress(user, sheet: GoalSheet) -> bool:
    """The employee and anyone up their line enter actuals on a signed sheet; HR reads them."""
    me = employee_of(user)
    if sheet.locked_at is None or me is None:
        return False
    return sheet.employee_id == me.pk or sheet.employee_id in line_below(me)


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


def is_supervisor(user) -> bool:
    """Whether `user` has active direct reports: the team pages are theirs."""
    return direct_reports(user).exists()


def direct_reports(user) -> QuerySet[Employee]:
    me = employee_of(user)
    if me is None:
        return Employee.objects.none()
    return Employee.objects.filter(supervisor=me, is_active=True).select_related("user")


# Change history ---------------------------------------------------------------------------------

GOAL_FIELDS = {
    "competency_id": "competency", "text": "goal", "measure_kind": "measure", "target": "target",
    "unit": "unit", "direction": "direction", "baseline": "baseline", "due_on": "due date",
    "weight": "weight",
}
SHEET_FIELDS = {
    "goals_completed_since_last": "goals completed since last feedback",
    "estimated_total_time": "estimated total time", "action_plans": "action plans",
    "milestones": "milestones", "additional_comments": "additional comments",
}


@dataclass
class Change:
    at: datetime
    who: str
    subject: str  # "Goal 2" or "Sheet"
    what: str  # "added", "removed", or the field's name
    old: str = ""
    new: str = ""


def _shown(value, names: dict) -> str:
    return "—" if value in (None, "") else str(names.get(value, value))


def _diff(records, fields: dict, subject_of, names: dict[str, dict], since) -> list[Change]:
    """Field-by-field changes between consecutive history records of one object."""
    changes = []
    previous = None
    for record in records:
        who = getattr(record.history_user, "employee", None)
        who = who.full_name if who else (record.history_user or "the system")
        subject = subject_of(record)
        if record.history_date >= since:
            if record.history_type == "+":
                changes.append(Change(record.history_date, str(who), subject, "added"))
            elif record.history_type == "-":
                changes.append(Change(record.history_date, str(who), subject, "removed"))
            elif previous is not None:
                for field, label in fields.items():
                    old, new = getattr(previous, field), getattr(record, field)
                    if old != new:
                        shown = names.get(field, {})
                        changes.append(Change(record.history_date, str(who), subject, label,
                                              _shown(old, shown), _shown(new, shown)))
        previous = record
    return changes


def sheet_changes(sheet: GoalSheet, since) -> list[Change]:
    """What changed in the sheet's goals and text from `since` on (for instance since the
    employee first saw the goals), newest first, in three queries however long the history."""
    goal_history = (Goal.history.filter(sheet_id=sheet.pk)
                    .select_related("history_user__employee").order_by("id", "history_date"))
    sheet_history = (GoalSheet.history.filter(id=sheet.pk)
                     .select_related("history_user__employee").order_by("history_date"))
    names = {"competency_id": dict(Competency.objects.values_list("pk", "name")),
             "measure_kind": dict(Goal.MeasureKind.choices),
             "direction": dict(Goal.Direction.choices)}
    changes: list[Change] = []
    for _goal_id, records in groupby(goal_history, key=lambda record: record.id):
        records = list(records)
        first_text = records[0].text
        changes += _diff(records, GOAL_FIELDS, lambda r, t=first_text: f"Goal “{t[:60]}”",
                         names, since)
    changes += _diff(list(sheet_history), SHEET_FIELDS, lambda r: "Sheet", {}, since)
    return sorted(changes, key=lambda change: change.at, reverse=True)


# The goal library, goal sets and the SMART assistant -------------------------------------------

def title_competencies(title: str) -> frozenset[str] | None:
    """Names of the competencies listed for the job title `title`; None if no such title."""
    job = JobTitle.objects.filter(name=title).prefetch_related("competencies").first()
    if job is None:
        return None
    return frozenset(c.name for c in job.competencies.all())


_LOOK_UP = object()


def smart_hints(goal: Goal, sheet: GoalSheet, suited=_LOOK_UP) -> dict[str, smart.Hint]:
    """The assistant's hints for a saved goal; pass `suited` (title_competencies of the sheet's
    title) to spare the lookup."""
    if suited is _LOOK_UP:
        suited = title_competencies(sheet.title)
    return smart.check(
        text=goal.text, target=goal.target, unit=goal.unit, measure_kind=goal.measure_kind,
        baseline=goal.baseline, direction=goal.direction,
        competency=goal.competency.name if goal.competency_id else None,
        title=sheet.title, suited=suited, due_on=goal.due_on,
        starts_on=sheet.period.starts_on, ends_on=sheet.period.ends_on)


def library_search(*, text: str = "", competency_id=None, title: str = "") -> QuerySet:
    """Active library entries matching every given filter; the library is open to every
    signed-in user (it holds no one's data)."""
    entries = GoalTemplate.objects.filter(is_active=True).select_related("competency")
    for word in text.split()[:10]:
        entries = entries.filter(text__icontains=word)
    if competency_id:
        entries = entries.filter(competency_id=competency_id)
    if title:
        entries = entries.filter(titles__name=title)
    return entries.prefetch_related("titles").distinct()


def goal_sets_visible_to(user) -> QuerySet[GoalSet]:
    """HR and staff see every goal set; anyone else the sets they own."""
    if not user.is_authenticated:
        return GoalSet.objects.none()
    sets = GoalSet.objects.select_related("owner")
    return sets if sees_everything(user) else sets.filter(owner=user)


def may_keep_goal_sets(user) -> bool:
    """Supervisors and HR save goal sets."""
    return is_hr(user) or is_supervisor(user)


AUDIENCES = {
    "direct": "My direct reports",
    "line": "My whole line (everyone below me)",
    "territory": "A territory",
    "title": "A job title",
    "tier": "A performance tier",
}


def employees_for_audience(user, audience: str, value: str = "") -> QuerySet[Employee]:
    """The active employees of an audience, always inside employees_visible_to(user); whether
    the user may start each one's sheet is the workflow's question (require_may_start)."""
    me = employee_of(user)
    visible = employees_visible_to(user).filter(is_active=True).select_related(
        "supervisor", "user")
    if me is not None:
        visible = visible.exclude(pk=me.pk)
    match audience:
        case "direct":
            return visible.filter(supervisor=me) if me else visible.none()
        case "line":
            return visible.filter(pk__in=line_below(me)) if me else visible.none()
        case "territory":
            return visible.filter(territory=value)
        case "title":
            return visible.filter(title=value)
        case "tier":
            return visible.filter(performance_tier=value)
    return visible.none()


def audience_values(user) -> dict[str, list[str]]:
    """The territories and titles found among the employees `user` may see, for the filters."""
    visible = employees_visible_to(user).filter(is_active=True)
    return {
        "territory": sorted(set(visible.exclude(territory="").values_list("territory", flat=True))),
        "title": sorted(set(visible.exclude(title="").values_list("title", flat=True))),
    }
