"""Forms of the archive pages: the bulk export's filters and the verification upload."""

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings

from goalsapp.access import employees_visible_to, sheets_visible_to
from goalsapp.models import Employee, ReviewPeriod

from .exports import ExportFilters

PDF_MAGIC = b"%PDF-"


def _no_tag_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    return helper


def _choices(values, everyone: str) -> list[tuple[str, str]]:
    return [("", everyone), *((value, value) for value in values if value)]


class ExportForm(forms.Form):
    period = forms.ModelChoiceField(
        queryset=ReviewPeriod.objects.all(), empty_label="Choose a review period…",
        error_messages={"required": "Choose the review period to export.",
                        "invalid_choice": "Choose one of the review periods listed."})
    territory = forms.ChoiceField(required=False, error_messages={
        "invalid_choice": "Choose one of the territories listed."})
    title = forms.ChoiceField(required=False, error_messages={
        "invalid_choice": "Choose one of the titles listed."})
    supervisor = forms.ModelChoiceField(
        queryset=Employee.objects.none(), required=False, label="Supervisor's team",
        empty_label="Every team",
        error_messages={"invalid_choice": "Choose one of the supervisors listed."})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        people = employees_visible_to(user)
        self.fields["territory"].choices = _choices(
            people.order_by("territory").values_list("territory", flat=True).distinct(),
            "Every territory")
        self.fields["title"].choices = _choices(
            sheets_visible_to(user).signed().order_by("title")
            .values_list("title", flat=True).distinct(), "Every title")
        self.fields["supervisor"].queryset = people.filter(reports__isnull=False).distinct()
        self.helper = _no_tag_helper()
        self.helper.disable_csrf = True  # the filters are a GET: a token would land in the URL

    def filters(self) -> ExportFilters:
        data = self.cleaned_data
        return ExportFilters(period_id=data["period"].pk, territory=data["territory"] or "",
                             title=data["title"] or "",
                             supervisor_id=data["supervisor"].pk if data["supervisor"] else None)


def default_export_period() -> ReviewPeriod | None:
    """The period the export opens on: the only open one, when there is exactly one."""
    open_periods = list(ReviewPeriod.objects.filter(is_open=True)[:2])
    return open_periods[0] if len(open_periods) == 1 else None


class VerifyForm(forms.Form):
    file = forms.FileField(
        label="PDF to check", error_messages={
            "required": "Choose a PDF file to check.",
            "empty": "This file is empty: choose the PDF to check.",
            "invalid": "No file was received; choose the PDF to check again."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = "application/pdf,.pdf"
        self.helper = _no_tag_helper()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.ARCHIVE_VERIFY_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"This file is larger than {limit // (1024 * 1024)} MB; no archived PDF is "
                "that large.")
        upload.seek(0)
        if upload.read(len(PDF_MAGIC)) != PDF_MAGIC:
            raise forms.ValidationError("This file is not a PDF: choose the PDF to check.")
        upload.seek(0)
        return upload
