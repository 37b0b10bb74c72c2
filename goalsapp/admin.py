"""Admin for people, periods, competencies, sheets and goals. Signed sheets are read-only here
as everywhere: the model refuses the save, and the admin does not offer it."""

from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Competency, Employee, Goal, GoalSheet, ReviewPeriod


class EmployeeAdminForm(forms.ModelForm):
    ssn = forms.CharField(label="SSN", required=False, help_text=(
        "Write-only: stored encrypted. Leave empty to keep the current value; "
        "enter “clear” to remove it."))

    class Meta:
        model = Employee
        fields = ("user", "employee_number", "full_name", "title", "territory", "work_location",
                  "performance_tier", "supervisor", "is_active")

    def clean_ssn(self):
        ssn = self.cleaned_data["ssn"].strip()
        if ssn and ssn.lower() != "clear":
            probe = Employee()
            probe.set_ssn(ssn)  # raises a ValidationError with a readable message
        return ssn

    def save(self, commit=True):
        ssn = self.cleaned_data.get("ssn", "")
        if ssn.lower() == "clear":
            self.instance.ssn_encrypted = ""
        elif ssn:
            self.instance.set_ssn(ssn)
        return super().save(commit)


@admin.register(Employee)
class EmployeeAdmin(SimpleHistoryAdmin):
    form = EmployeeAdminForm
    list_display = ("full_name", "employee_number", "title", "territory", "performance_tier",
                    "supervisor", "masked_ssn", "is_active")
    list_filter = ("title", "territory", "performance_tier", "is_active")
    search_fields = ("full_name", "employee_number", "user__username", "user__email")
    autocomplete_fields = ("supervisor", "user")
    readonly_fields = ("masked_ssn",)


@admin.register(ReviewPeriod)
class ReviewPeriodAdmin(admin.ModelAdmin):
    list_display = ("name", "starts_on", "ends_on", "goals_due", "hr_review_due", "is_open")
    list_filter = ("is_open",)
    search_fields = ("name",)


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ("name", "short_description", "position", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "description")


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0
    fields = ("position", "competency", "text", "measure_kind", "target", "unit", "direction",
              "baseline", "due_on", "weight")

    def has_add_permission(self, request, obj=None):
        return obj is None or not obj.is_locked

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.is_locked

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.is_locked


@admin.register(GoalSheet)
class GoalSheetAdmin(SimpleHistoryAdmin):
    list_display = ("employee_name", "period", "state", "title", "version", "locked_at")
    list_filter = ("state", "period", "title")
    search_fields = ("employee_name", "employee__employee_number", "supervisor_name")
    readonly_fields = ("state", "version", "clarification_round", "locked_at", "created_at",
                       "updated_at", "state_changed_at")
    inlines = [GoalInline]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.is_locked)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_locked)


@admin.register(Goal)
class GoalAdmin(SimpleHistoryAdmin):
    list_display = ("text", "sheet", "competency", "measure_kind", "target", "unit", "due_on")
    list_filter = ("competency", "measure_kind", "direction", "sheet__period")
    search_fields = ("text", "sheet__employee_name")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and obj.sheet.is_locked)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.sheet.is_locked)
