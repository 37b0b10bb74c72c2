"""Keeping goal sets: list them, create and edit one. Applying a set to many employees starts or
extends their sheets, which is the workflow's business (reviews.views.goal_sets)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .. import services
from ..access import get_goal_set_for_user, goal_sets_visible_to, may_keep_goal_sets
from ..goal_set_forms import GoalSetForm, GoalSetItemFormSet
from ..models import GoalSet
from .common import forbidden

NOT_ALLOWED = "Goal sets are kept by supervisors and Human Resources."


@login_required
def goal_set_list(request):
    if not may_keep_goal_sets(request.user):
        return forbidden(request, NOT_ALLOWED)
    sets = goal_sets_visible_to(request.user).prefetch_related("items")
    return render(request, "goalsapp/goal_sets/list.html", {"goal_sets": sets})


@login_required
def goal_set_edit(request, set_id=None):
    if not may_keep_goal_sets(request.user):
        return forbidden(request, NOT_ALLOWED)
    goal_set = get_goal_set_for_user(request.user, set_id) if set_id else GoalSet()
    form = GoalSetForm(request.POST or None, instance=goal_set)
    formset = GoalSetItemFormSet(request.POST or None, instance=goal_set, prefix="items")
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            kept = [f.instance for f in formset.forms
                    if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            removed = [f.instance for f in formset.deleted_forms]
            saved = services.goal_set_save(actor=request.user, goal_set=form.instance,
                                           items=kept, removed=removed)
            messages.success(request, f"Goal set “{saved.name}” saved.")
            return redirect("goal_set_apply", set_id=saved.pk)
        messages.error(request, "Nothing was saved: correct the fields marked below.")
    return render(request, "goalsapp/goal_sets/edit.html", {
        "goal_set": goal_set, "form": form, "formset": formset})
