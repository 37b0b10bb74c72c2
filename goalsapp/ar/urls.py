"""The AR data pages' URLs."""

from django.urls import path

from . import kpi_views, views

urlpatterns = [
    path("ar/", views.ar_loads, name="ar_loads"),
    path("ar/upload/", views.ar_upload, name="ar_upload"),
    path("ar/loads/<int:load_id>/", views.ar_load, name="ar_load"),
    path("ar/loads/<int:load_id>/mapping/", views.ar_load_mapping, name="ar_load_mapping"),
    path("ar/loads/<int:load_id>/apply/", views.ar_load_apply, name="ar_load_apply"),
    path("dashboards/collector-kpis/", kpi_views.collector_kpis, name="collector_kpis"),
]
