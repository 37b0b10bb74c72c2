"""How the admin asks the workflow: whether a user may take a step on a sheet now (and if not,
the workflow's own sentence why), and the base class of every admin page that changes a sheet's
rows only through the workflow's services."""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse

from goalsapp.admin import HistoryAdmin
from goalsapp.models import GoalSheet, SheetLocked

from .workflow import TABLE, WorkflowError, require

LOCKED = "This goal sheet is signed and locked: nothing on it can change."
GONE = "This goal sheet no longer exists."

# The steps that change a sheet's own text; which one applies is read from the table by state.
SHEET_STEPS = ("edit_goals", "edit_summary")


def workflow_refusal(user, sheet: GoalSheet | None, action: str) -> str | None:
    """Why `user` may not take `action` on `sheet` now, in the workflow's words; None if they
    may. `sheet` must come fresh from the database (see `fresh_sheet`)."""
    if sheet is None:
        return GONE
    if sheet.is_signed:
        return LOCKED
    try:
        require(user, sheet, action)
    except WorkflowError as error:
        return str(error)
    return None


def may_take(user, sheet_id, action: str) -> bool:
    """Whether `user` may take `action` on the sheet now."""
    return workflow_refusal(user, fresh_sheet(sheet_id), action) is None


def fresh_sheet(sheet_id) -> GoalSheet | None:
    """From the database, never an instance at hand: a history page holds an old copy of the
    row, with the state and lock it had then."""
    return GoalSheet.objects.select_related("employee", "period").filter(pk=sheet_id).first()


def sheet_step(sheet: GoalSheet) -> str:
    """The step that changes the sheet's text in its state: the summary while it waits for the
    supervisor's signature, the draft otherwise."""
    return next((a.name for a in TABLE if a.name in SHEET_STEPS and a.source == sheet.state),
                "edit_goals")


def copy_errors(source: forms.Form, target: forms.Form) -> None:
    """Puts the site form's messages on the admin form, in place of the admin's own for the same
    field: the site's forms hold the rules, and their words."""
    for name, errors in source.errors.items():
        field = name if name in target.fields and name != NON_FIELD_ERRORS else None
        if field is not None:
            target.errors.pop(field, None)
        target.add_error(field, list(errors))


class WorkflowAdmin(HistoryAdmin):
    """A row of a sheet, changed in the admin only through the workflow. Subclasses say which
    sheet and step a row belongs to (`sheet_id_of`, `step_for`), and save through a service."""

    change_form_template = "admin/workflow_change_form.html"
    object_history_form_template = "admin/workflow_history_form.html"
    nothing_changed = "Nothing was changed: {reason}"

    def sheet_id_of(self, obj) -> int:
        raise NotImplementedError

    def step_for(self, sheet: GoalSheet) -> str:
        raise NotImplementedError

    def row_refusal(self, obj, sheet: GoalSheet) -> str | None:
        """A reason beyond the sheet's, for this row only."""
        return None

    def refusal(self, request, obj) -> str | None:
        """Why this user may not change `obj` now; asked once per request and row."""
        if obj is None or obj.pk is None:
            return None
        asked = request.__dict__.setdefault("_workflow_refusals", {})
        key = (self.opts.label, obj.pk)
        if key not in asked:
            sheet = fresh_sheet(self.sheet_id_of(obj))
            asked[key] = (workflow_refusal(request.user, sheet, self.step_for(sheet))
                          if sheet is not None else GONE) or self.row_refusal(obj, sheet)
        return asked[key]

    def has_add_permission(self, request, obj=None):
        return False  # rows are started by the workflow's own steps on the site

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.refusal(request, obj) is None

    def has_delete_permission(self, request, obj=None):
        return False

    def refuse(self, request, reason: str, redirect_to: str):
        self.message_user(request, self.nothing_changed.format(reason=reason), messages.ERROR)
        return HttpResponseRedirect(redirect_to)

    def change_url(self, object_id) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
                       args=[object_id], current_app=self.admin_site.name)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        reason = self.refusal(request, obj)
        if request.method == "POST" and reason:  # before any field is read
            return self.refuse(request, reason, request.get_full_path())
        extra_context = {**(extra_context or {}), "workflow_reason": reason}
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except (WorkflowError, SheetLocked) as error:  # rolled back by changeform_view
            return self.refuse(request, self.sentence(error), request.get_full_path())

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        current = self.get_object(request, unquote(object_id))
        reason = self.refusal(request, current)
        if request.method == "POST" and current is not None and reason:
            return self.refuse(request, reason, request.get_full_path())
        extra_context = {**(extra_context or {}), "workflow_reason": reason}
        try:
            with transaction.atomic():
                return super().history_form_view(request, object_id, version_id, extra_context)
        except (WorkflowError, SheetLocked) as error:
            return self.refuse(request, self.sentence(error), request.get_full_path())

    @staticmethod
    def sentence(error: Exception) -> str:
        return LOCKED if isinstance(error, SheetLocked) else str(error)

    @staticmethod
    def reverting(request) -> bool:
        """A "Revert" from the history page, which saves the row without its inlines."""
        return request.resolver_match.url_name.endswith("_simple_history")


class SeenVersionMixin:
    """The sheet's version as the admin saw it, from the database (on a history page the
    instance is an old copy), so a save on top of someone else's is refused as on the site."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "seen_version" in self.fields:
            self.fields["seen_version"].initial = GoalSheet.objects.filter(
                pk=self.sheet_id()).values_list("version", flat=True).first()

    def sheet_id(self):
        return self.instance.pk
