"""URLs of the workflow pages."""

from django.urls import path

from .views import amend, closing, consent, goal_sets, library, lists, overview, sheet, steps

urlpatterns = [
    path("", lists.inbox, name="inbox"),
    path("sheets/", lists.sheet_list, name="sheet_list"),
    path("team/", lists.team, name="team"),
    path("team/start/", lists.sheet_start, name="sheet_start"),
    path("hr/queue/", lists.hr_queue, name="hr_queue"),
    path("dashboards/workflow/", overview.workflow_overview, name="workflow_overview"),
    path("sheets/<int:pk>/", sheet.sheet_detail, name="sheet_detail"),
    path("sheets/<int:pk>/do/<slug:action>/", sheet.sheet_transition, name="sheet_transition"),
    path("sheets/<int:pk>/amend/", amend.sheet_amend, name="sheet_amend"),
    path("sheets/<int:pk>/edit/", steps.sheet_edit, name="sheet_edit"),
    path("sheets/<int:pk>/edit/new-row/", steps.goal_row, name="goal_row"),
    path("sheets/<int:pk>/edit/carry-forward/", steps.sheet_carry_forward,
         name="sheet_carry_forward"),
    # The goal library and SMART hints in the editor; applying a goal set
    path("sheets/<int:pk>/edit/library/", library.library_panel, name="goal_library"),
    path("sheets/<int:pk>/edit/hints/", library.goal_hints, name="goal_hints"),
    path("goal-sets/<int:set_id>/apply/", goal_sets.goal_set_apply, name="goal_set_apply"),
    path("sheets/<int:pk>/summary/", steps.sheet_summary, name="sheet_summary"),
    path("sheets/<int:pk>/answers/", steps.sheet_answers, name="sheet_answers"),
    path("sheets/<int:pk>/answers/<int:goal_id>/", steps.goal_answer, name="goal_answer"),
    path("sheets/<int:pk>/smart/", steps.sheet_smart, name="sheet_smart"),
    path("sheets/<int:pk>/smart/<int:goal_id>/", steps.goal_smart, name="goal_smart"),
    # The closing review at the period's end (docs/closing.md)
    path("sheets/<int:pk>/closing/open/", closing.closing_open, name="closing_open"),
    path("sheets/<int:pk>/closing/self-assessment/", closing.closing_self_assessment,
         name="closing_self_assessment"),
    path("sheets/<int:pk>/closing/assessment/", closing.closing_assessment,
         name="closing_assessment"),
    path("sheets/<int:pk>/closing/do/<slug:action>/", closing.closing_transition,
         name="closing_transition"),
    path("hr/closing/", closing.closing_hr, name="closing_hr"),
    path("hr/rating-scale/", closing.rating_scale, name="rating_scale"),
    path("account/e-signature-consent/", consent.esign_consent, name="esign_consent"),
]

# Calibration and the closing dashboards have a module of their own.
from .calibration_urls import urlpatterns as calibration_urlpatterns  # noqa: E402

urlpatterns += calibration_urlpatterns
