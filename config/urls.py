"""Top-level URL map."""

from django.contrib import admin
from django.urls import include, path

from goalsapp.sso import views as sso_views

urlpatterns = [
    path("accounts/login/", sso_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", sso_views.LogoutView.as_view(), name="logout"),
    path("", include("goalsapp.sso.urls")),
    path("admin/", admin.site.urls),
    path("", include("goalsapp.urls")),
    path("", include("goalsapp.people_sync.urls")),
    path("", include("reviews.urls")),
    path("", include("reviews.archive.urls")),
    path("", include("reviews.notifications.urls")),
    path("", include("reviews.api.urls")),
]
