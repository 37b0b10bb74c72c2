"""Forms for keeping goal sets: a set's name, and its goals as an inline formset whose rules
(required fields, weights totalling 100) are goalsapp.rules', as in the goal editor."""

from django import forms
from django.db.models import Q
from django.forms import BaseInlineFormSet, inlineformset_factory

from .forms import NUMBER_MESSAGE, NumberInput
from .models import GOAL_TEXT_MAX, Competency, GoalSet, GoalSetItem, GoalTemplate
from .rules import MISSING, kpi_binding_errors, negative_value_error, weights_error


class GoalSetForm(forms.ModelForm):
    class Meta:
        model = GoalSet
        fields = ("name",)
        error_messages = {"name": {"required": "Name the goal set.",
                                   "max_length": "Keep the name under 100 characters."}}


DECIMAL = NumberInput()
LOST_ENTRY = ("This goal's library entry is no longer in the library: add the goal again from "
              "the library, or write it without.")


class GoalSetItemForm(forms.ModelForm):
    class Meta:
        model = GoalSetItem
        fields = ("template", "competency", "text", "measure_kind", "target", "unit",
                  "direction", "baseline", "weight", "due_rule", "due_days", "kpi", "kpi_scope")
        labels = {"text": "Goal", "measure_kind": "Measure", "due_rule": "Due",
                  "due_days": "Days after start"}
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "target": DECIMAL,
                   "baseline": DECIMAL, "template": forms.HiddenInput}
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
            "template": {"invalid_choice": LOST_ENTRY},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = Competency.objects.filter(is_active=True)
        self.fields["competency"].empty_label = "Choose a competency…"
        # The library link: an active goal of the library (never guidance), or the entry the
        # saved goal already names even if it has been retired since.
        self.fields["template"].queryset = GoalTemplate.objects.filter(
            Q(is_active=True, is_guidance=False) | Q(pk=self.instance.template_id))

    def has_changed(self):
        # The scope's preselected "this collector" alone is no goal typed in: an untouched
        # empty row stays empty (and "Add at least one goal" is said).
        return any(name != "kpi_scope" for name in self.changed_data)

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("due_rule") == GoalSetItem.DueRule.AFTER_START
                and cleaned.get("due_days") is None and "due_days" not in self.errors):
            self.add_error("due_days", "Say how many days after the period starts it is due.")
        for name in ("target", "baseline"):
            message = negative_value_error(cleaned.get("measure_kind"), cleaned.get(name))
            if message and name not in self.errors:
                self.add_error(name, message)
        errors = kpi_binding_errors(kpi=cleaned.get("kpi", ""),
                                    kpi_scope=cleaned.get("kpi_scope", ""),
                                    measure_kind=cleaned.get("measure_kind"),
                                    direction=cleaned.get("direction"))
        for name, message in errors.items():
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned


MAX_ITEMS = 50
LOST_ROW = "This goal lost its link to the saved set: reload the page and make the change again."


class BaseItemFormSet(BaseInlineFormSet):
    # A forged items-TOTAL_FORMS is capped at MAX_ITEMS (absolute_max), never built beyond it.
    default_error_messages = {
        **BaseInlineFormSet.default_error_messages,
        "too_many_forms": f"A goal set holds at most {MAX_ITEMS} goals: remove some and save "
                          "again.",
    }

    def clean(self):
        super().clean()
        # A row the page sent as saved but without its id would be stored as a second copy.
        for form in self.initial_forms:
            if form.instance.pk is None and not self._should_delete_form(form):
                form.add_error(None, LOST_ROW)
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


# One empty row to start with; "Add a goal" and the library add more in place.
GoalSetItemFormSet = inlineformset_factory(
    GoalSet, GoalSetItem, form=GoalSetItemForm, formset=BaseItemFormSet, extra=1,
    can_delete=True, max_num=MAX_ITEMS, absolute_max=MAX_ITEMS, validate_max=True)


def new_item_form(index: int, initial: dict | None = None) -> GoalSetItemForm:
    """Row `index` of a set's goals, as "Add a goal" or the library appends it to the page."""
    formset = GoalSetItemFormSet(instance=GoalSet(), prefix=ITEMS_PREFIX)
    form = formset.form(prefix=formset.add_prefix(index), empty_permitted=True,
                        use_required_attribute=False, initial=initial,
                        renderer=formset.renderer)
    formset.add_fields(form, index)  # the set's key and the row's id, as every row carries
    return form


ITEMS_PREFIX = "items"
