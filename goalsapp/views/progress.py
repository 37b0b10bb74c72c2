"""Recording actuals: a signed sheet's progress page, and the CSV bulk load with its preview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .. import services
from ..access import get_sheet_for_user, may_enter_progress, may_import_progress
from ..dashboards import person_board
from ..forms import ProgressEntryForm, ProgressUploadForm
from ..models import GoalSheet, ProgressImport
from ..progress_csv import COLUMNS, MAX_BYTES, CsvProblem, template_csv
from ..uploads import limit_upload
from .common import forbidden

NOT_AN_IMPORTER = ("Bulk loads are for Human Resources, administrators and supervisors (for "
                   "their own line); enter your own actuals on your sheet's progress page.")


@login_required
def sheet_progress(request, pk):
    sheet = get_sheet_for_user(request.user, pk)
    if not sheet.is_signed:
        messages.info(request, "Progress is recorded once the sheet is signed by everyone.")
        return redirect("sheet_detail", pk=sheet.pk)
    if not GoalSheet.objects.filter(pk=sheet.pk).in_force().exists():
        messages.info(request, services.REPLACED_VERSION)
        return redirect("sheet_detail", pk=sheet.pk)
    today = timezone.localdate()
    may_enter = may_enter_progress(request.user, sheet)
    form = None
    if may_enter:
        form = ProgressEntryForm(request.POST or None, goals=sheet.goals.order_by("position"),
                                 today=today, initial={"as_of": today if sheet.period.contains(
                                     today) else sheet.period.ends_on})
    if request.method == "POST":
        if not may_enter:
            return forbidden(request, "Only the employee and their supervisors enter progress "
                                      "on this sheet; you can read it.")
        if form.is_valid():
            try:
                outcome = services.progress_entry_add(
                    goal_id=form.cleaned_data["goal"].pk, actor=request.user,
                    as_of=form.cleaned_data["as_of"], actual=form.cleaned_data["actual"],
                    note=form.cleaned_data["note"], today=today)
            except services.ProgressRefused as refusal:
                if refusal.forbidden:
                    return forbidden(request, str(refusal))
                for name, message in refusal.problems.items():
                    form.add_error(name or None, message)
            else:
                messages.success(request, {
                    "new": "Actual recorded.",
                    "update": "Actual updated: it replaces the one recorded for that date.",
                    "already recorded": "That actual was already recorded."}[outcome])
                return redirect("sheet_progress", pk=sheet.pk)
    board = person_board(sheet.employee, sheet.period, today)
    return render(request, "goalsapp/progress/sheet.html", {
        "sheet": sheet, "board": board, "form": form, "may_enter": may_enter})


@login_required
@limit_upload(MAX_BYTES)
def progress_import(request):
    if not may_import_progress(request.user):
        return forbidden(request, NOT_AN_IMPORTER)
    form = ProgressUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            stored, _preview = services.progress_import_upload(
                actor=request.user, file_name=upload.name, raw=upload.read())
        except CsvProblem as problem:
            form.add_error("file", str(problem))
        else:
            return redirect("progress_import_preview", token=stored.token)
    return render(request, "goalsapp/progress/import.html", {"form": form, "columns": COLUMNS})


def _own_upload(request, token) -> ProgressImport:
    # Someone else's upload is as unknown as a made-up token.
    return get_object_or_404(ProgressImport, token=token, uploaded_by=request.user)


@login_required
def progress_import_preview(request, token):
    if not may_import_progress(request.user):
        return forbidden(request, NOT_AN_IMPORTER)
    upload = _own_upload(request, token)
    try:
        preview = services.progress_import_preview(upload, request.user)
    except CsvProblem as problem:  # the scope or the periods changed meanwhile; still unreadable
        raise Http404(str(problem)) from problem
    return render(request, "goalsapp/progress/preview.html", {
        "upload": upload, "preview": preview,
        "new": preview.count("new"), "updates": preview.count("update"),
        "already": preview.count("already recorded")})


@login_required
@require_POST
def progress_import_confirm(request, token):
    if not may_import_progress(request.user):
        return forbidden(request, NOT_AN_IMPORTER)
    upload = _own_upload(request, token)
    counts = services.progress_import_confirm(token=upload.token, actor=request.user)
    messages.success(request, (
        f"Imported {counts['new']} new actual{'s' if counts['new'] != 1 else ''}, "
        f"updated {counts['update']}; {counts['already recorded']} already recorded; "
        f"{counts['skipped']} row{'s' if counts['skipped'] != 1 else ''} with errors skipped."))
    return redirect("progress_import")


@login_required
def progress_import_template(request):
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="goalpost-actuals-template.csv"'
    return response
