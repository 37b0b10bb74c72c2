"""The closing review's pages: the employee's self-assessment, the supervisor's assessment, its
transitions and signatures, HR's closing page (open a period's closing, release reviews from
calibration) and the rating scale. Every action through workflow.require, as the sheet's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from goalsapp.access import (
    get_sheet_for_user,
    may_configure_ratings,
    may_open_closing_reviews,
)
from goalsapp.views.common import forbidden

from .. import closing
from ..closing_forms import (
    AssessmentForm,
    RatingLevelFormSet,
    ReleaseForm,
    SelfAssessmentForm,
    formset_helper,
)
from ..closing_models import RatingScale
from ..closing_selectors import (
    closing_of,
    periods_to_close,
    reviews_in_calibration,
)
from ..forms import ConfirmForm, EmployeeSignForm, ReturnForm, SignForm
from ..workflow import ActionForbidden, StaleVersion, WorkflowError
from .common import refusal, sheet_context
from .sheet import signing_with, transition_page, with_note


def _review_or_404(request, pk):
    """The sheet as the access policy lets the user see it, and its closing review."""
    sheet = get_sheet_for_user(request.user, pk)
    review = closing_of(sheet)
    if review is None:
        raise Http404("This sheet has no closing review yet.")
    return sheet, review


@login_required
def closing_self_assessment(request, pk):
    sheet, review = _review_or_404(request, pk)
    if refused := refusal(request, sheet, "self_assess", review):
        return refused
    results = review.results.select_related("goal").order_by("goal__position", "goal_id")
    initial = {"overall": review.self_assessment, "version": review.version,
               **{f"text-{r.goal_id}": r.self_assessment for r in results}}
    form = SelfAssessmentForm(request.POST or None, results=results, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            closing.closing_save_self_assessment(
                review_id=review.pk, actor=request.user, overall=form.cleaned_data["overall"],
                per_goal=form.texts())
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            if "submit" in request.POST:
                return redirect("closing_transition", pk=sheet.pk,
                                action="submit_self_assessment")
            messages.success(request, "Self-assessment saved.")
            return redirect("sheet_detail", pk=sheet.pk)
    return render(request, "reviews/closing_self_assessment.html",
                  sheet_context(request, sheet, form=form))


@login_required
def closing_assessment(request, pk):
    sheet, review = _review_or_404(request, pk)
    if refused := refusal(request, sheet, "assess", review):
        return refused
    results = review.results.select_related("goal").order_by("goal__position", "goal_id")
    initial = {"overall": review.supervisor_assessment, "version": review.version,
               "rating": review.proposed_rating_id}
    for result in results:
        initial[f"text-{result.goal_id}"] = result.supervisor_assessment
        initial[f"grade-{result.goal_id}"] = result.override_grade
        initial[f"reason-{result.goal_id}"] = result.override_reason
    form = AssessmentForm(request.POST or None, results=results, initial=initial,
                          levels=closing.active_levels())
    if request.method == "POST" and form.is_valid():
        rating = form.cleaned_data.get("rating")
        try:
            closing.closing_save_assessment(
                review_id=review.pk, actor=request.user, version=form.cleaned_data["version"],
                overall=form.cleaned_data["overall"], per_goal=form.texts(),
                proposed_rating_id=rating.pk if rating else None, overrides=form.overrides())
        except StaleVersion as error:
            messages.warning(request, str(error))
            return redirect("closing_assessment", pk=sheet.pk)
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            if "submit" in request.POST:
                return redirect("closing_transition", pk=sheet.pk, action="submit_assessment")
            messages.success(request, "Assessment saved.")
            return redirect("sheet_detail", pk=sheet.pk)
    return render(request, "reviews/closing_assessment.html",
                  sheet_context(request, sheet, form=form))


def _with_note(service):
    return with_note(service, "review_id")


_sign = signing_with(closing.closing_sign, "review_id")

# action name → (form class, how to call its service, what to tell the user afterwards)
TRANSITIONS = {
    "submit_self_assessment": (ConfirmForm, _with_note(closing.closing_submit_self_assessment),
                               "Your self-assessment went to your supervisor."),
    "submit_assessment": (ConfirmForm, _with_note(closing.closing_submit_assessment),
                          "Your assessment and proposed rating went to calibration."),
    "release_for_signatures": (ConfirmForm, _with_note(closing.closing_release_for_signatures),
                               "Released: the closing review now waits on the supervisor's "
                               "signature."),
    "sign_closing_supervisor": (SignForm, _sign,
                                "Signed. The closing review now waits on the employee."),
    "sign_closing_employee": (EmployeeSignForm, _sign,
                              "Signed. The closing review now goes to HR."),
    "sign_closing_hr": (SignForm, _sign, "Signed for HR. The closing review is final and "
                                         "locked."),
    "return_closing": (ReturnForm, _with_note(closing.closing_return),
                       "Returned to the supervisor; the closing signatures were voided."),
}


@login_required
def closing_transition(request, pk, action):
    sheet, review = _review_or_404(request, pk)
    return transition_page(request, sheet, review, action, TRANSITIONS, closing.StaleReview,
                           "reviews/closing_transition.html")


@login_required
@require_POST
def closing_open(request, pk):
    """HR opens one sheet's closing review early."""
    sheet = get_sheet_for_user(request.user, pk)
    try:
        closing.closing_open(sheet_id=sheet.pk, actor=request.user)
    except ActionForbidden as error:
        return forbidden(request, str(error))
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The closing review is open: the employee writes their "
                                  "self-assessment first.")
    return redirect("sheet_detail", pk=sheet.pk)


