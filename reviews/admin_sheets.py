"""Admin pages for goal sheets and their goals. The draft and its goals change as in the goal
editor (while drafting, by the employee's supervisor), the summary as on the summary page (while
it waits for the supervisor's signature): checked by the same forms, saved by the same service,
so the version moves once and the history names the user. Elsewhere they are read-only and say
why. Sheets are never deleted here: the workflow has no such step."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import unquote
from django.db import transaction
from django.forms.models import BaseInlineFormSet

from goalsapp import services as goal_services
from goalsapp.models import Goal, GoalSheet, SheetLocked
from goalsapp.rules import weights_error

from . import services
from .admin_workflow import (
    SeenVersionMixin,
    WorkflowAdmin,
    copy_errors,
    fresh_sheet,
    may_take,
    sheet_step,
)
from .forms import GoalForm, GoalFormSet, SheetDraftForm, SummaryForm
from .integrity import ALTERED, signed_record_problems
from .selectors import flagged_answers
from .workflow import WorkflowError

SHEETS_STAY = ("A goal sheet is part of the review record and the workflow has no step that "
               "deletes one, so neither does the admin.")

GOAL_FIELDS = ("position", "competency", "text", "measure_kind", "target", "unit", "direction",
               "baseline", "due_on", "weight")


class GoalAdminForm(forms.ModelForm):
    """A goal as the admin shows it, with the reply the editor asks for on a flagged goal. The
    editor's own forms check what is posted (GoalInlineFormSet, SingleGoalAdminForm)."""

    reply = forms.CharField(label="Reply to the employee", required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = Goal
        fields = GOAL_FIELDS

    def __init__(self, *args, flagged=None, **kwargs):
        super().__init__(*args, **kwargs)
        if flagged is None:
            flagged = flagged_answers(self.instance.sheet) if self.instance.pk else {}
        self.flagged = flagged
        if "reply" in self.fields:
            answer = flagged.get(self.instance.pk)
            if answer is None:
                self.fields["reply"].disabled = True
                self.fields["reply"].help_text = "Only for a goal the employee asked to clarify."
            else:
                self.fields["reply"].initial = answer.reply

    def editor_data(self, data):
        """What the editor would post for this row, from what the admin posted."""
        data[self.add_prefix("goal_id")] = self.instance.pk or ""
        data[self.add_prefix("template")] = self.instance.template_id or ""
        data[self.add_prefix("ORDER")] = self.data.get(self.add_prefix("position"), "")
        return data


class GoalInlineFormSet(BaseInlineFormSet):
    """The sheet's goals in the admin, checked by the editor's own formset (field rules, a reply
    on each flagged goal, weights totalling 100) and saved from its rows."""

    editable = False  # set by GoalInline.get_formset: a read-only inline is not the editor

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.flagged = flagged_answers(self.instance) if self.instance.pk else {}
        self.editor = None

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "flagged": self.flagged}

    def clean(self):
        super().clean()
        if not self.editable:
            return
        data = self.data.copy()
        for form in self.forms:
            form.editor_data(data)
        self.editor = GoalFormSet(data, prefix=self.prefix, period=self.instance.period,
                                  flagged=self.flagged)
        if self.editor.is_valid():
            return
        for form, twin in zip(self.forms, self.editor.forms, strict=False):
            copy_errors(twin, form)
        if self.editor.non_form_errors():
            raise forms.ValidationError(list(self.editor.non_form_errors()))

    def change_message_rows(self) -> None:
        """What construct_change_message reads after formset.save(), which the service does
        instead."""
        deleted = [f for f in self.initial_forms if self._should_delete_form(f)]
        self.deleted_objects = [f.instance for f in deleted]
        self.new_objects = [f.instance for f in self.extra_forms
                            if f.has_changed() and not self._should_delete_form(f)]
        self.changed_objects = [(f.instance, f.changed_data) for f in self.initial_forms
                                if f.has_changed() and f not in deleted]


