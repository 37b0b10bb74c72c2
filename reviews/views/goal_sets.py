"""Applying a goal set to many employees: a preview of who gets what, then one action. Keeping
the sets is goalsapp's (goalsapp.views.goal_sets); who gets goals is decided per employee by
reviews.bulk_assign through the workflow's own checks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from goalsapp.access import get_goal_set_for_user, may_keep_goal_sets
from goalsapp.selectors import employees_for_audience
from goalsapp.views.common import forbidden
from goalsapp.views.goal_sets import NOT_ALLOWED

from .. import bulk_assign
from ..library_forms import GoalSetApplyForm
from ..workflow import WorkflowError


@login_required
def goal_set_apply(request, set_id):
    goal_set = get_goal_set_for_user(request.user, set_id)
    if not may_keep_goal_sets(request.user):
        return forbidden(request, NOT_ALLOWED)
    form = GoalSetApplyForm(request.POST or None, user=request.user)
    plan = result = None
    if request.method == "POST" and form.is_valid():
        employees = employees_for_audience(request.user, form.cleaned_data["audience"],
                                           form.audience_value)
        arguments = {"actor": request.user, "goal_set": goal_set,
                     "period": form.cleaned_data["period"], "employees": employees}
        if "apply" in request.POST:
            try:
                result = bulk_assign.goal_set_apply(**arguments)
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, (
                    f"Goal set “{goal_set.name}” applied: {_count(result.new, 'new sheet')}, "
                    f"{_count(result.extended, 'draft')} extended, {len(result.skipped)} "
                    f"skipped, {len(result.failed)} failed."))
        else:
            plan = bulk_assign.goal_set_preview(**arguments)
    return render(request, "reviews/goal_sets/apply.html", {
        "goal_set": goal_set, "items": list(goal_set.items.select_related("competency")),
        "form": form, "plan": plan, "result": result, "shown": result or plan})


def _count(outcomes: list, noun: str) -> str:
    return f"{len(outcomes)} {noun}{'' if len(outcomes) == 1 else 's'}"
