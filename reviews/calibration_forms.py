"""Forms of calibration: adjusting the rating that stands (a level and a reason), and HR's target
distribution (a share per level). Each rule is checked here next to its field; the services in
reviews/calibration.py check again."""

from django import forms

from goalsapp.models import LONG_TEXT_MAX

from .calibration import target_problems
from .closing_models import RatingLevel
from .forms import VersionForm


def level_name(level: RatingLevel) -> str:
    return f"{level.value} — {level.label}"


class AdjustRatingForm(VersionForm):
    level = forms.ModelChoiceField(
        queryset=RatingLevel.objects.none(), label="New rating",
        empty_label="Choose a rating",
        error_messages={"required": "Choose the rating that should stand.",
                        "invalid_choice": "Choose a rating on the current scale."})
    reason = forms.CharField(
        label="Reason (kept in the timeline)", max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why you adjust the rating.",
                        "max_length": f"Keep the reason under {LONG_TEXT_MAX:,} characters."})

    def __init__(self, *args, levels, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        self.fields["level"].queryset = levels
        self.fields["level"].label_from_instance = level_name

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why you adjust the rating.")
        return reason

    def clean_level(self):
        level = self.cleaned_data["level"]
        if self.current is not None and level.pk == self.current.pk:
            raise forms.ValidationError(f"The rating is already {level_name(level)}; choose "
                                        "another level to adjust it.")
        return level


class TargetDistributionForm(forms.Form):
    """A whole percent per level of the active scale; every level empty means no target."""

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = list(levels)
        for level in self.levels:
            self.fields[f"level-{level.pk}"] = forms.IntegerField(
                label=f"{level_name(level)} (%)", required=False, min_value=0, max_value=100,
                error_messages={"invalid": "Enter a whole number of percent, such as 20.",
                                # Django formats these with their limit: % is written %%.
                                "min_value": "A share is between 0 and 100 %%.",
                                "max_value": "A share is between 0 and 100 %%."})

    def shares(self) -> dict[int, int | None]:
        return {level.pk: self.cleaned_data.get(f"level-{level.pk}") for level in self.levels}

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            for level_id, problem in target_problems(self.levels, self.shares()).items():
                self.add_error(f"level-{level_id}" if level_id else None, problem)
        return cleaned

    def rows(self):
        return [self[f"level-{level.pk}"] for level in self.levels]
