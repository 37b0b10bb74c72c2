"""Keeping goal sets: list them, create and edit one, with rows added in place and a library
picker. Applying a set to many employees starts or extends their sheets, which is the
workflow's business (reviews.views.goal_sets)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from .. import services
from ..access import get_goal_set_for_user, goal_sets_visible_to, may_keep_goal_sets
from ..goal_set_forms import ITEMS_PREFIX, MAX_ITEMS, GoalSetForm, GoalSetItemFormSet, new_item_form
from ..library_forms import LibrarySearchForm
from ..models import Competency, GoalSet, JobTitle
from ..selectors import get_library_entry, library_results
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
    formset = GoalSetItemFormSet(request.POST or None, instance=goal_set, prefix=ITEMS_PREFIX)
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
        "goal_set": goal_set, "form": form, "formset": formset,
        "library_competencies": Competency.objects.filter(is_active=True),
        "library_titles": JobTitle.objects.filter(is_active=True).values_list("name", flat=True)})


@login_required
@require_GET
def goal_set_item_row(request):
    """A new goal row for the set editor (htmx), numbered after the rows on the page: empty,
    prefilled from a library goal (keeping its link), or empty under a line of guidance with
    the guidance's advice beside it."""
    if not may_keep_goal_sets(request.user):
        return forbidden(request, NOT_ALLOWED)
    try:
        index = max(0, min(int(request.GET.get(f"{ITEMS_PREFIX}-TOTAL_FORMS", "0")),
                           MAX_ITEMS - 1))
    except ValueError:
        index = 0
    initial, guidance = None, None
    if template_id := request.GET.get("template", ""):
        entry = get_library_entry(template_id, guidance=False)
        initial = {"template": entry.pk, "competency": entry.competency_id, "text": entry.text,
                   "measure_kind": entry.measure_kind or "count", "unit": entry.unit,
                   "direction": entry.direction or "higher", "kpi": entry.kpi,
                   "kpi_scope": entry.kpi_scope}
    elif guidance_id := request.GET.get("guidance", ""):
        guidance = get_library_entry(guidance_id, guidance=True)
        initial = {"competency": guidance.competency_id}
    return render(request, "goalsapp/goal_sets/item_row.html", {
        "item": new_item_form(index, initial), "guidance": guidance, "new_total": index + 1,
        "prefix": ITEMS_PREFIX})


@login_required
@require_GET
def goal_set_library(request):
    """Library entries matching the set editor's search (htmx); every title by default."""
    if not may_keep_goal_sets(request.user):
        return forbidden(request, NOT_ALLOWED)
    form = LibrarySearchForm(request.GET, prefix="library")
    entries, total = library_results(form)
    return render(request, "goalsapp/partials/library_results.html", {
        "form": form, "entries": entries, "total": total, "shown": len(entries),
        "add_url": reverse("goal_set_item_row"), "add_label": "Add to set",
        "total_forms": f"#id_{ITEMS_PREFIX}-TOTAL_FORMS", "rows_target": "#set-items"})
