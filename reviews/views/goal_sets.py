"""Goal sets: list, create and edit them, and apply one to many employees (preview, then one
action). Who sees a set is goalsapp.selectors.goal_sets_visible_to; who gets goals is decided per
employee by reviews.bulk_assign through the workflow's require_may_start."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from goalsapp import services as goal_services
from goalsapp.access import goal_sets_visible_to, may_keep_goal_sets
from goalsapp.models import GoalSet
from goalsapp.selectors import employees_for_audience
from goalsapp.views.common import forbidden

from .. import bulk_assign
from ..library_forms import GoalSetApplyForm, GoalSetForm, GoalSetItemFormSet
from ..workflow import WorkflowError

NOT_ALLOWED = "Goal sets are kept by supervisors and Human Resources."


def _goal_set_for(user, set_id) -> GoalSet:
    goal_set = goal_sets_visible_to(user).filter(pk=set_id).first()
    if goal_set is None:
        raise Http404("No such goal set.")
    return goal_set


@login_required
def goal_set_list(request):
    if not may_keep_goal_sets(request.user):
        return forbidden(request, NOT_ALLOWED)
    sets = goal_sets_visible_to(request.user).prefetch_related("items")
    return render(request, "reviews/goal_sets/list.html", {"goal_sets": sets})


@login_required
def goal_set_edit(request, set_id=None):
    if not may_keep_goal_sets(request.user):
        return forbidden(request, NOT_ALLOWED)
    goal_set = _goal_set_for(request.user, set_id) if set_id else GoalSet()
    form = GoalSetForm(request.POST or None, instance=goal_set)
    formset = GoalSetItemFormSet(request.POST or None, instance=goal_set, prefix="items")
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            kept = [f.instance for f in formset.forms
                    if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            removed = [f.instance for f in formset.deleted_forms]
            saved = goal_services.goal_set_save(actor=request.user, goal_set=form.instance,
                                                items=kept, removed=removed)
            messages.success(request, f"Goal set “{saved.name}” saved.")
            return redirect("goal_set_apply", set_id=saved.pk)
        messages.error(request, "Nothing was saved: correct the fields marked below.")
    return render(request, "reviews/goal_sets/edit.html", {
        "goal_set": goal_set, "form": form, "formset": formset})


@login_required
def goal_set_apply(request, set_id):
    goal_set = _goal_set_for(request.user, set_id)
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
