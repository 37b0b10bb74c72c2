"""Starting an amendment: the next version of a signed sheet. A GET shows what will happen, the
POST starts it and opens the new version's goal editor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from goalsapp.access import get_sheet_for_user
from goalsapp.views.common import forbidden

from ..amendments import sheet_amend as amendment_start
from ..forms import AmendForm
from ..workflow import ActionForbidden, WorkflowError, action_named, actions_for
from .common import refusal, sheet_context


@login_required
def sheet_amend(request, pk):
    sheet = get_sheet_for_user(request.user, pk)
    if refused := refusal(request, sheet, "amend"):
        return refused
    form = AmendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            amendment = amendment_start(sheet_id=sheet.pk, actor=request.user,
                                        reason=form.cleaned_data["reason"])
        except ActionForbidden as error:
            return forbidden(request, str(error))
        except WorkflowError as error:
            messages.error(request, str(error))
            return redirect("sheet_detail", pk=sheet.pk)
        messages.success(request, f"Version {amendment.edition} started. Change the goals, "
                                  "then send them to the employee as for any sheet.")
        # The editor is the supervisor's; HR lands on the new version's page.
        drafts = any(a.name == "edit_goals" for a in actions_for(request.user, amendment))
        return redirect("sheet_edit" if drafts else "sheet_detail", pk=amendment.pk)
    return render(request, "reviews/amend.html", sheet_context(
        request, sheet, action=action_named("amend")[0], form=form))
