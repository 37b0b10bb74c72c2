"""Read queries about goals and people: what changed on a sheet, the library, the SMART hints
of a saved goal, and the audiences of a goal set. Who may see what is goalsapp/access.py; every
read here that depends on the user starts from it."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from itertools import groupby

from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404

from . import smart
from .access import employee_of, employees_visible_to, line_below
from .compiled_queries import CompiledQuery
from .models import Competency, Employee, Goal, GoalSheet, GoalTemplate, JobTitle

# Change history ---------------------------------------------------------------------------------

GOAL_FIELDS = {
    "competency_id": "competency", "text": "goal", "measure_kind": "measure", "target": "target",
    "unit": "unit", "direction": "direction", "baseline": "baseline", "due_on": "due date",
    "weight": "weight",
}
SHEET_FIELDS = {
    "goals_completed_since_last": "goals completed since last feedback",
    "employee_comments": "employee comments",
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


def _diff(records, fields: dict, subject_of, names: dict, since) -> list[Change]:
    """Field-by-field changes between consecutive history records of one object; `names`: for
    a field whose values are keys or codes, a function giving their names."""
    changes = []
    previous = None
    for record in records:
        who = record.who if record.who is not None else "the system"
        subject = subject_of(record)
        if record.history_date >= since:
            if record.history_type == "+":
                changes.append(Change(record.history_date, who, subject, "added"))
            elif record.history_type == "-":
                changes.append(Change(record.history_date, who, subject, "removed"))
            elif previous is not None:
                for field, label in fields.items():
                    old, new = getattr(previous, field), getattr(record, field)
                    if old != new:
                        shown = names[field]() if field in names else {}
                        changes.append(Change(record.history_date, who, subject, label,
                                              _shown(old, shown), _shown(new, shown)))
        previous = record
    return changes


# Every sheet page reads its history; the SQL is built once per process (compiled_queries).
# A history row copies every column of its sheet or goal, and a sheet gets one at each step of
# the workflow: only the columns compared are read, with who made the change as a name (their
# employee record's, else their login's; none for the system) rather than as their account and
# employee record (the timestamps and objects cost more than the query took to run).
def _history(records):
    return records.annotate(who=Coalesce("history_user__employee__full_name",
                                         "history_user__username"))


_GOAL_HISTORY = CompiledQuery(lambda sheet_id: _history(Goal.history.filter(sheet_id=sheet_id))
                              .only("id", "text", *GOAL_FIELDS, "history_date", "history_type")
                              .order_by("id", "history_date"))
_SHEET_HISTORY = CompiledQuery(lambda sheet_id: _history(GoalSheet.history.filter(id=sheet_id))
                               .only("id", *SHEET_FIELDS, "history_date", "history_type")
                               .order_by("history_date"))


def sheet_changes(sheet: GoalSheet, since) -> list[Change]:
    """What changed in the sheet's goals and text from `since` on (for instance since the
    employee first saw the goals), newest first, in two queries however long the history (a
    third for the competencies' names, only when a goal changed competency)."""
    names = {"competency_id": cache(lambda: dict(Competency.objects.values_list("pk", "name"))),
             "measure_kind": lambda: dict(Goal.MeasureKind.choices),
             "direction": lambda: dict(Goal.Direction.choices)}
    changes: list[Change] = []
    for _goal_id, records in groupby(_GOAL_HISTORY(sheet_id=sheet.pk),
                                     key=lambda record: record.id):
        records = list(records)
        first_text = records[0].text
        changes += _diff(records, GOAL_FIELDS, lambda r, t=first_text: f"Goal “{t[:60]}”",
                         names, since)
    changes += _diff(_SHEET_HISTORY(sheet_id=sheet.pk), SHEET_FIELDS, lambda r: "Sheet", {},
                     since)
    return sorted(changes, key=lambda change: change.at, reverse=True)


# The goal library, goal sets and the SMART assistant -------------------------------------------

def title_competencies(title: str) -> frozenset[str] | None:
    """Names of the competencies listed for the job title `title`; None if no such title."""
    # One query: a row per listed competency, one row of None for a title listing none, and no
    # row for no such title.
    rows = list(JobTitle.objects.filter(name=title).values_list("competencies__name", flat=True))
    if not rows:
        return None
    return frozenset(name for name in rows if name is not None)


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


LIBRARY_SHOWN = 25  # entries a search shows at once; the rest are counted, not listed


def library_results(form) -> tuple[list[GoalTemplate], int]:
    """The first LIBRARY_SHOWN entries a valid LibrarySearchForm finds, and how many it finds;
    nothing for an invalid one (its errors show beside the fields)."""
    if not form.is_valid():
        return [], 0
    found = library_search(text=form.cleaned_data["q"],
                           competency_id=getattr(form.cleaned_data["competency"], "pk", None),
                           title=form.cleaned_data["title"])
    return list(found[:LIBRARY_SHOWN]), found.count()


def get_library_entry(entry_id: str, *, guidance: bool) -> GoalTemplate:
    """An active library entry by its id as a page sends it: a goal, or (guidance=True) a line
    of guidance; otherwise 404. Guidance is never asked for as a goal, nor a goal as guidance."""
    entry = (GoalTemplate.objects.filter(pk=entry_id, is_active=True,
                                         is_guidance=guidance).first()
             if str(entry_id).isdigit() else None)
    if entry is None:
        raise Http404("No such entry in the goal library.")
    return entry


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
