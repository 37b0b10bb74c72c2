"""Admin for notifications: the reminder settings (one row), the log of what was sent to whom,
digest claims and people's delivery choices."""

from django.contrib import admin

from .models import DigestDelivery, Notification, NotificationPreference, NotificationSettings


@admin.register(NotificationSettings)
class NotificationSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "lead_days", "overdue_cadence_days", "escalation_after_days")

    def has_add_permission(self, request):
        return not NotificationSettings.objects.exists()  # one row, made on first use

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """The log: who was told what about which sheet, when, and whether the e-mail went out."""

    list_display = ("created_at", "recipient", "kind", "sheet", "stage", "day", "email_status",
                    "emailed_at", "attempts", "read_at")
    list_filter = ("kind", "email_status", "stage", ("read_at", admin.EmptyFieldListFilter))
    list_select_related = ("recipient", "sheet__period")
    search_fields = ("recipient__username", "recipient__email", "message",
                     "sheet__employee_name", "email_error")
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Notification._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(admin.ModelAdmin):
    list_display = ("day", "recipient", "created_at")
    list_select_related = ("recipient",)
    search_fields = ("recipient__username",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "daily_digest")
    list_filter = ("daily_digest",)
    search_fields = ("user__username",)
    autocomplete_fields = ("user",)
