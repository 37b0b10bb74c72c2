"""URLs of the workflow pages."""

from django.urls import path

from .views import goal_sets, library, lists, notifications, overview, sheet, steps

urlpatterns = [
    path("", lists.inbox, name="inbox"),
    path("sheets/", lists.sheet_list, name="sheet_list"),
    path("team/", lists.team, name="team"),
    path("team/start/", lists.sheet_start, name="sheet_start"),
    path("hr/queue/", lists.hr_queue, name="hr_queue"),
    path("dashboards/workflow/", overview.workflow_overview, name="workflow_overview"),
    path("sheets/<int:pk>/", sheet.sheet_detail, name="sheet_detail"),
    path("sheets/<int:pk>/do/<slug:action>/", sheet.sheet_transition, name="sheet_transition"),
    path("sheets/<int:pk>/edit/", steps.sheet_edit, name="sheet_edit"),
    path("sheets/<int:pk>/edit/new-row/", steps.goal_row, name="goal_row"),
    # Goal library, SMART hints and goal sets (issue 5)
    path("sheets/<int:pk>/edit/library/", library.library_panel, name="goal_library"),
    path("sheets/<int:pk>/edit/hints/", library.goal_hints, name="goal_hints"),
    path("goal-sets/", goal_sets.goal_set_list, name="goal_set_list"),
    path("goal-sets/new/", goal_sets.goal_set_edit, name="goal_set_new"),
    path("goal-sets/<int:set_id>/", goal_sets.goal_set_edit, name="goal_set_edit"),
    path("goal-sets/<int:set_id>/apply/", goal_sets.goal_set_apply, name="goal_set_apply"),
    path("sheets/<int:pk>/summary/", steps.sheet_summary, name="sheet_summary"),
    path("sheets/<int:pk>/answers/", steps.sheet_answers, name="sheet_answers"),
    path("sheets/<int:pk>/answers/<int:goal_id>/", steps.goal_answer, name="goal_answer"),
    path("sheets/<int:pk>/smart/", steps.sheet_smart, name="sheet_smart"),
    path("sheets/<int:pk>/smart/<int:goal_id>/", steps.goal_smart, name="goal_smart"),
    # Notifications (issue 4)
    path("notifications/", notifications.notification_list, name="notifications"),
    path("notifications/read-all/", notifications.notification_read_all,
         name="notification_read_all"),
    path("notifications/<int:pk>/read/", notifications.notification_read,
         name="notification_read"),
    path("notifications/<int:pk>/open/", notifications.notification_open,
         name="notification_open"),
    path("notifications/settings/", notifications.notification_settings,
         name="notification_settings"),
]
