"""Forms for every page of the workflow. Field-level rules come from goalsapp.rules and
reviews.services, so a message lands next to the field it concerns; the services check again."""

from functools import cached_property

from crispy_forms.helper import FormHelper
from django import forms
from django.forms import BaseFormSet, formset_factory

from goalsapp.access import direct_reports
from goalsapp.forms import NUMBER_MESSAGE, NumberInput
from goalsapp.kpis import KPI_CHOICES, SCOPE_CHOICES, SCOPE_COLLECTOR
from goalsapp.models import (
    GOAL_TEXT_MAX,
    LONG_TEXT_MAX,
    Competency,
    Goal,
    GoalSheet,
    GoalTemplate,
    ReviewPeriod,
)
from goalsapp.rules import MISSING, goal_field_errors, weights_error
from goalsapp.services import GoalRow

from . import esign
from .amendments import REASON_REQUIRED, REASON_TOO_LONG, amendment_reason_problem
from .models import GoalAnswer, SmartCheck
from .services import name_matches


def _too_long(limit: int) -> str:
    return f"Keep this under {limit:,} characters."


class VersionForm(forms.Form):
    """Every form that changes a whole sheet carries the version the user saw."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


# The goal editor --------------------------------------------------------------------------------

class GoalForm(forms.Form):
    goal_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # Retired entries too: a goal picked before its entry was retired keeps its link.
    template = forms.ModelChoiceField(
        queryset=GoalTemplate.objects.all(), required=False, widget=forms.HiddenInput,
        error_messages={"invalid_choice": "That library entry does not exist: remove this goal "
                                          "and pick it from the library again."})
    competency = forms.ModelChoiceField(
        queryset=Competency.objects.filter(is_active=True), empty_label="Choose a competency…",
        error_messages={"required": MISSING["competency"]})
    text = forms.CharField(
        label="Goal", widget=forms.Textarea(attrs={"rows": 2}), max_length=GOAL_TEXT_MAX,
        error_messages={"required": MISSING["text"],
                        "max_length": f"Keep the goal under {GOAL_TEXT_MAX:,} characters."})
    measure_kind = forms.ChoiceField(label="Measure", choices=Goal.MeasureKind.choices,
                                     initial=Goal.MeasureKind.COUNT)
    # Text inputs, not type=number: the browser would silently drop "abc" or "1,5" and the user
    # would never learn why; the server says so next to the field and keeps what was typed.
    target = forms.DecimalField(max_digits=14, decimal_places=2,
                                widget=NumberInput(),
                                error_messages={"required": MISSING["target"],
                                                "invalid": NUMBER_MESSAGE,
                                                "max_digits": "That target is too large.",
                                                "max_decimal_places": "Use at most 2 decimals."})
    unit = forms.CharField(required=False, max_length=40,
                           widget=forms.TextInput(attrs={"placeholder": "calls, USD, days…"}))
    direction = forms.ChoiceField(choices=Goal.Direction.choices, initial=Goal.Direction.HIGHER)
    baseline = forms.DecimalField(max_digits=14, decimal_places=2, required=False,
                                  widget=NumberInput(),
                                  error_messages={"invalid": NUMBER_MESSAGE})
    due_on = forms.DateField(label="Due date", widget=forms.DateInput(attrs={"type": "date"}),
                             error_messages={"required": MISSING["due_on"],
                                             "invalid": "Enter a date, such as 2026-06-30."})
    weight = forms.IntegerField(required=False, min_value=1, max_value=100,
                                error_messages={"invalid": "Enter a whole number from 1 to 100."})
    # Bound to a KPI, the goal's actuals are computed from the AR ledger (docs/kpis.md).
    kpi = forms.ChoiceField(label="KPI", required=False,
                            choices=[("", "Not bound: actuals typed or imported"), *KPI_CHOICES],
                            error_messages={"invalid_choice": "Choose a KPI from the list."})
    kpi_scope = forms.ChoiceField(label="KPI measured on", required=False,
                                  choices=SCOPE_CHOICES, initial=SCOPE_COLLECTOR,
                                  error_messages={"invalid_choice": "Choose whose accounts."})
    reply = forms.CharField(label="Your reply to the employee", required=False,
                            widget=forms.Textarea(attrs={"rows": 2}), max_length=LONG_TEXT_MAX)

    def __init__(self, *args, period, flagged: dict, competency_choices=None, **kwargs):
        self.period = period
        self.flagged = flagged  # goal id → the employee's answer asking for clarification
        super().__init__(*args, **kwargs)
        if competency_choices is not None:  # the list every row of a formset shares
            self.fields["competency"].choices = competency_choices

    @cached_property
    def flagged_answer(self):
        goal_id = self["goal_id"].value()
        try:
            return self.flagged.get(int(goal_id)) if goal_id else None
        except (TypeError, ValueError):
            return None

    @cached_property
    def arrives_open(self) -> bool:
        """Whether the row is shown unfolded: it has errors, is new, or the employee asked
        about it (static/js/goal-editor.js folds the others on a phone)."""
        return bool(self.errors or not self["goal_id"].value() or self.flagged_answer)

    def clean(self):
        cleaned = super().clean()
        if self.cleaned_data.get("DELETE"):
            return cleaned
        errors = goal_field_errors(
            text=cleaned.get("text", ""), target=cleaned.get("target"),
            due_on=cleaned.get("due_on"), period=self.period,
            competency_id=cleaned["competency"].pk if cleaned.get("competency") else None,
            measure_kind=cleaned.get("measure_kind"), baseline=cleaned.get("baseline"),
            kpi=cleaned.get("kpi", ""), kpi_scope=cleaned.get("kpi_scope", ""),
            direction=cleaned.get("direction"))
        for name, message in errors.items():
            if name not in self.errors:  # keep the more specific message (e.g. not a number)
                self.add_error(name, message)
        if self.flagged_answer and not (cleaned.get("reply") or "").strip():
            self.add_error("reply", "Reply to the employee's request for clarification.")
        return cleaned

    def to_row(self) -> GoalRow:
        # A row marked for deletion keeps only the fields that were valid (Django drops the
        # rest), so nothing here may assume a field is present.
        c = self.cleaned_data
        return GoalRow(
            goal_id=c.get("goal_id"), competency=c.get("competency"), text=c.get("text", ""),
            measure_kind=c.get("measure_kind", Goal.MeasureKind.COUNT), target=c.get("target"),
            unit=c.get("unit", ""), direction=c.get("direction", Goal.Direction.HIGHER),
            baseline=c.get("baseline"), due_on=c.get("due_on"),
            weight=c.get("weight"), delete=bool(c.get("DELETE")),
            template_id=c["template"].pk if c.get("template") else None,
            kpi=c.get("kpi", ""), kpi_scope=c.get("kpi_scope", ""))


MAX_GOALS = 100


class BaseGoalFormSet(BaseFormSet):
    # A forged goals-TOTAL_FORMS is capped at MAX_GOALS (absolute_max), never built or rendered
    # beyond it, and the user is told why.
    default_error_messages = {
        **BaseFormSet.default_error_messages,
        "too_many_forms": f"A sheet holds at most {MAX_GOALS} goals: remove some and save again.",
    }

    def __init__(self, *args, period, flagged, **kwargs):
        self.period = period
        self.flagged = flagged
        super().__init__(*args, **kwargs)

    @cached_property
    def competencies(self) -> list[Competency]:
        """The active competencies, read once for all rows (and the library panel beside them)
        rather than once a row; validation still looks each chosen competency up. `.all()`: the
        field is the class's, shared by every request, and evaluating its own queryset would keep
        the first request's competencies for the life of the process."""
        return list(self.form.base_fields["competency"].queryset.all())

    @cached_property
    def competency_choices(self) -> list:
        field = self.form.base_fields["competency"]
        iterator = field.iterator(field)
        return [("", field.empty_label), *(iterator.choice(c) for c in self.competencies)]

    def get_form_kwargs(self, index):
        return {"period": self.period, "flagged": self.flagged,
                "competency_choices": self.competency_choices}

    def clean(self):
        if any(self.errors):
            return
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        message = weights_error([f.cleaned_data.get("weight") for f in kept])
        if message:
            for form in kept:
                form.add_error("weight", message)
            raise forms.ValidationError(message)

    def rows_in_order(self) -> list[GoalRow]:
        """Rows in the order the user arranged them (ORDER), deleted ones included."""
        def order_of(form):
            order = form.cleaned_data.get("ORDER")
            return (order is None, order or 0)
        forms_ = [f for f in self.forms if f.cleaned_data]
        return [f.to_row() for f in sorted(forms_, key=order_of)]

    def replies(self) -> dict[int, str]:
        """The supervisor's reply on each goal the employee flagged, as typed."""
        return {form.cleaned_data["goal_id"]: form.cleaned_data.get("reply", "")
                for form in self.forms
                if form.cleaned_data and form.cleaned_data.get("goal_id") in self.flagged}