@login_required
def closing_hr(request):
    """HR's closing page: periods whose closing can be opened now, reviews in calibration to
    release for signatures (one or many)."""
    if not may_open_closing_reviews(request.user):
        return forbidden(request, "The closing page is for Human Resources.")
    calibrating = reviews_in_calibration(request.user)
    form = ReleaseForm(request.POST or None, reviews=calibrating)
    if request.method == "POST" and "period" in request.POST:
        period = next((row.period for row in periods_to_close()
                       if str(row.period.pk) == request.POST["period"]), None)
        if period is None:
            messages.error(request, "That period has no signed sheets to close.")
        else:
            opened = closing.closing_open_for_period(period=period, actor=request.user)
            messages.success(request, f"Opened {opened} closing review{'s' if opened != 1 else ''}"
                                      f" for {period}.")
        return redirect("closing_hr")
    if request.method == "POST" and form.is_valid():
        released, refusals = closing.closing_release_many(
            review_ids=[review.pk for review in form.cleaned_data["reviews"]],
            actor=request.user)
        if released:
            messages.success(request, f"Released {released} review{'s' if released != 1 else ''}"
                                      " for signatures.")
        for reason in refusals:
            messages.error(request, reason)
        return redirect("closing_hr")
    return render(request, "reviews/closing_hr.html",
                  {"periods": periods_to_close(), "form": form, "calibrating": calibrating})


@login_required
def rating_scale(request):
    """HR keeps the rating scale: each level's number, label, description and order."""
    if not may_configure_ratings(request.user):
        return forbidden(request, "The rating scale is kept by Human Resources.")
    scale = RatingScale.active()
    if scale is None:
        scale = RatingScale.objects.create(name="Performance rating")
    formset = RatingLevelFormSet(request.POST or None, queryset=scale.levels.all(),
                                 prefix="levels")
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            levels = formset.save(commit=False)
            for level in formset.deleted_objects:
                level.delete()
            for level in levels:
                level.scale = scale
                level.save()
        messages.success(request, "Rating scale saved.")
        return redirect("rating_scale")
    return render(request, "reviews/rating_scale.html",
                  {"scale": scale, "formset": formset, "helper": formset_helper()})
