"""List pages: the inbox (home), my sheets, my team, the HR queue."""

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from goalsapp.access import employee_of, may_see_hr_queue, may_see_team
from goalsapp.models import ReviewPeriod, SheetState
from goalsapp.pagination import OneQueryPaginator
from goalsapp.views.common import forbidden

from .. import selectors, services
from ..forms import StartSheetForm
from ..workflow import FIRST_STEP, ActionForbidden, WorkflowError

SHEETS_PER_PAGE = 50


@login_required
def inbox(request):
    waiting = [(sheet, FIRST_STEP[sheet.stage])
               for sheet in selectors.inbox_sheets(request.user)]
    return render(request, "reviews/inbox.html", {
        "waiting": waiting, "to_start": selectors.sheets_to_start(request.user)})


@login_required
def sheet_list(request):
    period_id = request.GET.get("period", "")
    period_id = int(period_id) if re.fullmatch(r"[0-9]{1,18}", period_id) else None
    state = request.GET.get("state") or None
    if state not in SheetState.values:
        state = None
    chosen = {"period_id": period_id, "state": state}
    page = OneQueryPaginator(
        selectors.sheets_listed_for(request.user, **chosen), SHEETS_PER_PAGE,
        first_page=lambda: selectors.first_sheets_listed_for(request.user, **chosen,
                                                             size=SHEETS_PER_PAGE),
    ).get_page(request.GET.get("page"))
    filters = urlencode({k: v for k, v in (("period", period_id), ("state", state))
                         if v is not None})
    return render(request, "reviews/sheet_list.html", {
        "sheets": page.object_list, "page": page, "filters": filters,
        "periods": ReviewPeriod.objects.all(), "states": SheetState.choices,
        "selected_period": "" if period_id is None else str(period_id),
        "selected_state": state,
    })


def _team_page(request, form):
    me = employee_of(request.user)
    periods = list(ReviewPeriod.objects.filter(is_open=True))
    period = next((p for p in periods if str(p.pk) == request.GET.get("period")),
                  periods[0] if periods else None)
    rows = selectors.team_overview(me, period) if (me and period) else []
    return render(request, "reviews/team.html", {
        "rows": rows, "period": period, "periods": periods, "form": form,
    })


NOT_A_SUPERVISOR = "This page is for supervisors: you have no direct reports."


@login_required
def team(request):
    if not may_see_team(request.user):
        return forbidden(request, NOT_A_SUPERVISOR)
    return _team_page(request, StartSheetForm(user=request.user))


@login_required
@require_POST
def sheet_start(request):
    if not may_see_team(request.user):
        return forbidden(request, NOT_A_SUPERVISOR)
    form = StartSheetForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            sheet = services.sheet_start(actor=request.user,
                                         employee=form.cleaned_data["employee"],
                                         period=form.cleaned_data["period"])
        except ActionForbidden as error:
            return forbidden(request, str(error))
        except WorkflowError as error:
            form.add_error("employee", str(error))
        else:
            messages.success(request, f"Started a goal sheet for {sheet.employee_name}.")
            return redirect("sheet_edit", pk=sheet.pk)
    return _team_page(request, form)


@login_required
def hr_queue(request):
    if not may_see_hr_queue(request.user):
        return forbidden(request, "The HR review queue is for members of Human Resources.")
    return render(request, "reviews/hr_queue.html", {"sheets": selectors.hr_queue(request.user)})
