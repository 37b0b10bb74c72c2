"""The "AR data" pages: the loads so far, uploading an export, mapping its columns,
previewing it with every row's errors, and applying it. HR and administrators only
(`access.may_load_ar_data`)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from goalsapp.access import may_load_ar_data
from goalsapp.uploads import limit_upload
from goalsapp.views.common import forbidden

from . import services
from .columns import COLUMNS
from .forms import MappingForm, UploadForm
from .models import LedgerLoad, SourceSystem

NOT_HR = "Loading accounts-receivable data is for Human Resources and administrators."
ERRORS_SHOWN = 200


def _refuse(request):
    return forbidden(request, NOT_HR)


def _get_load(pk) -> LedgerLoad:
    load = LedgerLoad.objects.select_related("source_system", "loaded_by").filter(pk=pk).first()
    if load is None:
        raise Http404("No such load.")
    return load


@login_required
def ar_loads(request):
    if not may_load_ar_data(request.user):
        return _refuse(request)
    loads = LedgerLoad.objects.select_related("source_system", "loaded_by")
    page = Paginator(loads, 50).get_page(request.GET.get("page"))
    return render(request, "ar/loads.html", {"page": page})


@login_required
@limit_upload(lambda: settings.AR_UPLOAD_MAX_BYTES)
def ar_upload(request):
    if not may_load_ar_data(request.user):
        return _refuse(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        system = form.cleaned_data["source_system"] or SourceSystem.objects.get_or_create(
            name=form.cleaned_data["new_source_system"])[0]
        try:
            load = services.file_load_start(actor=request.user, source_system=system,
                                            kind=form.cleaned_data["kind"],
                                            upload=form.cleaned_data["file"])
        except services.CsvProblem as problem:
            form.add_error("file", str(problem))
        else:
            return redirect("ar_load_mapping", load_id=load.pk)
    return render(request, "ar/upload.html", {"form": form, "columns": COLUMNS})


@login_required
def ar_load_mapping(request, load_id):
    if not may_load_ar_data(request.user):
        return _refuse(request)
    load = _get_load(load_id)
    if load.applied_at or load.channel != LedgerLoad.Channel.FILE:
        return redirect("ar_load", load_id=load.pk)
    try:
        header = services.csv_of(load).header
    except services.CsvProblem as problem:
        return render(request, "ar/load.html", {"load": load, "file_problem": str(problem)})
    finally:
        load.file.close()
    form = MappingForm(request.POST or None, load=load, header=header)
    if request.method == "POST" and form.is_valid():
        services.file_load_map(load, form.mapping, header=header)
        return redirect("ar_load", load_id=load.pk)
    return render(request, "ar/mapping.html", {"load": load, "form": form, "header": header})


@login_required
def ar_load(request, load_id):
    """A load: its counts once applied; before that, the preview and the Apply button."""
    if not may_load_ar_data(request.user):
        return _refuse(request)
    load = _get_load(load_id)
    if load.applied_at is None and load.channel == LedgerLoad.Channel.FILE:
        if not load.column_mapping:
            return redirect("ar_load_mapping", load_id=load.pk)
        result = services.file_load_preview(load)
        labels = {column.name: column.label for column in COLUMNS[load.kind]}
        return render(request, "ar/load.html", {
            "load": load, "result": result, "file_problem": result.file_problem,
            "errors": [(error.line, labels.get(error.field, ""), error.message)
                       for error in result.errors[:ERRORS_SHOWN]]})
    return render(request, "ar/load.html", {"load": load})


@login_required
@require_POST
def ar_load_apply(request, load_id):
    if not may_load_ar_data(request.user):
        return _refuse(request)
    load = _get_load(load_id)
    if load.applied_at is None and load.channel == LedgerLoad.Channel.FILE \
            and load.column_mapping:
        try:
            services.file_load_apply(load)
        except services.LoadRefused:
            pass  # the load page shows the preview again, with the rows that are wrong
    return redirect("ar_load", load_id=load.pk)
