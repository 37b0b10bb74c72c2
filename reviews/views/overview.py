"""The workflow overview for HR: sheets in each state per period, and which are overdue on whom.
It lives in reviews because "overdue" and "on whom" are the workflow table's to say."""

import re

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from goalsapp.access import may_see_workflow_overview
from goalsapp.models import ReviewPeriod, SheetState
from goalsapp.views.common import csv_response, forbidden, wants_csv

from .. import selectors
from ..closing_states import ClosingState

STATE_COLOURS = {"drafting": "#6c757d", "employee_review": "#0d6efd",
                 "supervisor_signature": "#6f42c1", "employee_signature": "#a370f7",
                 "hr_review": "#fd7e14", "signed": "#198754",
                 # The closing review, once a sheet has one (docs/closing.md)
                 "closing_self_assessment": "#20c997", "closing_supervisor_assessment": "#0dcaf0",
                 "closing_calibration": "#ffc107", "closing_supervisor_signature": "#d63384",
                 "closing_employee_signature": "#e685b5", "closing_hr_review": "#dc3545",
                 "closed": "#146c43"}


@login_required
def workflow_overview(request):
    if not may_see_workflow_overview(request.user):
        return forbidden(request, "The workflow overview is for Human Resources.")
    today = timezone.localdate()
    period_id = request.GET.get("period", "")
    period_id = period_id if re.fullmatch(r"[0-9]{1,18}", period_id) else None
    counts = selectors.sheet_counts_by_period(request.user, period_id=period_id)
    overdue, overdue_total = selectors.overdue_sheets(request.user, today=today,
                                                      period_id=period_id)
    # The closing review's states follow the sheet's: a signed sheet whose closing is open
    # counts in its closing state.
    states = [*SheetState, *ClosingState]
    grid: dict[int, dict] = {}
    for row in counts:
        entry = grid.setdefault(row["period_id"], {"name": row["period__name"],
                                                   "counts": dict.fromkeys(states, 0)})
        entry["counts"][row["stage"]] = row["sheets"]
    table = [(entry["name"], [entry["counts"][s] for s in states], sum(entry["counts"].values()))
             for entry in grid.values()]
    if wants_csv(request):
        return csv_response("workflow-overview.csv", ["period", *[s.label for s in states],
                                                      "total"],
                            [[name, *cells, total] for name, cells, total in table])
    chart = {
        "type": "bar",
        "data": {"labels": [name for name, _cells, _total in table],
                 "datasets": [{"label": state.label, "data": [cells[i] for _n, cells, _t in table],
                               "backgroundColor": STATE_COLOURS[state.value]}
                              for i, state in enumerate(states)]},
        "options": {"indexAxis": "y", "scales": {"x": {"stacked": True, "beginAtZero": True},
                                                 "y": {"stacked": True}}},
    }
    return render(request, "reviews/workflow_overview.html", {
        "table": table, "states": states, "overdue": overdue, "overdue_total": overdue_total,
        "periods": ReviewPeriod.objects.order_by("-starts_on"), "selected_period": period_id,
        "chart": chart, "today": today, "tab": "workflow"})