GoalFormSet = formset_factory(GoalForm, formset=BaseGoalFormSet, extra=0, can_delete=True,
                              can_order=True, max_num=MAX_GOALS, absolute_max=MAX_GOALS,
                              validate_max=True)


def goal_initial(goal: Goal, flagged: dict) -> dict:
    answer = flagged.get(goal.pk)
    return {
        "goal_id": goal.pk, "template": goal.template_id, "competency": goal.competency_id,
        "text": goal.text,
        "measure_kind": goal.measure_kind, "target": goal.target, "unit": goal.unit,
        "direction": goal.direction, "baseline": goal.baseline, "due_on": goal.due_on,
        "weight": goal.weight, "kpi": goal.kpi, "kpi_scope": goal.kpi_scope,
        "ORDER": goal.position, "reply": answer.reply if answer else "",
    }


class SheetDraftForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = GoalSheet
        # Goals completed since the last feedback are the employee's to write (section 3).
        fields = ("estimated_total_time", "action_plans", "milestones", "additional_comments")
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in (
            "action_plans", "milestones", "additional_comments")}
        error_messages = {name: {"max_length": _too_long(LONG_TEXT_MAX)} for name in fields}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class EmployeeSectionForm(forms.ModelForm):
    """Section 3 of the paper form, written by the employee on the answers page."""

    class Meta:
        model = GoalSheet
        fields = ("goals_completed_since_last", "employee_comments")
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in fields}
        help_texts = {
            "goals_completed_since_last": "What you achieved since your last performance "
                                          "feedback. Optional.",
            "employee_comments": "Anything you want on the record about these goals. Optional.",
        }
        error_messages = {name: {"max_length": _too_long(LONG_TEXT_MAX)} for name in fields}


