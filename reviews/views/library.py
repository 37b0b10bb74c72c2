"""The goal library inside the goal editor: search and preview entries, and the SMART hints of
a row as the supervisor types (both htmx fragments of the editor)."""

import re

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from goalsapp.access import get_sheet_for_user
from goalsapp.library_forms import LibrarySearchForm
from goalsapp.models import JobTitle
from goalsapp.selectors import library_results, title_competencies

from ..editor_hints import competency_names, row_hints
from .common import refusal
from .steps import GOALS_PREFIX

ROW_PREFIX = re.compile(rf"^{GOALS_PREFIX}-\d{{1,2}}$")


@login_required
def library_panel(request, pk):
    """Library entries matching the search; the title filter defaults to the employee's."""
    sheet = get_sheet_for_user(request.user, pk)
    if refused := refusal(request, sheet, "edit_goals"):
        return refused
    data = request.GET.copy()
    if "library-title" not in data:
        # The employee's title when the library holds entries for it; otherwise every entry,
        # so an employee whose title no entry lists yet does not open on an empty library.
        suited = JobTitle.objects.filter(name=sheet.title, is_active=True,
                                         goal_templates__is_active=True).exists()
        data["library-title"] = sheet.title if suited else ""
    form = LibrarySearchForm(data, prefix="library")
    entries, total = library_results(form)
    return render(request, "reviews/partials/library_results.html", {
        "sheet": sheet, "form": form, "entries": entries, "total": total,
        "shown": len(entries)})


@login_required
def goal_hints(request, pk):
    """The SMART hints of one editor row, refreshed with htmx whenever a field changes."""
    from ..forms import GoalForm

    sheet = get_sheet_for_user(request.user, pk)
    if refused := refusal(request, sheet, "edit_goals"):
        return refused
    prefix = request.GET.get("row", f"{GOALS_PREFIX}-0")
    if not ROW_PREFIX.match(prefix):
        raise Http404("No such goal row.")
    form = GoalForm(request.GET, prefix=prefix, period=sheet.period, flagged={})
    return render(request, "reviews/partials/smart_hints.html", {
        "hints": row_hints(form, sheet, title_competencies(sheet.title), competency_names())})
