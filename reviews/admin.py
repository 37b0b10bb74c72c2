"""Admin views of the legal record: signatures and events are read-only, because only the
workflow's transitions write them. Sheets, goals, answers and SMART checks change here only as
the workflow allows, through its services (admin_sheets.py)."""

from django.contrib import admin

from . import admin_sheets  # noqa: F401  (sheets, goals, answers, SMART checks)
from .models import ReviewEvent, Signature


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Signature)
class SignatureAdmin(ReadOnlyAdmin):
    list_display = ("sheet", "role", "typed_name", "signed_at", "content_hash", "voided_at")
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


from .archive import admin as archive_admin  # noqa: E402, F401  (archived PDFs, export jobs)

# Notifications and reminder settings register themselves in their own module.
from .notifications import admin as notifications_admin  # noqa: E402,F401
