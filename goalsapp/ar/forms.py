"""The AR data pages' forms: the upload (source system, kind of file, the file) and the
column mapping step (one choice of their columns per field of ours)."""

from django import forms
from django.conf import settings

from .columns import COLUMNS, suggested_mapping
from .models import LedgerLoad, SourceSystem
from .services import mapping_problems


class UploadForm(forms.Form):
    source_system = forms.ModelChoiceField(
        SourceSystem.objects.all(), required=False, empty_label="— a new source system —",
        label="Source system", help_text="The AR system the export comes from: its column "
        "mapping is remembered for the next file.")
    new_source_system = forms.CharField(
        max_length=100, required=False, label="New source system's name",
        help_text="Only when the system is not in the list, e.g. “Oracle AR (EU)”.")
    kind = forms.ChoiceField(choices=LedgerLoad.Kind.choices, label="What the file holds")
    file = forms.FileField(label="The export (CSV)")

    def clean_new_source_system(self):
        return " ".join(self.cleaned_data["new_source_system"].split())

    def clean_file(self):
        # The size measured while receiving (limit_upload stops a larger one at the limit).
        upload = self.cleaned_data["file"]
        limit = settings.AR_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"The file is larger than {limit // (1024 * 1024)} MB: "
                                        "split it, or load it through the API.")
        return upload

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("source_system") and not cleaned.get("new_source_system") \
                and "new_source_system" not in self.errors:
            self.add_error("new_source_system", "Choose the source system in the list, or "
                                                "name a new one here.")
        return cleaned


class MappingForm(forms.Form):
    """One field per column of ours; each offers the file's header cells."""

    def __init__(self, *args, load: LedgerLoad, header: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.load, self.header = load, header
        saved = load.column_mapping or (load.source_system.column_mappings.get(load.kind)
                                        if load.source_system else None)
        suggested = suggested_mapping(load.kind, header, saved if isinstance(saved, dict)
                                      else None)
        choices = [("", "— not in this file —"), *((cell, cell) for cell in header if cell)]
        for column in COLUMNS[load.kind]:
            self.fields[column.name] = forms.ChoiceField(
                choices=choices, required=False, initial=suggested.get(column.name, ""),
                label=column.label + ("" if column.required else " (optional)"))

    def clean(self):
        cleaned = super().clean()
        mapping = {name: value for name, value in cleaned.items() if value}
        for name, sentence in mapping_problems(self.load.kind, mapping, self.header).items():
            if name not in self.errors:
                self.add_error(name, sentence)
        return cleaned

    @property
    def mapping(self) -> dict[str, str]:
        return {name: value for name, value in self.cleaned_data.items() if value}
