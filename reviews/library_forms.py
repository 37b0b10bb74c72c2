"""Forms of the workflow's library tools: the goal editor's library search, and applying a goal
set to many employees."""

from django import forms

from goalsapp.models import Competency, Employee, JobTitle, ReviewPeriod
from goalsapp.selectors import AUDIENCES, audience_values

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


# Applying a goal set (the sets themselves are goalsapp.goal_set_forms) -----------------------

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
