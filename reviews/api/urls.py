"""The API's URLs, the schema and its documentation page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from . import ar, views

router = DefaultRouter(trailing_slash=True)
router.register("employees", views.EmployeeViewSet, basename="api-employee")
router.register("periods", views.PeriodViewSet, basename="api-period")
router.register("sheets", views.SheetViewSet, basename="api-sheet")

urlpatterns = [
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/progress/actuals/", views.ActualsView.as_view(), name="api-actuals"),
    path("api/dashboards/department/", views.DashboardView.as_view(),
         name="api-dashboard-department"),
    *(path(f"api/ar/{kind}/", view, name=f"api-ar-{kind}") for kind, view in ar.VIEWS.items()),
    path("api/", include(router.urls)),
]