class SummaryForm(SheetDraftForm):
    """The summary is required before the supervisor signs."""

    class Meta(SheetDraftForm.Meta):
        fields = ("estimated_total_time", "action_plans", "milestones", "additional_comments")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("estimated_total_time", "action_plans", "milestones"):
            self.fields[name].required = True


# Employee answers and HR's SMART review ---------------------------------------------------------

class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=GoalAnswer.Answer.choices, widget=forms.RadioSelect,
        error_messages={"required": "Choose “Okay” or “Needs Clarification”."})
    comment = forms.CharField(required=False, max_length=LONG_TEXT_MAX,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              error_messages={"max_length": _too_long(LONG_TEXT_MAX)})

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("answer") == GoalAnswer.Answer.NEEDS_CLARIFICATION
                and not (cleaned.get("comment") or "").strip()):
            self.add_error("comment", "Say what needs clarification.")
        return cleaned


SMART_LABELS = {
    "specific": "Specific", "measurable": "Measurable", "achievable": "Achievable",
    "relevant": "Relevant", "time_bound": "Time-bound",
}


CHECKBOX = forms.CheckboxInput(attrs={"class": "form-check-input"})


class SmartCheckForm(forms.Form):
    specific = forms.BooleanField(required=False, widget=CHECKBOX)
    measurable = forms.BooleanField(required=False, widget=CHECKBOX)
    achievable = forms.BooleanField(required=False, widget=CHECKBOX)
    relevant = forms.BooleanField(required=False, widget=CHECKBOX)
    time_bound = forms.BooleanField(label="Time-bound", required=False, widget=CHECKBOX)
    note = forms.CharField(required=False, max_length=LONG_TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"max_length": _too_long(LONG_TEXT_MAX)})

    def clean(self):
        cleaned = super().clean()
        failed = [SMART_LABELS[n] for n in SmartCheck.CRITERIA if not cleaned.get(n)]
        if failed and not (cleaned.get("note") or "").strip():
            self.add_error("note", f"Say why the goal is not {', '.join(failed)}.")
        return cleaned

    def verdicts(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data.get(name)) for name in SmartCheck.CRITERIA}


