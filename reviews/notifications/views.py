"""The notifications page (list, mark one or all read, open a sheet), each person's settings
page, and HR's reminder settings page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from goalsapp.access import get_sheet_for_user, may_change_reminder_settings
from goalsapp.views.common import forbidden

from . import selectors, services
from .forms import NotificationSettingsForm, ReminderSettingsForm
from .models import NotificationSettings

PER_PAGE = 50


@login_required
def notification_list(request):
    page = Paginator(selectors.notifications_for(request.user), PER_PAGE).get_page(
        request.GET.get("page"))
    notices = list(page.object_list)
    openable = selectors.visible_sheet_ids(request.user, notices)
    return render(request, "notifications/list.html", {
        "page": page, "rows": [(notice, notice.sheet_id in openable) for notice in notices],
    })


@login_required
@require_POST
def notification_open(request, pk):
    """Marks the notice read and opens its sheet, if the reader may still see it (else 404)."""
    notice = selectors.notification_of(request.user, pk)
    if notice is None:
        messages.warning(request, "That notification no longer exists.")
        return redirect("notifications")
    services.notification_mark_read(user=request.user, notification_id=notice.pk)
    sheet = get_sheet_for_user(request.user, notice.sheet_id)
    return redirect("sheet_detail", pk=sheet.pk)


@login_required
@require_POST
def notification_read(request, pk):
    if not services.notification_mark_read(user=request.user, notification_id=pk):
        messages.warning(request, "That notification no longer exists.")
    return _back_to_list(request.POST.get("page", ""))


@login_required
@require_POST
def notification_read_all(request):
    count = services.notifications_mark_all_read(user=request.user)
    messages.success(request, f"Marked {count} notification{'s' if count != 1 else ''} read.")
    return redirect("notifications")


@login_required
def notification_settings(request):
    initial = {"delivery": "digest" if selectors.prefers_digest(request.user) else "single"}
    form = NotificationSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.notification_preference_set(
            user=request.user, daily_digest=form.cleaned_data["delivery"] == "digest")
        messages.success(request, "Your notification settings are saved.")
        return redirect("notification_settings")
    return render(request, "notifications/settings.html", {"form": form})


@login_required
def reminder_settings(request):
    """The numbers in force for reminders and escalations, and HR's form to change them."""
    if not may_change_reminder_settings(request.user):
        return forbidden(request, "Reminder settings are kept by Human Resources.")
    form = ReminderSettingsForm(request.POST or None, instance=NotificationSettings.load())
    if request.method == "POST":
        if form.is_valid():
            services.reminder_settings_save(actor=request.user, values=form.cleaned_data)
            messages.success(request, "Reminder settings saved: the next sweep uses them.")
            return redirect("reminder_settings")
        messages.error(request, "Nothing was saved: correct the fields marked below.")
    return render(request, "notifications/reminder_settings.html", {"form": form})


def _back_to_list(page: str):
    """The list page the reader was on (a plain number only), else the first."""
    url = reverse("notifications")
    return redirect(f"{url}?page={page}" if page.isdigit() else url)
