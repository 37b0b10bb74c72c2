"""Pages for work inside a state: the supervisor's goal editor and summary, the employee's
answers, HR's SMART checklist. Per-goal forms post with htmx and answer with their row."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from goalsapp.access import get_sheet_for_user
from goalsapp.models import Goal, JobTitle
from goalsapp.selectors import get_library_entry, smart_hints, title_competencies
from goalsapp.views.common import forbidden

from .. import continuity, services
from ..editor_hints import attach_hints
from ..forms import (
    SMART_LABELS,
    AnswerForm,
    EmployeeSectionForm,
    GoalForm,
    GoalFormSet,
    SheetDraftForm,
    SmartCheckForm,
    SummaryForm,
    goal_initial,
)
from ..selectors import flagged_answers, sheet_view
from ..workflow import ActionForbidden, StaleVersion, WorkflowError
from .common import refusal, sheet_context

GOALS_PREFIX = "goals"


# The goal editor --------------------------------------------------------------------------------

@login_required
def sheet_edit(request, pk):
    sheet = get_sheet_for_user(request.user, pk)
    if refused := refusal(request, sheet, "edit_goals"):
        return refused
    flagged = flagged_answers(sheet)
    formset_kwargs = {"prefix": GOALS_PREFIX, "period": sheet.period, "flagged": flagged}
    if request.method == "POST":
        sheet_form = SheetDraftForm(request.POST, instance=sheet)
        formset = GoalFormSet(request.POST, **formset_kwargs)
        if sheet_form.is_valid() and formset.is_valid():
            try:
                services.sheet_save_draft(
                    sheet_id=sheet.pk, actor=request.user,
                    version=sheet_form.cleaned_data["version"],
                    sheet_values=sheet_form.cleaned_data, rows=formset.rows_in_order(),
                    replies=formset.replies())
            except StaleVersion as error:
                messages.warning(request, str(error))
                return redirect("sheet_edit", pk=sheet.pk)
            except ActionForbidden as error:
                return forbidden(request, str(error))
            except WorkflowError as error:
                sheet_form.add_error(None, str(error))
            else:
                if "send" in request.POST:
                    return redirect("sheet_transition", pk=sheet.pk, action="send_to_employee")
                messages.success(request, "Goals saved.")
                return redirect("sheet_edit", pk=sheet.pk)
        messages.error(request, "Nothing was saved: correct the fields marked below.")
    view = sheet_view(sheet)  # the header's and the rows' goals, read once
    if request.method != "POST":
        sheet_form = SheetDraftForm(instance=sheet, initial={"version": sheet.version})
        formset = GoalFormSet(initial=[goal_initial(g.goal, flagged) for g in view.goals],
                              **formset_kwargs)
    # A row names an active competency or the one its saved goal already had (even retired).
    names = {str(c.pk): c.name for c in formset.competencies}
    names.update((str(v.goal.competency_id), v.goal.competency.name) for v in view.goals)
    attach_hints(formset.forms, sheet, names)
    return render(request, "reviews/sheet_edit.html", sheet_context(
        request, sheet, view, sheet_form=sheet_form, formset=formset,
        returned=view.pending_return, library_competencies=formset.competencies,
        library_titles=JobTitle.objects.filter(is_active=True).values_list("name", flat=True),
        carry_forward=continuity.carry_forward_candidates(sheet)))


@login_required
@require_POST
def sheet_carry_forward(request, pk):
    """Adds the ticked unfinished goals of the last closing review to the draft."""
    sheet = get_sheet_for_user(request.user, pk)
    if refused := refusal(request, sheet, "edit_goals"):
        return refused
    ids = [int(value) for value in request.POST.getlist("goals")
           if re.fullmatch(r"[0-9]{1,18}", value)]
    version = request.POST.get("version", "")
    try:
        added = services.sheet_carry_forward(
            sheet_id=sheet.pk, actor=request.user,
            version=int(version) if re.fullmatch(r"[0-9]{1,9}", version) else -1,
            goal_ids=ids)
    except StaleVersion as error:
        messages.warning(request, str(error))
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{len(added)} goal{'s' if len(added) != 1 else ''} carried "
                                  "forward: set each one's target and due date as you agree.")
    return redirect("sheet_edit", pk=sheet.pk)


def _library_initial(template_id: str, period) -> dict:
    """A new row prefilled from an active library goal, due at the period's end; the
    supervisor adds the target (where static/js/a11y.js puts the cursor). Guidance is never
    prefilled as a goal: it is not one."""
    template = get_library_entry(template_id, guidance=False)
    return {"template": template.pk, "competency": template.competency_id,
            "text": template.text, "measure_kind": template.measure_kind or Goal.MeasureKind.COUNT,
            "unit": template.unit, "direction": template.direction or Goal.Direction.HIGHER,
            "due_on": period.ends_on, "kpi": template.kpi, "kpi_scope": template.kpi_scope}


@login_required
def goal_row(request, pk):
    """A goal row for the editor (htmx), numbered after the rows already on the page: empty,
    or prefilled from the library entry named by `template`."""
    sheet = get_sheet_for_user(request.user, pk)
    if refused := refusal(request, sheet, "edit_goals"):
        return refused
    try:
        index = max(0, min(int(request.GET.get(f"{GOALS_PREFIX}-TOTAL_FORMS", "0")), 99))
    except ValueError:
        index = 0
    template_id = request.GET.get("template", "")
    initial = _library_initial(template_id, sheet.period) if template_id else None
    # Guidance gives an empty row under its competency with the advice beside it: the
    # supervisor writes the measurable goal the guidance asks for.
    guidance_id = request.GET.get("guidance", "")
    guidance = get_library_entry(guidance_id, guidance=True) if guidance_id else None
    if guidance is not None:
        initial = {"competency": guidance.competency_id, "due_on": sheet.period.ends_on}
    formset = GoalFormSet(prefix=GOALS_PREFIX, period=sheet.period, flagged={})
    form = GoalForm(prefix=formset.add_prefix(index), period=sheet.period, flagged={},
                    use_required_attribute=False, initial=initial)
    formset.add_fields(form, index)  # the ORDER and DELETE fields every row carries
    attach_hints([form], sheet)
    return render(request, "reviews/partials/goal_row.html", {
        "form": form, "sheet": sheet, "new_total": index + 1, "prefix": GOALS_PREFIX,
        "guidance": guidance})


# The summary ------------------------------------------------------------------------------------

@login_required
def sheet_summary(request, pk):
    sheet = get_sheet_for_user(request.user, pk)
    if refused := refusal(request, sheet, "edit_summary"):
        return refused
    form = SummaryForm(request.POST or None, instance=sheet,
                       initial={"version": sheet.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.sheet_save_summary(sheet_id=sheet.pk, actor=request.user,
                                        version=form.cleaned_data["version"],
                                        values=form.cleaned_data)
        except StaleVersion as error:
            messages.warning(request, str(error))
            return redirect("sheet_summary", pk=sheet.pk)
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            if "sign" in request.POST:
                return redirect("sheet_transition", pk=sheet.pk, action="sign_supervisor")
            messages.success(request, "Summary saved.")
            return redirect("sheet_detail", pk=sheet.pk)
    return render(request, "reviews/sheet_summary.html", sheet_context(request, sheet, form=form))


# The employee's answers -------------------------------------------------------------------------

def _answer_form(goal_view, data=None):
    answer = goal_view.current_answer
    initial = {"answer": answer.answer, "comment": answer.comment} if answer else {}
    return AnswerForm(data, prefix=f"goal-{goal_view.goal.pk}", initial=initial)


@dataclass(frozen=True)
class GoalRowStep:
    """One per-goal form posted row by row: how to build it, save it, and show it again."""

    action: str
    make_form: Callable
    save: Callable  # (goal_id, actor, form) → None; raises WorkflowError
    page: str
    page_template: str
    row_template: str
    saved_message: str  # after one row
    page_saved_message: str  # after the page's save
    next_action: str  # the button that saves the page and goes on to this transition
    # A form for the whole sheet on the same page (the employee's own section), and its save.
    make_sheet_form: Callable | None = None  # (sheet, data) → form
    save_sheet: Callable | None = None  # (sheet_id, actor, form) → None


def _goal_rows_page(request, pk, step: GoalRowStep):
    """The step's page: the sheet's header and one form per goal. A POST records every row the
    user filled in with one press, so a choice made on the page is never lost; a row with a
    mistake keeps what was typed and says why next to the field, and nothing is lost on the rest."""
    sheet = get_sheet_for_user(request.user, pk)
    if refused := refusal(request, sheet, step.action):
        return refused
    view = sheet_view(sheet)
    data = request.POST if request.method == "POST" else None
    rows = [(goal_view, step.make_form(goal_view, data)) for goal_view in view.goals]
    sheet_form = step.make_sheet_form(sheet, data) if step.make_sheet_form else None
    if data is not None:
        # Only rows the user changed are recorded: an untouched goal stays unanswered/unreviewed.
        filled = [(goal_view, form) for goal_view, form in rows if form.has_changed()]
        checked = [form.is_valid() for _, form in filled]  # every row, not up to the first bad
        if sheet_form is not None:
            checked.append(sheet_form.is_valid())
        if all(checked):
            try:
                if sheet_form is not None and sheet_form.has_changed():
                    step.save_sheet(sheet.pk, request.user, sheet_form)
                for goal_view, form in filled:
                    step.save(goal_view.goal.pk, request.user, form)
            except ActionForbidden as error:
                return forbidden(request, str(error))
            except WorkflowError as error:
                messages.error(request, str(error))
                return redirect(step.page, pk=sheet.pk)
            if step.next_action in request.POST:
                return redirect("sheet_transition", pk=sheet.pk, action=step.next_action)
            messages.success(request, step.page_saved_message)
            return redirect(step.page, pk=sheet.pk)
        messages.error(request, "Nothing was saved: correct the goals marked below.")
    return render(request, step.page_template, sheet_context(
        request, sheet, view=view, rows=rows, labels=SMART_LABELS, sheet_form=sheet_form))


def _goal_row_post(request, pk, goal_id, step: GoalRowStep):
    """Saves one goal's row. With htmx the answer is the row itself, errors included; without,
    a redirect to the step's page with a message."""
    sheet = get_sheet_for_user(request.user, pk)
    goal = get_object_or_404(sheet.goals, pk=goal_id)
    if refused := refusal(request, sheet, step.action):
        return refused

    def current_view():
        return next(v for v in sheet_view(sheet).goals if v.goal.pk == goal.pk)

    goal_view = current_view()
    form = step.make_form(goal_view, request.POST)
    saved = False
    if form.is_valid():
        try:
            step.save(goal.pk, request.user, form)
            saved = True
        except ActionForbidden as error:
            return forbidden(request, str(error))
        except WorkflowError as error:
            form.add_error(None, str(error))
    if not request.htmx:
        if saved:
            messages.success(request, step.saved_message)
        else:
            messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(step.page, pk=sheet.pk)
    if saved:
        goal_view = current_view()
        form = step.make_form(goal_view)
    return render(request, step.row_template, {
        "sheet": sheet, "goal_view": goal_view, "form": form, "saved": saved,
        "labels": SMART_LABELS})


