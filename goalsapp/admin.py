"""Admin for people, periods, competencies, sheets and goals. Signed sheets are read-only here
as everywhere: the model refuses the save, the admin does not offer it, and if the model refuses
anyway (a sheet signed while the page was open, a forged request) the admin says so in a
sentence instead of answering with a server error."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from simple_history.admin import SimpleHistoryAdmin

from . import services as goal_services
from .models import (
    Competency,
    Employee,
    Goal,
    GoalSet,
    GoalSetItem,
    GoalSheet,
    GoalTemplate,
    JobTitle,
    ReviewPeriod,
    SheetLocked,
)

PERIOD_SIGNED = ("Sheets in this period have been signed: its name and dates are part of what "
                 "was signed and can no longer change.")


def sheet_is_locked(sheet_id) -> bool:
    """Asks the database, never an instance: a copy loaded before signing (or rebuilt from a
    history record) still says it is unlocked."""
    return sheet_id is not None and GoalSheet.objects.filter(
        pk=sheet_id, locked_at__isnull=False).exists()


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose "Revert" obeys the change permission: simple-history only asks
    for the view permission, so a POST to a history page would save whatever the form holds."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            current = self.get_object(request, unquote(object_id))
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class SheetLockAdmin(HistoryAdmin):
    """For rows a signed sheet vouches for (the sheet itself, its goals). `locked_lookup` leads
    from this model to the sheet's `locked_at`."""

    locked_lookup = "locked_at"
    locked_message = ("{count} of the selected {items} {verb} signed and locked; "
                      "nothing was deleted.")
    actions = ["delete_selected"]

    def locked_rows(self, queryset):
        return queryset.filter(**{f"{self.locked_lookup}__isnull": False})

    def is_locked(self, obj) -> bool:
        if obj is None or obj.pk is None:
            return False
        return self.locked_rows(self.model._default_manager.filter(pk=obj.pk)).exists()

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self.is_locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self.is_locked(obj)

    refused_message = "The goal sheet is signed and locked: nothing was changed or deleted."

    def refuse(self, request, redirect_to: str):
        self.message_user(request, self.refused_message, messages.ERROR)
        return HttpResponseRedirect(redirect_to)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except SheetLocked:  # rolled back by changeform_view's own transaction
            return self.refuse(request, request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except SheetLocked:  # back to the (now read-only) change page, which can show why
            return self.refuse(request, reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                args=[object_id], current_app=self.admin_site.name))

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        try:
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)
        except SheetLocked:
            return self.refuse(request, request.get_full_path())

    @admin.action(permissions=["delete"], description="Delete selected %(verbose_name_plural)s")
    def delete_selected(self, request, queryset):
        """Django's delete action, refused up front when any selected row is signed: otherwise
        the model's refusal would surface as a 500 after the confirmation page."""
        locked = self.locked_rows(queryset).count()
        if locked:
            self.message_user(request, self.locked_message.format(
                count=locked, items=self.opts.verbose_name_plural,
                verb="is" if locked == 1 else "are"), messages.ERROR)
            return None
        try:
            with transaction.atomic():  # the deletion log is written first; keep it honest
                return django_delete_selected(self, request, queryset)
        except SheetLocked:  # signed between the check and the delete
            self.message_user(request, self.refused_message, messages.ERROR)
            return None


# Employees ---------------------------------------------------------------------------------------


class WriteOnlyInput(forms.TextInput):
    """Never renders a value: what was typed is not sent back, not even when the form has errors."""

    def format_value(self, value):
        return None


