"""Admin of the archive: every archived PDF with its status and error, and a "retry rendering"
action for those without a stored file; export jobs, read-only."""

from django.contrib import admin, messages

from reviews.workflow import WorkflowError

from . import services
from .models import ExportJob, SheetArchive


@admin.register(SheetArchive)
class SheetArchiveAdmin(admin.ModelAdmin):
    list_display = ("sheet", "kind", "status", "rendered_at", "size", "sha256", "attempts",
                    "short_error")
    list_filter = ("status", "kind")
    list_select_related = ("sheet__period",)
    search_fields = ("sheet__employee_name", "sheet__employee_number", "sha256")
    readonly_fields = ("sheet", "kind", "status", "file", "sha256", "size", "error", "attempts",
                       "created_at", "claimed_at", "rendered_at")
    actions = ["retry_rendering"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # an archived PDF is part of the legal record

    def has_change_permission(self, request, obj=None):
        # A stored archive never changes: its page is for reading (saving it was a 500, found
        # by tests/security/); the list and its retry action stay.
        if obj is not None and obj.is_stored:
            return False
        return super().has_change_permission(request, obj)

    @admin.display(description="error")
    def short_error(self, archive):
        return archive.error[:120]

    @admin.action(description="Retry rendering (only those without a stored PDF)")
    def retry_rendering(self, request, queryset):
        retried, refused = 0, []
        for archive in queryset.select_related("sheet"):
            try:
                services.archive_retry(archive_id=archive.pk, actor=request.user)
                retried += 1
            except WorkflowError as error:
                refused.append(f"{archive.sheet}: {error}")
        if retried:
            self.message_user(request, f"Rendering queued again for {retried} archive(s).",
                              messages.SUCCESS)
        for reason in refused:
            self.message_user(request, reason, messages.WARNING)


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    list_display = ("pk", "description", "created_by", "created_at", "status", "done", "total")
    list_filter = ("status",)
    search_fields = ("description", "created_by__username")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