ANSWER_STEP = GoalRowStep(
    action="answer_goal", make_form=_answer_form, page="sheet_answers",
    page_template="reviews/sheet_answers.html", row_template="reviews/partials/answer_row.html",
    saved_message="Answer saved.", page_saved_message="Answers saved.",
    next_action="submit_answers",
    save=lambda goal_id, actor, form: services.goal_answer(
        goal_id=goal_id, actor=actor, answer=form.cleaned_data["answer"],
        comment=form.cleaned_data["comment"]),
    make_sheet_form=lambda sheet, data: EmployeeSectionForm(data, instance=sheet,
                                                            prefix="employee"),
    save_sheet=lambda sheet_id, actor, form: services.sheet_save_employee_section(
        sheet_id=sheet_id, actor=actor, values=form.cleaned_data),
)


@login_required
@require_http_methods(["GET", "POST"])
def sheet_answers(request, pk):
    return _goal_rows_page(request, pk, ANSWER_STEP)


@login_required
@require_POST
def goal_answer(request, pk, goal_id):
    return _goal_row_post(request, pk, goal_id, ANSWER_STEP)


# HR's SMART review ------------------------------------------------------------------------------

def _smart_form(goal_view, data=None):
    """HR's checklist for one goal. HR ticks every box themselves: the assistant's hints sit
    beside the boxes and never tick them, and only HR's save records anything."""
    check = goal_view.smart_check
    goal = goal_view.goal
    sheet = goal.sheet
    if not hasattr(sheet, "_suited"):  # one title lookup for all the page's goals
        sheet._suited = title_competencies(sheet.title)
    hints = smart_hints(goal, sheet, suited=sheet._suited)
    initial = ({name: getattr(check, name) for name in SMART_LABELS} | {"note": check.note}
               if check else {})
    form = SmartCheckForm(data, prefix=f"goal-{goal.pk}", initial=initial)
    form.hinted_fields = [(form[name], hints[name]) for name in SMART_LABELS]
    return form


SMART_STEP = GoalRowStep(
    action="smart_check", make_form=_smart_form, page="sheet_smart",
    page_template="reviews/sheet_smart.html", row_template="reviews/partials/smart_row.html",
    saved_message="SMART review saved.", page_saved_message="SMART review saved.",
    next_action="sign_hr",
    save=lambda goal_id, actor, form: services.goal_smart_check(
        goal_id=goal_id, actor=actor, verdicts=form.verdicts(), note=form.cleaned_data["note"]),
)


@login_required
@require_http_methods(["GET", "POST"])
def sheet_smart(request, pk):
    return _goal_rows_page(request, pk, SMART_STEP)


@login_required
@require_POST
def goal_smart(request, pk, goal_id):
    return _goal_row_post(request, pk, goal_id, SMART_STEP)
