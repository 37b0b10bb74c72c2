"""Calibration and the closing dashboards: the distribution of ratings per group against HR's
target, adjusting a rating with a reason (htmx in place, or a page of its own without script),
HR's target distribution, and final attainment and ratings per group with a CSV export. Who
sees which reviews is goalsapp.access's; who may adjust which is the workflow table's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import HttpResponseClientRedirect

from goalsapp import dashboards
from goalsapp.access import (
    dashboard_scope,
    may_calibrate,
    may_configure_ratings,
    may_see_closing_dashboard,
)
from goalsapp.attainment import GRADE_LABELS, GRADE_RULE, WEIGHTED_SCORE_RULE, Grade
from goalsapp.views.common import csv_response, forbidden, wants_csv

from .. import calibration
from ..calibration_forms import AdjustRatingForm, TargetDistributionForm
from ..calibration_selectors import (
    OFF_TARGET_POINTS,
    adjustable_ids,
    calibration_reviews,
    distributions,
    levels_of,
    targets_of,
)
from ..closing import active_levels
from ..closing_dashboards import GROUPINGS, closing_rows, csv_table, dashboard_reviews
from ..closing_figures import FINAL_ATTAINMENT_RULE, GROUPS, facts_of
from ..closing_models import RatingScale
from ..workflow import ActionForbidden, StaleVersion, WorkflowError, require
from .closing import _review_or_404


def _period(request):
    all_periods = dashboards.periods()
    return all_periods, dashboards.chosen_period(all_periods, request.GET.get("period"),
                                                 timezone.localdate())


def _chosen(request, parameter: str, options: dict) -> str:
    """The grouping asked for in the query string, if it is one of `options`; else teams."""
    wanted = request.GET.get(parameter)
    return wanted if wanted in options else "team"


def _adjust_form(review_id, rating, version, data=None) -> AdjustRatingForm:
    """The same form, named per review, on the calibration page's rows and on its own page."""
    return AdjustRatingForm(data, levels=active_levels(), current=rating,
                            prefix=f"review-{review_id}", initial={"version": version})


@login_required
def closing_calibration(request):
    """The period's proposed and standing ratings per group against the target distribution,
    and each review with its Adjust control where the user may adjust it now."""
    if not may_calibrate(request.user):
        return forbidden(request, "Calibration is for Human Resources and managers of a line.")
    all_periods, period = _period(request)
    grouping = _chosen(request, "group", GROUPS)
    levels = levels_of(RatingScale.active())
    targets = targets_of(levels)
    facts, adjustable = [], set()
    if period is not None:
        reviews = calibration_reviews(request.user, period)
        facts = facts_of(reviews)
        adjustable = adjustable_ids(request.user, reviews)
    rows = [(fact, _adjust_form(fact.review_id, fact.rating, fact.version)
             if fact.review_id in adjustable else None) for fact in facts]
    return render(request, "reviews/calibration.html", {
        "periods": all_periods, "period": period, "grouping": grouping,
        "groupings": list(GROUPS.items()), "group_heading": GROUPS[grouping],
        "levels": levels, "targets": targets, "off_target_points": OFF_TARGET_POINTS,
        "distributions": distributions(facts, levels, targets, grouping), "rows": rows,
        "in_calibration": len(adjustable), "back": request.get_full_path(),
        "weighted_score_rule": WEIGHTED_SCORE_RULE, "final_rule": FINAL_ATTAINMENT_RULE,
        "tab": "calibration"})


def _back(request, sheet) -> str:
    """Where to return after adjusting: the calibration page the form came from, else the
    sheet."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted.startswith(reverse("closing_calibration")) and url_has_allowed_host_and_scheme(
            wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return reverse("sheet_detail", args=[sheet.pk])


def _leave(request, url):
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@login_required
def closing_adjust_rating(request, pk):
    """Adjusts the rating that stands. From the calibration page with htmx the row's form posts
    here: success reloads the page's distribution and rows, a refusal answers with the row and
    its errors. Without script this is a page of its own."""
    sheet, review = _review_or_404(request, pk)
    back = _back(request, sheet)
    try:
        require(request.user, review, "adjust_rating")
    except ActionForbidden as error:
        return forbidden(request, str(error))
    except WorkflowError as error:
        messages.error(request, str(error))
        return _leave(request, back)
    form = _adjust_form(review.pk, review.rating, review.version,
                        request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        level = form.cleaned_data["level"]
        try:
            calibration.closing_adjust_rating(
                review_id=review.pk, actor=request.user, level_id=level.pk,
                reason=form.cleaned_data["reason"], version=form.cleaned_data["version"])
        except StaleVersion as error:
            messages.warning(request, str(error))
            return _leave(request, back)
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The rating of {sheet.employee_name} now stands at "
                                      f"{level.value} — {level.label}.")
            return _leave(request, back)
    if request.htmx and request.method == "POST":
        return render(request, "reviews/partials/calibration_adjust_form.html",
                      {"form": form, "sheet_id": sheet.pk, "back": back})
    return render(request, "reviews/calibration_adjust.html",
                  {"form": form, "review": review, "sheet": sheet, "back": back})


@login_required
def calibration_targets(request):
    """HR's target distribution: a share per level of the active scale, totalling 100."""
    if not may_configure_ratings(request.user):
        return forbidden(request, "The target distribution is set by Human Resources.")
    levels = levels_of(RatingScale.active())
    current = targets_of(levels) or {}
    form = TargetDistributionForm(
        request.POST or None, levels=levels,
        initial={f"level-{pk}": share for pk, share in current.items()})
    if request.method == "POST" and form.is_valid():
        try:
            calibration.calibration_targets_save(actor=request.user, shares=form.shares())
        except calibration.TargetsInvalid as refusal:
            for level_id, problem in refusal.errors.items():
                form.add_error(f"level-{level_id}" if level_id else None, problem)
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Target distribution saved." if any(
                share is not None for share in form.shares().values())
                else "The target distribution is cleared: no group is compared with one.")
            return redirect("closing_calibration")
    return render(request, "reviews/calibration_targets.html",
                  {"form": form, "levels": levels})


@login_required
def closing_dashboard(request):
    """Final attainment and the ratings that stand per collector, team, territory, title or
    tier, with the same table as CSV."""
    if not may_see_closing_dashboard(request.user):
        return forbidden(request, "Closing dashboards are for Human Resources and supervisors.")
    all_periods, period = _period(request)
    grouping = _chosen(request, "group_by", GROUPINGS)
    levels = levels_of(RatingScale.active())
    facts = facts_of(dashboard_reviews(request.user, period)) if period else []
    rows = closing_rows(facts, levels, grouping)
    heading = GROUPINGS[grouping]
    if wants_csv(request):
        header, table = csv_table(rows, levels, heading.lower())
        return csv_response(f"closing-{grouping}-{period.pk if period else 'none'}.csv", header,
                            table)
    return render(request, "reviews/closing_dashboard.html", {
        "periods": all_periods, "period": period, "group_by": grouping,
        "groupings": list(GROUPINGS.items()), "heading": heading, "rows": rows,
        "levels": levels, "grades": [(g.value, GRADE_LABELS[g]) for g in Grade],
        "everyone": dashboard_scope(request.user) is None, "grade_rule": GRADE_RULE,
        "final_rule": FINAL_ATTAINMENT_RULE, "tab": "closing"})
