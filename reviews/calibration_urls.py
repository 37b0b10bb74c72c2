"""URLs of calibration and the closing dashboards (included by reviews/urls.py)."""

from django.urls import path

from .views import calibration

urlpatterns = [
    path("closing/calibration/", calibration.closing_calibration, name="closing_calibration"),
    path("closing/calibration/targets/", calibration.calibration_targets,
         name="calibration_targets"),
    path("sheets/<int:pk>/closing/adjust-rating/", calibration.closing_adjust_rating,
         name="closing_adjust_rating"),
    path("dashboards/closing/", calibration.closing_dashboard, name="closing_dashboard"),
]