class GoalInline(admin.TabularInline):
    model = Goal
    form = GoalAdminForm
    formset = GoalInlineFormSet
    extra = 0
    readonly_fields = ("clarification",)

    def may_edit(self, request, sheet) -> bool:
        return sheet is not None and sheet.pk is not None and may_take(
            request.user, sheet.pk, "edit_goals")

    def get_fields(self, request, obj=None):
        if self.may_edit(request, obj):
            return (*GOAL_FIELDS, "clarification", "reply")
        return GOAL_FIELDS

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)  # a class made for this request
        formset.editable = self.may_edit(request, obj)
        return formset

    @admin.display(description="Employee's clarification")
    def clarification(self, goal):
        answer = flagged_answers(goal.sheet).get(goal.pk) if goal.pk else None
        return answer.comment if answer else "—"

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self.may_edit(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.may_edit(request, obj)


class SheetDraftAdminForm(SeenVersionMixin, SheetDraftForm):
    """The goal editor's sheet form, carrying the version as `seen_version` (the admin shows the
    stored `version` beside it)."""

    step = "edit_goals"
    version = None
    seen_version = forms.IntegerField(widget=forms.HiddenInput)


class SummaryAdminForm(SeenVersionMixin, SummaryForm):
    """The summary page's form."""

    step = "edit_summary"
    version = None
    seen_version = forms.IntegerField(widget=forms.HiddenInput)


SHEET_FORMS = {form.step: form for form in (SheetDraftAdminForm, SummaryAdminForm)}
HEADER_FIELDS = ("employee", "period", "employee_name", "employee_number", "title",
                 "work_location", "supervisor_name")
RECORD_FIELDS = ("state", "version", "clarification_round", "locked_at", "created_at",
                 "updated_at", "state_changed_at", "edition", "amends", "amendment_reason",
                 "amendment_started_by", "amendment_started_at")


@admin.register(GoalSheet)
class GoalSheetAdmin(WorkflowAdmin):
    """The header is a snapshot of the employee record taken by the workflow, so it is never
    edited here; the draft (with the goals) and the summary are, each in its own state."""

    list_display = ("employee_name", "period", "edition", "state", "title", "version",
                    "locked_at")
    list_filter = ("state", "period", "title")
    list_select_related = ("period",)
    search_fields = ("employee_name", "employee__employee_number", "supervisor_name")
    inlines = [GoalInline]
    actions = None

    def sheet_id_of(self, sheet):
        return sheet.pk

    def step_for(self, sheet):
        return sheet_step(sheet)

    def editable_form(self, request, obj):
        """The site's form for the step this user may take on the sheet now, or None."""
        if obj is None or not self.has_change_permission(request, obj):
            return None
        return SHEET_FORMS[sheet_step(fresh_sheet(obj.pk))]

    def get_fields(self, request, obj=None):
        editable = ["seen_version"] if self.editable_form(request, obj) else []
        return [*HEADER_FIELDS, *goal_services.EMPLOYEE_SECTION_FIELDS,
                *goal_services.DRAFT_SHEET_FIELDS, *RECORD_FIELDS, *editable]

    def get_readonly_fields(self, request, obj=None):
        form = self.editable_form(request, obj)
        editable = form._meta.fields if form else ()
        # Section 3 is always read-only here: the employee writes it on the answers page.
        return [name for name in (*HEADER_FIELDS, *goal_services.EMPLOYEE_SECTION_FIELDS,
                                  *goal_services.DRAFT_SHEET_FIELDS, *RECORD_FIELDS)
                if name not in editable]

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = self.editable_form(request, obj) or forms.ModelForm
        return super().get_form(request, obj, change, **kwargs)

    def save_model(self, request, obj, form, change):
        if self.reverting(request):  # no goals on that page; otherwise save_related saves
            self.save_through_workflow(request, form, None)

    def save_related(self, request, form, formsets, change):
        goals = next((f for f in formsets if isinstance(f, GoalInlineFormSet)), None)
        self.save_through_workflow(request, form, goals)

    def save_through_workflow(self, request, form, goals: GoalInlineFormSet | None) -> None:
        """One service call, as the editor or the summary page makes it."""
        sheet_id, version = form.instance.pk, form.cleaned_data["seen_version"]
        if form.step == "edit_summary":
            services.sheet_save_summary(sheet_id=sheet_id, actor=request.user, version=version,
                                        values=form.cleaned_data)
            return
        editor = goals.editor if goals is not None and goals.editor is not None else None
        services.sheet_save_draft(
            sheet_id=sheet_id, actor=request.user, version=version,
            sheet_values=form.cleaned_data, rows=editor.rows_in_order() if editor else [],
            replies=editor.replies() if editor else {})

    def construct_change_message(self, request, form, formsets, add=False):
        for formset in formsets:
            formset.change_message_rows()
        return super().construct_change_message(request, form, formsets, add)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        sheet = GoalSheet.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if sheet is not None and request.method == "GET":
            if problems := signed_record_problems(sheet):
                self.message_user(request, f"{ALTERED}: {' '.join(problems)}", messages.ERROR)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        return self.refuse(request, SHEETS_STAY, self.change_url(object_id))

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and request.POST.get("action") == "delete_selected":
            return self.refuse(request, SHEETS_STAY, request.get_full_path())
        return super().changelist_view(request, extra_context)


class SingleGoalAdminForm(SeenVersionMixin, GoalAdminForm):
    """One goal: the editor's GoalForm checks the row, the sheet's weights must still total
    100, and the sheet's version travels with it as in the editor."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput)

    def sheet_id(self):
        return self.instance.sheet_id

    def clean(self):
        cleaned = super().clean()
        goal = self.instance
        self.row = GoalForm(self.editor_data(self.data.copy()), period=goal.sheet.period,
                            flagged=self.flagged)
        if not self.row.is_valid():
            copy_errors(self.row, self)
            return cleaned
        others = goal.sheet.goals.exclude(pk=goal.pk).values_list("weight", flat=True)
        if message := weights_error([*others, cleaned.get("weight")]):
            self.add_error("weight", message)
        return cleaned


@admin.register(Goal)
class GoalAdmin(WorkflowAdmin):
    """A goal changes, or is removed, as one row of the goal editor: while drafting, by the
    employee's supervisor. New goals are added on their sheet's page."""

    form = SingleGoalAdminForm
    list_display = ("text", "sheet", "competency", "measure_kind", "target", "unit", "due_on")
    list_filter = ("competency", "measure_kind", "direction", "sheet__period")
    list_select_related = ("sheet__period", "competency")
    search_fields = ("text", "sheet__employee_name")
    actions = ["delete_selected"]

    def sheet_id_of(self, goal):
        return goal.sheet_id

    def step_for(self, sheet):
        return "edit_goals"

    def get_fields(self, request, obj=None):
        if obj is not None and self.has_change_permission(request, obj):
            return ("sheet", *GOAL_FIELDS, "clarification", "reply", "seen_version")
        return ("sheet", *GOAL_FIELDS)

    def get_readonly_fields(self, request, obj=None):
        return ("sheet", "clarification")

    @admin.display(description="Employee's clarification")
    def clarification(self, goal):
        answer = flagged_answers(goal.sheet).get(goal.pk)
        return answer.comment if answer else "—"

    def has_delete_permission(self, request, obj=None):
        return (super(WorkflowAdmin, self).has_delete_permission(request, obj)
                and self.refusal(request, obj) is None)

    def save_model(self, request, goal, form, change):
        row = form.row.to_row()
        replies = {goal.pk: form.row.cleaned_data["reply"]} if goal.pk in form.flagged else {}
        self.save_goals(request, goal.sheet_id, {goal.pk: (row, form.cleaned_data["position"])},
                        version=form.cleaned_data["seen_version"], replies=replies)

    def delete_model(self, request, goal):
        self.delete_queryset(request, Goal.objects.filter(pk=goal.pk))

    def delete_queryset(self, request, queryset):
        by_sheet: dict[int, dict] = {}
        for goal in queryset.select_related("competency"):
            by_sheet.setdefault(goal.sheet_id, {})[goal.pk] = (
                goal_services.GoalRow.of(goal, delete=True), goal.position)
        for sheet_id, rows in by_sheet.items():
            self.save_goals(request, sheet_id, rows)

    @staticmethod
    def save_goals(request, sheet_id, changed: dict, version=None, replies=None) -> None:
        """The editor's save with every goal of the sheet as a row, in order, `changed` ones
        (goal id → (row, position)) as given: one version, history rows named after the user.
        Deletions carry no version (the confirmation page has none): the lock is enough."""
        placed = []
        for goal in Goal.objects.filter(sheet_id=sheet_id).select_related("competency"):
            row, position = changed.get(goal.pk, (goal_services.GoalRow.of(goal), goal.position))
            # A goal given a position takes that place; the others keep their order around it.
            placed.append(((position or 0, goal.pk not in changed, goal.position), row))
        rows = [row for _, row in sorted(placed, key=lambda place: place[0])]
        current = GoalSheet.objects.values_list("version", flat=True).get(pk=sheet_id)
        services.sheet_save_draft(sheet_id=sheet_id, actor=request.user,
                                  version=current if version is None else version,
                                  sheet_values={}, rows=rows, replies=replies or {})

    def get_deleted_objects(self, objs, request):
        """A goal's answers and SMART check go with it, as when the editor removes it: the
        user's permission on those rows is not asked (nobody may delete them on their own)."""
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_view(self, request, object_id, extra_context=None):
        goal = self.get_object(request, unquote(object_id))
        reason = self.refusal(request, goal)
        if reason:
            return self.refuse(request, reason, self.change_url(object_id))
        try:
            return super().delete_view(request, object_id, extra_context)
        except (WorkflowError, SheetLocked) as error:
            return self.refuse(request, self.sentence(error), self.change_url(object_id))

    @admin.action(permissions=["delete"], description="Delete selected %(verbose_name_plural)s")
    def delete_selected(self, request, queryset):
        """Django's delete action, where the workflow allows every removal; otherwise refused
        up front with the first reason, before the confirmation page."""
        for goal in queryset.order_by("sheet_id", "position"):
            if reason := self.refusal(request, goal):
                self.message_user(request, f"Nothing was deleted: {reason}", messages.ERROR)
                return None
        try:
            with transaction.atomic():  # the deletion log is written first; keep it honest
                return django_delete_selected(self, request, queryset)
        except (WorkflowError, SheetLocked) as error:  # the sheet moved on meanwhile
            self.message_user(request, f"Nothing was deleted: {self.sentence(error)}",
                              messages.ERROR)
            return None
