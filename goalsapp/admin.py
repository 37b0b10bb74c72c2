"""Admin for people, periods, competencies, the goal library, job titles and goal sets. Sheets and
goals change only through the workflow, so their admin pages live in reviews (admin_sheets.py);
a period whose sheets are signed keeps its name and dates, and says so in a sentence."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.debug import sensitive_post_parameters
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Competency,
    Employee,
    Goal,
    GoalSet,
    GoalSetItem,
    GoalTemplate,
    JobTitle,
    ReviewPeriod,
    SheetLocked,
)

PERIOD_SIGNED = ("Sheets in this period have been signed: its name and dates are part of what "
                 "was signed and can no longer change.")


class HistoryAdmin(SimpleHistoryAdmin):
    """SimpleHistoryAdmin whose "Revert" obeys the change permission: simple-history only asks
    for the view permission, so a POST to a history page would save whatever the form holds."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            current = self.get_object(request, unquote(object_id))
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


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
    fieldsets = (
        (None, {"fields": ("name", "starts_on", "ends_on", "currency", "is_open")}),
        ("Goals due", {"fields": ("goals_due", "answers_due", "signatures_due",
                                  "hr_review_due")}),
        ("Closing review due (docs/closing.md; empty: no due date)",
         {"fields": ("self_assessments_due", "assessments_due", "closing_signatures_due",
                     "hr_closing_due")}),
    )

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

    list_display = ("text", "competency", "measure_kind", "unit", "kpi", "source", "source_ref",
                    "is_guidance", "is_active")
    list_filter = ("is_active", "is_guidance", "competency", "titles", "source", "measure_kind",
                   "kpi")
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
              ("direction", "baseline", "weight"), ("due_rule", "due_days"), ("kpi", "kpi_scope"),
              "position")


@admin.register(GoalSet)
class GoalSetAdmin(admin.ModelAdmin):
    list_display = ("name", "owner", "updated_at")
    search_fields = ("name",)
    autocomplete_fields = ("owner",)
    inlines = [GoalSetItemInline]