class EmployeeAdminForm(forms.ModelForm):
    ssn = forms.CharField(
        label="SSN", required=False,
        widget=WriteOnlyInput(attrs={"autocomplete": "off", "placeholder": "123-45-6789"}),
        help_text=("Write-only: stored encrypted. Leave empty to keep the current value; "
                   "enter “clear” to remove it."))

    class Meta:
        model = Employee
        fields = ("user", "employee_number", "full_name", "title", "territory", "work_location",
                  "performance_tier", "supervisor", "is_active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Employee.title stays a name; the admin offers the active job titles, plus a retired
        # or unknown current value so editing an employee never silently changes their title.
        names = list(JobTitle.objects.filter(is_active=True).values_list("name", flat=True))
        current = self.instance.title if self.instance.pk else ""
        if current and current not in names:
            names.append(current)
        self.fields["title"] = forms.ChoiceField(
            choices=[("", "Choose a job title…")] + [(name, name) for name in sorted(names)],
            help_text="Job titles are managed under Goal library → Job titles.",
            error_messages={"required": "Choose a job title.",
                            "invalid_choice": "Choose one of the active job titles."})

    def clean_ssn(self):
        ssn = self.cleaned_data["ssn"].strip()
        if ssn and ssn.lower() != "clear":
            try:
                Employee().set_ssn(ssn)
            except ValidationError as error:
                # set_ssn names its field; a field's clean_* must raise a plain message.
                raise ValidationError(error.message_dict.get("ssn", error.messages)) from None
        return ssn

    def save(self, commit=True):
        ssn = self.cleaned_data.get("ssn", "")
        if ssn.lower() == "clear":
            self.instance.ssn_encrypted = ""
        elif ssn:
            self.instance.set_ssn(ssn)
        return super().save(commit)


@admin.register(Employee)
class EmployeeAdmin(HistoryAdmin):
    form = EmployeeAdminForm
    list_display = ("full_name", "employee_number", "title", "territory", "performance_tier",
                    "supervisor", "masked_ssn", "is_active")
    list_filter = ("title", "territory", "performance_tier", "is_active")
    list_select_related = ("supervisor",)
    search_fields = ("full_name", "employee_number", "user__username", "user__email")
    autocomplete_fields = ("supervisor", "user")
    readonly_fields = ("masked_ssn",)

    @admin.display(description="Stored SSN")
    def masked_ssn(self, obj):
        return obj.masked_ssn or "—"

    # An SSN typed into the form never reaches an error report.
    @method_decorator(sensitive_post_parameters("ssn"))
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        return super().changeform_view(request, object_id, form_url, extra_context)

    @method_decorator(sensitive_post_parameters("ssn"))
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return super().history_form_view(request, object_id, version_id, extra_context)


# Periods and competencies ------------------------------------------------------------------------


@admin.register(ReviewPeriod)
class ReviewPeriodAdmin(admin.ModelAdmin):
    """ReviewPeriod.clean refuses new names or dates once a sheet of the period is signed, and
    the form shows that; save() refuses too, for an edit that raced a signature."""

    list_display = ("name", "starts_on", "ends_on", "goals_due", "hr_review_due", "is_open")
    list_filter = ("is_open",)
    search_fields = ("name",)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except SheetLocked:
            self.message_user(request, PERIOD_SIGNED, messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ("name", "short_description", "position", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "description")


# Sheets and goals --------------------------------------------------------------------------------


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0
    fields = ("position", "competency", "text", "measure_kind", "target", "unit", "direction",
              "baseline", "due_on", "weight")

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not sheet_is_locked(
            getattr(obj, "pk", None))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not sheet_is_locked(
            getattr(obj, "pk", None))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not sheet_is_locked(
            getattr(obj, "pk", None))


class GoalSheetAdminForm(forms.ModelForm):
    """Carries the version the admin saw, so a save on top of someone else's newer edit is
    refused as "changed meanwhile" like everywhere else."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = GoalSheet
        fields = ("employee", "period", "employee_name", "employee_number", "title",
                  "work_location", "supervisor_name", "goals_completed_since_last",
                  "estimated_total_time", "action_plans", "milestones", "additional_comments")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # From the database: on a history page the instance is an old copy.
        self.fields["seen_version"].initial = GoalSheet.objects.filter(
            pk=self.instance.pk).values_list("version", flat=True).first()

    def clean(self):
        cleaned = super().clean()
        seen = cleaned.get("seen_version")
        if self.instance.pk is not None and seen is not None:
            stored = GoalSheet.objects.filter(pk=self.instance.pk).values_list(
                "version", flat=True).first()
            if stored is not None and stored != seen:
                raise ValidationError("This sheet was changed meanwhile by someone else; "
                                      "reload the page to see their changes.")
        return cleaned


@admin.register(GoalSheet)
class GoalSheetAdmin(SheetLockAdmin):
    form = GoalSheetAdminForm
    list_display = ("employee_name", "period", "state", "title", "version", "locked_at")
    list_filter = ("state", "period", "title")
    list_select_related = ("period",)
    search_fields = ("employee_name", "employee__employee_number", "supervisor_name")
    readonly_fields = ("state", "version", "clarification_round", "locked_at", "created_at",
                       "updated_at", "state_changed_at")
    inlines = [GoalInline]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            fields = [name for name in fields if name != "seen_version"]  # nothing to save
        return fields

    def save_model(self, request, obj, form, change):
        if change:  # readers who opened the sheet before this edit now see "changed meanwhile"
            stored = GoalSheet.objects.filter(pk=obj.pk).values_list("version", flat=True).get()
            obj.version = stored + 1
            obj.updated_at = timezone.now()
        super().save_model(request, obj, form, change)


class GoalAdminForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ("sheet", "competency", "text", "measure_kind", "target", "unit", "direction",
                  "baseline", "due_on", "weight", "position")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "sheet" in self.fields:  # offer only sheets that can still change (and its own)
            self.fields["sheet"].queryset = GoalSheet.objects.filter(
                Q(locked_at__isnull=True) | Q(pk=self.instance.sheet_id)).select_related("period")

    def clean_sheet(self):
        sheet = self.cleaned_data["sheet"]
        if sheet is not None and sheet_is_locked(sheet.pk):
            raise ValidationError("This sheet is signed and locked: goals cannot be added to it "
                                  "or moved onto it.")
        return sheet


@admin.register(Goal)
class GoalAdmin(SheetLockAdmin):
    form = GoalAdminForm
    locked_lookup = "sheet__locked_at"
    locked_message = ("{count} of the selected {items} {verb} on a signed and locked sheet; "
                      "nothing was deleted.")
    list_display = ("text", "sheet", "competency", "measure_kind", "target", "unit", "due_on")
    list_filter = ("competency", "measure_kind", "direction", "sheet__period")
    list_select_related = ("sheet__period", "competency")
    search_fields = ("text", "sheet__employee_name")

    def save_model(self, request, obj, form, change):
        before = Goal.objects.filter(pk=obj.pk).values_list("sheet_id", flat=True).first()
        super().save_model(request, obj, form, change)
        self._touch_sheets(request, {obj.sheet_id, before})

    def delete_model(self, request, obj):
        sheet_id = obj.sheet_id
        super().delete_model(request, obj)
        self._touch_sheets(request, {sheet_id})

    def delete_queryset(self, request, queryset):
        sheet_ids = set(queryset.values_list("sheet_id", flat=True))
        super().delete_queryset(request, queryset)
        self._touch_sheets(request, sheet_ids)

    @staticmethod
    def _touch_sheets(request, sheet_ids) -> None:
        """A goal is part of its sheet: changing one moves the sheet's version on."""
        for sheet in GoalSheet.objects.filter(pk__in=[pk for pk in sheet_ids if pk]):
            goal_services.sheet_touch(sheet, [], request.user)


# The goal library, job titles and goal sets -----------------------------------------------------


@admin.register(JobTitle)
class JobTitleAdmin(admin.ModelAdmin):
    list_display = ("name", "competency_count", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name",)
    filter_horizontal = ("competencies",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("competencies")

    @admin.display(description="Competencies")
    def competency_count(self, obj):
        return len(obj.competencies.all())


@admin.action(description="Retire the selected entries (they stay on sheets that use them)")
def retire_templates(modeladmin, request, queryset):
    count = queryset.update(is_active=False)
    modeladmin.message_user(request, f"{count} library entr{'y' if count == 1 else 'ies'} "
                                     "retired.", messages.SUCCESS)


@admin.register(GoalTemplate)
class GoalTemplateAdmin(admin.ModelAdmin):
    """Admins add, edit and retire entries; an entry in use cannot be deleted (PROTECT), it is
    retired instead."""

    list_display = ("text", "competency", "measure_kind", "unit", "source", "source_ref",
                    "is_active")
    list_filter = ("is_active", "competency", "titles", "source", "measure_kind")
    list_select_related = ("competency",)
    search_fields = ("text", "source_ref")
    filter_horizontal = ("titles",)
    actions = [retire_templates]

    def delete_view(self, request, object_id, extra_context=None):
        if Goal.objects.filter(template_id=unquote(object_id)).exists():
            self.message_user(request, "This entry is on goal sheets and cannot be deleted: "
                                       "untick “Active” to retire it.", messages.ERROR)
            return HttpResponseRedirect(reverse("admin:goalsapp_goaltemplate_change",
                                                args=[object_id]))
        return super().delete_view(request, object_id, extra_context)


class GoalSetItemInline(admin.StackedInline):
    model = GoalSetItem
    extra = 0
    autocomplete_fields = ("template",)
    fields = (("competency", "template"), "text", ("measure_kind", "target", "unit"),
              ("direction", "baseline", "weight"), ("due_rule", "due_days"), "position")


@admin.register(GoalSet)
class GoalSetAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "updated_at")
    search_fields = ("name",)
    autocomplete_fields = ("owner",)
    inlines = [GoalSetItemInline]
