"""Admin views of the review record. The employee's answers and HR's SMART checks change here
only where the workflow lets the user take the same step, through the same service; signatures
and events are read-only, because only the workflow's transitions write them. Sheets and goals
are in admin_sheets.py."""

from django import forms
from django.contrib import admin

import reviews.admin_sheets  # noqa: F401  (registers goal sheets and goals)
from goalsapp.access import may_use_admin

from . import services
from .admin_workflow import WorkflowAdmin, copy_errors
from .forms import AnswerForm, SmartCheckForm
from .models import (
    ESignatureConsent,
    GoalAnswer,
    RecordCorrection,
    ReviewEvent,
    Signature,
    SmartCheck,
)


class AnswerAdminForm(forms.ModelForm):
    class Meta:
        model = GoalAnswer
        fields = ("answer", "comment")

    def clean(self):
        cleaned = super().clean()
        site_form = AnswerForm(self.data)
        if not site_form.is_valid():
            copy_errors(site_form, self)
        return cleaned


@admin.register(GoalAnswer)
class GoalAnswerAdmin(WorkflowAdmin):
    """The employee's answer of the current round, while the sheet is with them; earlier
    rounds stay as they were, with the supervisor's replies (given in the editor)."""

    form = AnswerAdminForm
    list_display = ("goal", "round", "answer", "answered_by", "answered_at", "replied_at")
    list_filter = ("answer", "round")
    list_select_related = ("goal", "answered_by")
    search_fields = ("goal__text", "comment", "reply", "goal__sheet__employee_name")
    fields = ("goal", "round", "answer", "comment", "answered_by", "answered_at", "reply",
              "replied_by", "replied_at")

    def sheet_id_of(self, answer):
        return answer.goal.sheet_id

    def step_for(self, sheet):
        return "answer_goal"

    def row_refusal(self, answer, sheet):
        if answer.round != sheet.clarification_round:
            return (f"This answer is from round {answer.round}; only the answers of the "
                    f"current round ({sheet.clarification_round}) can change.")
        return None

    def get_readonly_fields(self, request, obj=None):
        return [name for name in self.fields if name not in AnswerAdminForm.Meta.fields]

    def save_model(self, request, answer, form, change):
        services.goal_answer(goal_id=answer.goal_id, actor=request.user,
                             answer=form.cleaned_data["answer"],
                             comment=form.cleaned_data["comment"])


class SmartCheckAdminForm(forms.ModelForm):
    class Meta:
        model = SmartCheck
        fields = (*SmartCheck.CRITERIA, "note")

    def clean(self):
        cleaned = super().clean()
        self.checklist = SmartCheckForm(self.data)
        if not self.checklist.is_valid():
            copy_errors(self.checklist, self)
        return cleaned


@admin.register(SmartCheck)
class SmartCheckAdmin(WorkflowAdmin):
    """HR's verdict on a goal, while the sheet is in HR review, by an HR member who may review
    it."""

    form = SmartCheckAdminForm
    list_display = ("goal", "specific", "measurable", "achievable", "relevant", "time_bound",
                    "checked_by", "checked_at")
    list_filter = ("specific", "measurable", "achievable", "relevant", "time_bound")
    list_select_related = ("goal", "checked_by")
    search_fields = ("goal__text", "note")
    fields = ("goal", *SmartCheck.CRITERIA, "note", "checked_by", "checked_at")

    def sheet_id_of(self, check):
        return check.goal.sheet_id

    def step_for(self, sheet):
        return "smart_check"

    def get_readonly_fields(self, request, obj=None):
        return ("goal", "checked_by", "checked_at")

    def save_model(self, request, check, form, change):
        services.goal_smart_check(goal_id=check.goal_id, actor=request.user,
                                  verdicts=form.checklist.verdicts(),
                                  note=form.checklist.cleaned_data["note"])


# Signatures and events ---------------------------------------------------------------------------


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ("sheet", "role", "typed_name", "signed_at", "content_hash", "voided_at",
                    "authenticated_at", "ip_address")
    list_filter = ("role", ("voided_at", admin.EmptyFieldListFilter))
    list_select_related = ("sheet__period",)
    search_fields = ("typed_name", "sheet__employee_name", "content_hash")


@admin.register(ReviewEvent)
class ReviewEventAdmin(ReadOnlyAdmin):
    list_display = ("sheet", "action", "from_state", "to_state", "actor", "at")
    list_filter = ("action", "to_state")
    list_select_related = ("sheet__period", "actor")
    search_fields = ("sheet__employee_name", "note", "actor__username")
    date_hierarchy = "at"


class AuditAdmin(ReadOnlyAdmin):
    """Evidence every administrator may read (the access policy's may_use_admin, as the admin
    site itself asks), and nobody may write."""

    def has_view_permission(self, request, obj=None):
        return may_use_admin(request.user)

    def has_module_permission(self, request):
        return may_use_admin(request.user)


@admin.register(ESignatureConsent)
class ESignatureConsentAdmin(AuditAdmin):
    """Who consented to sign electronically, to which text, when and from where."""

    list_display = ("user", "given_at", "withdrawn_at", "ip_address", "text_sha256")
    list_filter = (("withdrawn_at", admin.EmptyFieldListFilter),)
    search_fields = ("user__username", "user__first_name", "user__last_name", "ip_address")
    date_hierarchy = "given_at"


@admin.register(RecordCorrection)
class RecordCorrectionAdmin(AuditAdmin):
    """The legal corrections made to signed records below Goalpost: each row is written by the
    database's own trigger (reviews/migrations/0007), so nobody adds, changes or removes one
    here."""

    list_display = ("at", "db_user", "table_name", "operation", "reason")
    list_filter = ("table_name", "operation")
    search_fields = ("reason", "db_user")
    date_hierarchy = "at"
    readonly_fields = ("at", "db_user", "reason", "table_name", "operation", "row_before",
                       "row_after")
