"""The goal library's search form, shared by the goal editor and the goal-set editor."""

from django import forms

from .models import Competency, JobTitle

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
