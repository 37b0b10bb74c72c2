"""The people sync's pages: upload the HRIS export, see what it changes, apply it."""

import secrets

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render

from goalsapp.access import may_manage_people
from goalsapp.uploads import limit_upload
from goalsapp.views.common import forbidden

from . import sync

NOT_HR = "Keeping people in step with the HR system is for Human Resources and administrators."
SESSION_KEY = "people_sync_uploads"


class UploadForm(forms.Form):
    file = forms.FileField(label="The HRIS export (CSV)")

    def clean_file(self):
        # The size measured while receiving (limit_upload stops a larger one at the limit).
        upload = self.cleaned_data["file"]
        if upload.size > sync.MAX_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {sync.MAX_BYTES // (1024 * 1024)} MB.")
        return upload


def _uploads(request) -> dict:
    return request.session.setdefault(SESSION_KEY, {})


@login_required
@limit_upload(lambda: sync.MAX_BYTES)
def people_sync(request):
    if not may_manage_people(request.user):
        return forbidden(request, NOT_HR)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        raw = form.cleaned_data["file"].read()
        try:
            sync.read(raw)
        except sync.SyncProblem as problem:
            form.add_error("file", str(problem))
        else:
            token = secrets.token_urlsafe(12)
            # The file waits in the session (the database), re-read and re-checked on apply.
            request.session[SESSION_KEY] = {token: raw.decode("utf-8-sig")}
            return redirect("people_sync_preview", token=token)
    return render(request, "people_sync/upload.html", {"form": form, "columns": sync.COLUMNS})


@login_required
def people_sync_preview(request, token):
    if not may_manage_people(request.user):
        return forbidden(request, NOT_HR)
    text = _uploads(request).get(token)
    if text is None:
        return redirect("people_sync")
    if request.method == "POST":
        # Off unless ticked: only a full export may deactivate the people it leaves out.
        missing_have_left = request.POST.get("missing_have_left") == "on"
        result = sync.apply(sync.read(text.encode()), actor=request.user,
                            missing_have_left=missing_have_left)
        request.session.pop(SESSION_KEY, None)
        leavers = [row.number for row in result.of("leaver")]
        return render(request, "people_sync/applied.html", {
            "plan": result, "open_sheets": list(sync.open_sheets_of(leavers))})
    plan = sync.plan(sync.read(text.encode()))
    # What ticking "people missing from this file have left" would add: shown before applying.
    full = sync.plan(sync.read(text.encode()), missing_have_left=True)
    return render(request, "people_sync/preview.html", {
        "plan": plan, "token": token,
        "missing": [row for row in full.leavers if row.missing],
        "missing_errors": [row for row in full.errors if row.line not in
                           {other.line for other in plan.errors}]})


@login_required
def people_sync_template(request):
    response = HttpResponse(sync.template_csv(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="people-template.csv"'
    return response
