"""Forms for recording actuals: one entry on a signed goal, and a CSV upload. The value rules come
from goalsapp.progress_csv.progress_problems, so the form and the bulk load say the same thing."""

from decimal import Decimal

from django import forms
from django.utils import timezone

from .progress_csv import MAX_BYTES as CSV_MAX_BYTES
from .progress_csv import progress_problems
from .templatetags.numbers import plain_number

NUMBER_MESSAGE = "Enter a number, such as 12 or 1500.50."


class NumberInput(forms.TextInput):
    """A text input for a decimal that shows a stored 60.00 as 60 (what was typed, as typed)."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, Decimal):
            return plain_number(value, grouped=False)
        return super().format_value(value)


class AmountField(forms.DecimalField):
    """A decimal that accepts the thousands separators people type: 1,234.50."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace(",", "").strip()
        return super().to_python(value)


class ProgressEntryForm(forms.Form):
    goal = forms.ModelChoiceField(
        queryset=None, empty_label="Choose a goal…",
        error_messages={"required": "Choose the goal this actual is for."})
    as_of = forms.DateField(label="As of", widget=forms.DateInput(attrs={"type": "date"}),
                            error_messages={"required": "Enter the date the actual is for.",
                                            "invalid": "Enter a date as YYYY-MM-DD."})
    # A text input, not type=number: "abc" reaches the server and gets its message here.
    actual = AmountField(max_digits=14, decimal_places=2,
                                widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                                error_messages={"required": "Enter the actual value.",
                                                "invalid": NUMBER_MESSAGE,
                                                "max_digits": "That number is too large.",
                                                "max_decimal_places": "Use at most 2 decimals.",
                                                "max_whole_digits": "That number is too large."})
    note = forms.CharField(
        required=False, max_length=500,
        widget=forms.TextInput(attrs={"placeholder": "Where the number comes from"}))

    def __init__(self, *args, goals, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["goal"].queryset = goals
        self.fields["goal"].label_from_instance = lambda goal: f"{goal.position}. {goal.text[:70]}"

    def clean(self):
        data = super().clean()
        if all(data.get(name) is not None for name in ("goal", "as_of", "actual")):
            for name, message in progress_problems(data["goal"], as_of=data["as_of"],
                                                   actual=data["actual"],
                                                   today=self.today).items():
                self.add_error(name, message)
        return data


class ProgressUploadForm(forms.Form):
    file = forms.FileField(label="CSV file", error_messages={
        "required": "Choose a CSV file to upload.", "empty": "The file is empty."})

    def clean_file(self):
        # The size Django measured while streaming the upload to disk: a file too large is
        # refused before a byte of it is read into memory.
        upload = self.cleaned_data["file"]
        if upload.size > CSV_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {CSV_MAX_BYTES // (1024 * 1024)} MB: split it and "
                "upload the parts one by one.")
        return upload
