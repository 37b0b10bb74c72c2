"""The dashboards: mine, a person's (drill-down), my team's and the department's. Each reads
its filters from the query string (bookmarkable), shows a chart beside a table of the same
numbers, and exports that table as CSV with the same filters and the same visibility."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from .. import dashboards
from ..access import (
    dashboard_scope,
    employee_of,
    get_employee_for_user,
    may_see_department,
    may_see_team,
)
from ..attainment import ATTAINMENT_RULE, STATUS_RULE, Status
from .common import csv_response, forbidden, wants_csv

STATUS_COLOURS = {Status.ACHIEVED: "#198754", Status.ON_TRACK: "#0d6efd",
                  Status.AT_RISK: "#fd7e14", Status.OFF_TRACK: "#dc3545",
                  Status.NO_DATA: "#adb5bd"}
STATUSES = list(Status)
PEOPLE_PER_PAGE = 50
BEHIND_NAMED = 20


def _pct(share: Decimal | None) -> float | None:
    """For the chart only: a share as a percentage with one decimal (the table shows exact)."""
    return None if share is None else float(round(share * 100, 1))


def _rules() -> dict:
    return {"status_rule": STATUS_RULE, "attainment_rule": ATTAINMENT_RULE,
            "statuses": [(s.value, s.label) for s in Status]}


def _period(request, today):
    all_periods = dashboards.periods()
    return all_periods, dashboards.chosen_period(all_periods, request.GET.get("period"), today)


# One person --------------------------------------------------------------------------------

def _person_page(request, employee, *, mine: bool):
    today = timezone.localdate()
    all_periods, period = _period(request, today)
    board = dashboards.person_board(employee, period, today) if period else None
    lines = board.lines if board else []
    if wants_csv(request):
        return csv_response(
            f"goals-{employee.employee_number}-{period.pk if period else 'none'}.csv",
            ["goal", "text", "target", "latest actual", "as of", "attainment", "status"],
            [[line.goal.position, line.goal.text, line.target_shown, line.actual_shown,
              line.progress.as_of or "", line.progress.percent, line.progress.status.label]
             for line in lines])
    # The chart opens on the first goal with actuals: an empty chart tells nobody anything.
    chosen = next((line for line in lines if str(line.goal.pk) == request.GET.get("goal")),
                  next((line for line in lines if line.entries), lines[0] if lines else None))
    attainment_chart = {
        "type": "bar",
        "data": {"labels": [f"Goal {line.goal.position}" for line in lines],
                 "datasets": [{"label": "Attainment (%)",
                               "data": [_pct(line.progress.attained) for line in lines],
                               "backgroundColor": [STATUS_COLOURS[line.progress.status]
                                                   for line in lines]}]},
        "options": {"scales": {"y": {"beginAtZero": True, "title": {"display": True,
                                                                     "text": "% of target"}}}},
    }
    over_time = None
    if chosen is not None:
        over_time = {
            "type": "line",
            "data": {"labels": [f"{e.as_of:%Y-%m-%d}" for e in chosen.entries],
                     "datasets": [
                         {"label": "Actual", "data": [float(e.actual) for e in chosen.entries],
                          "borderColor": "#0d6efd", "backgroundColor": "#0d6efd"},
                         {"label": "Target", "data": [float(chosen.goal.target)] * len(
                             chosen.entries), "borderColor": "#198754", "borderDash": [6, 4],
                          "pointRadius": 0}]},
            "options": {"scales": {"y": {"beginAtZero": False}}},
        }
    return render(request, "goalsapp/dashboards/person.html", {
        "employee": employee, "mine": mine, "board": board, "lines": lines, "chosen": chosen,
        "periods": all_periods, "period": period, "attainment_chart": attainment_chart,
        "over_time_chart": over_time,
        "over_time_caption": f"Actual versus target over time, goal {chosen.goal.position}"
        if chosen else "", "tab": "me" if mine else "team", **_rules()})


@login_required
def my_dashboard(request):
    me = employee_of(request.user)
    if me is None:
        return forbidden(request, "My dashboard shows an employee's own goals; your login has "
                                  "no employee record.")
    return _person_page(request, me, mine=True)


@login_required
def person_dashboard(request, employee_id):
    employee = get_employee_for_user(request.user, employee_id)
    if employee == employee_of(request.user):
        return redirect(f"{reverse('my_dashboard')}?{request.GET.urlencode()}")
    return _person_page(request, employee, mine=False)


# Groups: the team and the department ------------------------------------------------------

def _group_chart(rows, label: str) -> dict:
    return {
        "type": "bar",
        "data": {"labels": [row.label for row in rows],
                 "datasets": [{"label": label, "data": [_pct(row.attained) for row in rows],
                               "backgroundColor": "#0d6efd"}]},
        "options": {"indexAxis": "y", "scales": {"x": {"beginAtZero": True, "title": {
            "display": True, "text": "average attainment, % of target"}}}},
    }


def _group_csv(file_name: str, first: str, rows):
    return csv_response(file_name, [first, "people", "goals", "goals with actuals",
                                    "average attainment", *[s.label for s in STATUSES]],
                        [[row.label, row.people, row.goals, row.with_data, row.percent,
                          *[row.counts[s.value] for s in STATUSES]] for row in rows])


@login_required
def team_dashboard(request):
    if not may_see_team(request.user):
        return forbidden(request, "The team dashboard is for supervisors: you have no direct "
                                  "reports.")
    me = employee_of(request.user)
    today = timezone.localdate()
    all_periods, period = _period(request, today)
    whole_line = request.GET.get("scope") == "line"
    rows = (dashboards.team_rows(period, dashboard_scope(request.user), today=today,
                                 supervisor_id=None if whole_line else me.pk)
            if period else [])
    if wants_csv(request):
        return _group_csv(f"team-{period.pk if period else 'none'}.csv", "person", rows)
    # A whole line can be a thousand people: the page shows them a page at a time (the CSV all).
    page = Paginator(rows, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    behind = [row for row in rows if row.behind]
    return render(request, "goalsapp/dashboards/team.html", {
        "rows": shown, "page": page, "periods": all_periods, "period": period,
        "whole_line": whole_line, "behind": behind[:BEHIND_NAMED], "behind_total": len(behind),
        "chart": _group_chart(shown, "Average attainment (%)"), "tab": "team", **_rules()})


@login_required
def department_dashboard(request):
    if not may_see_department(request.user):
        return forbidden(request, "Department dashboards are for Human Resources and managers "
                                  "of a team.")
    today = timezone.localdate()
    all_periods, period = _period(request, today)
    scope = dashboard_scope(request.user)
    group_by = request.GET.get("group_by")
    group_by = group_by if group_by in dashboards.GROUPINGS else "territory"
    choices = dashboards.group_choices(scope)
    filters = {name: request.GET.get(name, "") for name in dashboards.GROUPINGS}
    filters = {name: value for name, value in filters.items()
               if value in {v for v, _ in choices[name]}}
    rows = (dashboards.department_rows(period, scope, group_by=group_by, filters=filters,
                                       today=today) if period else [])
    heading = dashboards.GROUPINGS[group_by][1]
    if wants_csv(request):
        return _group_csv(f"department-{group_by}-{period.pk if period else 'none'}.csv",
                          heading.lower(), rows)
    return render(request, "goalsapp/dashboards/department.html", {
        "rows": rows, "periods": all_periods, "period": period, "group_by": group_by,
        "groupings": [(key, label) for key, (_c, label) in dashboards.GROUPINGS.items()],
        "heading": heading, "chart_caption": f"Average attainment per {heading.lower()}",
        "choices": choices, "filters": filters,
        "everyone": scope is None, "chart": _group_chart(rows, "Average attainment (%)"),
        "tab": "department", **_rules()})


@login_required
def dashboards_home(request):
    return redirect("my_dashboard" if employee_of(request.user) else "department_dashboard")
