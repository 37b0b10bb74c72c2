"""Forms for the goal library search, goal sets and applying a goal set to many employees."""

from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory

from goalsapp.models import (
    GOAL_TEXT_MAX,
    Competency,
    Employee,
    GoalSet,
    GoalSetItem,
    JobTitle,
    ReviewPeriod,
)
from goalsapp.rules import MISSING, weights_error
from goalsapp.selectors import AUDIENCES, audience_values

from .forms import NUMBER_MESSAGE

ANY = [("", "Any")]


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label="Search", required=False, max_length=200,
                        widget=forms.TextInput(attrs={"placeholder": "Words in the goal…",
                                                      "type": "search"}),
                        error_messages={"max_length": "Keep the search under 200 characters."})
    competency = forms.ModelChoiceField(
        queryset=Competency.objects.filter(is_active=True), required=False, empty_label="Any",
        error_messages={"invalid_choice": "Choose a competency from the list."})
    title = forms.ChoiceField(label="Suits title", required=False,
                              error_messages={"invalid_choice": "Choose a title from the list."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        names = JobTitle.objects.filter(is_active=True).values_list("name", flat=True)
        self.fields["title"].choices = ANY + [(name, name) for name in names]


# Goal sets --------------------------------------------------------------------------------------

class GoalSetForm(forms.ModelForm):
    class Meta:
        model = GoalSet
        fields = ("name",)
        error_messages = {"name": {"required": "Name the goal set.",
                                   "max_length": "Keep the name under 100 characters."}}


DECIMAL = forms.TextInput(attrs={"inputmode": "decimal"})


class GoalSetItemForm(forms.ModelForm):
    class Meta:
        model = GoalSetItem
        fields = ("competency", "text", "measure_kind", "target", "unit", "direction",
                  "baseline", "weight", "due_rule", "due_days")
        labels = {"text": "Goal", "measure_kind": "Measure", "due_rule": "Due",
                  "due_days": "Days after start"}
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "target": DECIMAL,
                   "baseline": DECIMAL}
        error_messages = {
            "competency": {"required": MISSING["competency"]},
            "text": {"required": MISSING["text"],
                     "max_length": f"Keep the goal under {GOAL_TEXT_MAX:,} characters."},
            "target": {"required": MISSING["target"], "invalid": NUMBER_MESSAGE,
                       "max_digits": "That target is too large.",
                       "max_decimal_places": "Use at most 2 decimals."},
            "baseline": {"invalid": NUMBER_MESSAGE},
            "weight": {"invalid": "Enter a whole number from 1 to 100."},
            "due_days": {"invalid": "Enter a whole number of days."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = Competency.objects.filter(is_active=True)
        self.fields["competency"].empty_label = "Choose a competency…"

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("due_rule") == GoalSetItem.DueRule.AFTER_START
                and cleaned.get("due_days") is None and "due_days" not in self.errors):
            self.add_error("due_days", "Say how many days after the period starts it is due.")
        return cleaned


class BaseItemFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if not kept:
            raise forms.ValidationError("Add at least one goal to the set.")
        message = weights_error([f.cleaned_data.get("weight") for f in kept])
        if message:
            for form in kept:
                form.add_error("weight", message)
            raise forms.ValidationError(message)


GoalSetItemFormSet = inlineformset_factory(
    GoalSet, GoalSetItem, form=GoalSetItemForm, formset=BaseItemFormSet, extra=2,
    can_delete=True, max_num=50, validate_max=True)


class GoalSetApplyForm(forms.Form):
    period = forms.ModelChoiceField(queryset=ReviewPeriod.objects.filter(is_open=True),
                                    empty_label="Choose a period…",
                                    error_messages={"required": "Choose a review period.",
                                                    "invalid_choice": "Choose an open period."})
    audience = forms.ChoiceField(label="Apply to", choices=list(AUDIENCES.items()),
                                 widget=forms.RadioSelect, initial="direct",
                                 error_messages={"required": "Choose who gets the goals."})
    territory = forms.ChoiceField(label="Territory", required=False,
                                  error_messages={"invalid_choice": "Choose a territory from "
                                                                    "the list."})
    title = forms.ChoiceField(label="Job title", required=False,
                              error_messages={"invalid_choice": "Choose a title from the list."})
    tier = forms.ChoiceField(label="Performance tier", required=False,
                             choices=[("", "—")] + list(Employee.Tier.choices),
                             error_messages={"invalid_choice": "Choose a tier from the list."})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        values = audience_values(user)
        self.fields["territory"].choices = [("", "—")] + [(v, v) for v in values["territory"]]
        self.fields["title"].choices = [("", "—")] + [(v, v) for v in values["title"]]

    def clean(self):
        cleaned = super().clean()
        audience = cleaned.get("audience")
        if audience in ("territory", "title", "tier") and not cleaned.get(audience) \
                and audience not in self.errors:
            self.add_error(audience, f"Choose the {self.fields[audience].label.lower()}.")
        return cleaned

    @property
    def audience_value(self) -> str:
        audience = self.cleaned_data["audience"]
        return self.cleaned_data.get(audience, "") if audience in ("territory", "title", "tier") \
            else ""
