"""Forms of the workflow's library tools: applying a goal set to many employees (the library
search the goal editor shares with the set editor is goalsapp.library_forms)."""

from django import forms

from goalsapp.models import Employee, ReviewPeriod
from goalsapp.selectors import AUDIENCES, audience_values

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