# Transitions ------------------------------------------------------------------------------------

class ConfirmForm(VersionForm):
    note = forms.CharField(label="Note (optional)", required=False, max_length=LONG_TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(VersionForm):
    note = forms.CharField(label="What must the supervisor change?", max_length=LONG_TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "Write a note telling the supervisor "
                                                       "what to change."})


class AmendForm(forms.Form):
    """Starting the next version of a signed sheet: why the goals change."""

    reason = forms.CharField(
        label="Why do the goals change?", max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example: a territory was reassigned, or a target proved wrong. The "
                  "reason is part of the new version that everyone signs.",
        error_messages={"required": REASON_REQUIRED, "max_length": REASON_TOO_LONG})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_reason(self):
        reason = self.cleaned_data["reason"]
        if problem := amendment_reason_problem(reason):
            raise forms.ValidationError(problem)
        return reason


class SignForm(VersionForm):
    """The typed name, and what e-signature practice asks first (reviews/esign.py): the consent
    to sign electronically when none is on file, the password when the last sign-in is old."""

    consent = forms.BooleanField(
        label="I agree to sign electronically, as the text above says.",
        error_messages={"required": "Tick the box to agree to sign electronically, or ask "
                                    "Human Resources to sign on paper."})
    typed_name = forms.CharField(label="Type your full name to sign", max_length=150,
                                 error_messages={"required": "Type your full name to sign."})
    password = forms.CharField(
        label="Your password (to confirm it is you)", strip=False, max_length=1024,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password to confirm it is you.",
                        "max_length": "That password is not right. Enter the password you "
                                      "sign in to Goalpost with."})

    def __init__(self, *args, signer, request=None, ask_consent=False, ask_password=False,
                 **kwargs):
        self.signer = signer
        self.request = request
        super().__init__(*args, **kwargs)
        self.fields["typed_name"].widget.attrs["autocomplete"] = "off"
        if not ask_consent:
            del self.fields["consent"]
        if not ask_password:
            del self.fields["password"]
        else:  # last, next to the button, as the step that proves the signer is present
            self.fields["password"] = self.fields.pop("password")

    def clean_password(self):
        # A wrong password counts towards django-axes' lockout like a failed sign-in.
        password = self.cleaned_data["password"]
        if not esign.reauthenticate(self.request, password):
            raise forms.ValidationError(
                "That password is not right. Enter the password you sign in to Goalpost with.")
        return password

    def clean_typed_name(self):
        typed = self.cleaned_data["typed_name"]
        if not name_matches(typed, self.signer):
            raise forms.ValidationError(
                "The name does not match the signer's full name on record.")
        return typed


class EmployeeSignForm(SignForm):
    acknowledged = forms.BooleanField(
        label="I have read the acknowledgement above.",
        error_messages={"required": "Tick the acknowledgement to sign."})


# Starting a sheet -------------------------------------------------------------------------------

class StartSheetForm(forms.Form):
    employee = forms.ModelChoiceField(queryset=None, empty_label="Choose a team member…",
                                      error_messages={"required": "Choose a team member."})
    period = forms.ModelChoiceField(queryset=ReviewPeriod.objects.filter(is_open=True),
                                    empty_label=None,
                                    error_messages={"required": "Choose a review period."})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = direct_reports(user)
