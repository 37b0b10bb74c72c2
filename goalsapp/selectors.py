"""Read queries for goals and people, starting with the one visibility policy.

Every list, detail, fragment, PDF and export asks these functions who may see what:
- an employee sees their own sheets;
- a supervisor also sees every sheet down their line (acting only on direct reports is the
  workflow's business, in reviews/workflow.py);
- HR (members of the "HR" group) and staff see every sheet.
"""

from django.db.models import QuerySet
from django.http import Http404

from .models import Employee, GoalSheet

HR_GROUP = "HR"


def is_hr(user) -> bool:
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_goalpost_is_hr"):
        user._goalpost_is_hr = user.groups.filter(name=HR_GROUP).exists()
    return user._goalpost_is_hr


def sees_everything(user) -> bool:
    return user.is_authenticated and (user.is_staff or is_hr(user))


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


def direct_reports(user) -> QuerySet[Employee]:
    me = employee_of(user)
    if me is None:
        return Employee.objects.none()
    return Employee.objects.filter(supervisor=me, is_active=True).select_related("user")
