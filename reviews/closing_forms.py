"""Forms of the closing review: the employee's self-assessment, the supervisor's assessment
(with grade overrides and the proposed rating), HR's release of many reviews, the rating scale.
Each rule a user can break is checked here next to its field; reviews.closing checks again."""

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import Q
from django.forms import BaseModelFormSet, modelformset_factory

from goalsapp.attainment import GRADE_LABELS, Grade
from goalsapp.models import LONG_TEXT_MAX

from .closing import Override
from .closing_models import ClosingReview, RatingLevel
from .forms import VersionForm


def _text(label: str, required: bool = False, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"max_length": f"Keep this under {LONG_TEXT_MAX:,} characters."})


class PerGoalForm(VersionForm):
    """A text per goal result (named by the goal's id) and an overall one."""

    per_goal_label = ""
    overall_label = ""

    def __init__(self, *args, results, **kwargs):
        super().__init__(*args, **kwargs)
        self.results = list(results)
        for result in self.results:
            self.fields[f"text-{result.goal_id}"] = _text(self.per_goal_label)
        self.fields["overall"] = _text(self.overall_label, rows=4)

    def texts(self) -> dict[int, str]:
        return {r.goal_id: self.cleaned_data.get(f"text-{r.goal_id}", "") for r in self.results}

    def rows(self):
        """Each result with its bound fields, for the template."""
        return [(result, self[f"text-{result.goal_id}"]) for result in self.results]


class SelfAssessmentForm(PerGoalForm):
    per_goal_label = "Your self-assessment of this goal"
    overall_label = "Your overall self-assessment"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the employee writes in this state: each save is their latest word.
        self.fields["version"].required = False


class AssessmentForm(PerGoalForm):
    per_goal_label = "Your assessment of this goal"
    overall_label = "Your overall assessment"

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        for result in self.results:
            computed = GRADE_LABELS[Grade(result.computed_grade)]
            self.fields[f"grade-{result.goal_id}"] = forms.ChoiceField(
                label="Grade", required=False,
                choices=[("", f"As the rule gives: {computed}"),
                         *[(g.value, GRADE_LABELS[g]) for g in Grade]],
                error_messages={"invalid_choice": "Choose achieved, partly achieved or not "
                                                  "achieved."})
            self.fields[f"reason-{result.goal_id}"] = _text(
                "Why you change the grade (kept with the review)", rows=2)
        self.fields["rating"] = forms.ModelChoiceField(
            queryset=levels, required=False, widget=forms.RadioSelect,
            label="Proposed overall rating", empty_label=None,
            error_messages={"invalid_choice": "Choose a rating on the current scale."})
        self.fields["rating"].label_from_instance = lambda level: f"{level.value} — {level.label}"

    def clean(self):
        cleaned = super().clean()
        for result in self.results:
            grade = cleaned.get(f"grade-{result.goal_id}") or ""
            reason = (cleaned.get(f"reason-{result.goal_id}") or "").strip()
            if grade and grade != result.computed_grade and not reason:
                self.add_error(f"reason-{result.goal_id}",
                               "Say why you change the grade the rule gives.")
        return cleaned

    def overrides(self):
        return {r.goal_id: Override(self.cleaned_data.get(f"grade-{r.goal_id}") or "",
                                    self.cleaned_data.get(f"reason-{r.goal_id}") or "")
                for r in self.results}

    def rows(self):
        return [(result, self[f"text-{result.goal_id}"], self[f"grade-{result.goal_id}"],
                 self[f"reason-{result.goal_id}"]) for result in self.results]


class ReleaseForm(forms.Form):
    """HR releases the reviews they tick from calibration to the signatures."""

    reviews = forms.ModelMultipleChoiceField(
        queryset=ClosingReview.objects.none(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one review to release.",
                        "invalid_choice": "One of the ticked reviews is no longer in "
                                          "calibration; reload the page.",
                        "invalid_pk_value": "Tick the reviews from the list."})

    def __init__(self, *args, reviews, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviews"].queryset = reviews


class RatingLevelForm(forms.ModelForm):
    class Meta:
        model = RatingLevel
        fields = ("value", "label", "description", "position")
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "value": {"required": "Give the level a number.",
                      "invalid": "Enter a whole number, such as 3."},
            "label": {"required": "Give the level a name, such as “Meets expectations”."},
        }


class BaseRatingLevelFormSet(BaseModelFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            value = form.cleaned_data.get("value")
            if value is None:
                continue
            if value in seen:
                form.add_error("value", "Two levels cannot share a number.")
            seen.add(value)
            if form.instance.pk and form.has_changed() and "value" in form.changed_data \
                    and _in_use(form.instance):
                form.add_error("value", "Reviews carry this level: its number stays; change "
                                        "its label or description instead.")
        # Errors on a form ticked for deletion are not shown: say it for the whole scale.
        in_use = [form.instance.label for form in self.deleted_forms
                  if form.instance.pk and _in_use(form.instance)]
        if in_use:
            raise forms.ValidationError(
                f"{', '.join(in_use)}: reviews carry "
                + ("this level, so it stays" if len(in_use) == 1 else
                   "these levels, so they stay")
                + " on the scale. Change the label or description instead.")
        if len(seen) < 2:
            raise forms.ValidationError("A rating scale needs at least two levels.")


def _in_use(level: RatingLevel) -> bool:
    return ClosingReview.objects.filter(Q(rating=level) | Q(proposed_rating=level)).exists()


RatingLevelFormSet = modelformset_factory(
    RatingLevel, form=RatingLevelForm, formset=BaseRatingLevelFormSet, extra=1, can_delete=True)


def formset_helper() -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    return helper
