"""Admin views of the legal record: answers, SMART checks, signatures and events are read-only,
because only the workflow's services may write them. Answers and SMART checks keep their field
history (django-simple-history); it can be read here, never reverted."""

from django.contrib import admin

from goalsapp.admin import HistoryAdmin

from .models import GoalAnswer, ReviewEvent, Signature, SmartCheck


class ReadOnlyMixin:
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    pass


class ReadOnlyHistoryAdmin(ReadOnlyMixin, HistoryAdmin):
    """HistoryAdmin refuses a POST to a history page without the change permission, which no
    one has here: the "Revert" button is hidden and a forged revert answers 403."""


@admin.register(GoalAnswer)
class GoalAnswerAdmin(ReadOnlyHistoryAdmin):
    list_display = ("goal", "round", "answer", "answered_by", "answered_at", "replied_at")
    list_filter = ("answer", "round")
    list_select_related = ("goal", "answered_by")
    search_fields = ("goal__text", "comment", "reply", "goal__sheet__employee_name")


@admin.register(SmartCheck)
class SmartCheckAdmin(ReadOnlyHistoryAdmin):
    list_display = ("goal", "specific", "measurable", "achievable", "relevant", "time_bound",
                    "checked_by", "checked_at")
    list_filter = ("specific", "measurable", "achievable", "relevant", "time_bound")
    list_select_related = ("goal", "checked_by")
    search_fields = ("goal__text", "note")


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
