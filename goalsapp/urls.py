"""Dashboards, progress pages and goal sets."""

from django.urls import path

from .views import dashboards, goal_sets, progress

urlpatterns = [
    path("dashboards/", dashboards.dashboards_home, name="dashboards"),
    path("dashboards/me/", dashboards.my_dashboard, name="my_dashboard"),
    path("dashboards/team/", dashboards.team_dashboard, name="team_dashboard"),
    path("dashboards/people/<int:employee_id>/", dashboards.person_dashboard,
         name="person_dashboard"),
    path("dashboards/department/", dashboards.department_dashboard,
         name="department_dashboard"),
    path("sheets/<int:pk>/progress/", progress.sheet_progress, name="sheet_progress"),
    path("progress/import/", progress.progress_import, name="progress_import"),
    path("progress/import/template.csv", progress.progress_import_template,
         name="progress_import_template"),
    path("progress/import/<uuid:token>/", progress.progress_import_preview,
         name="progress_import_preview"),
    path("progress/import/<uuid:token>/confirm/", progress.progress_import_confirm,
         name="progress_import_confirm"),
    path("goal-sets/", goal_sets.goal_set_list, name="goal_set_list"),
    path("goal-sets/new/", goal_sets.goal_set_edit, name="goal_set_new"),
    path("goal-sets/<int:set_id>/", goal_sets.goal_set_edit, name="goal_set_edit"),
    path("goal-sets/row/", goal_sets.goal_set_item_row, name="goal_set_item_row"),
    path("goal-sets/library/", goal_sets.goal_set_library, name="goal_set_library"),
]
