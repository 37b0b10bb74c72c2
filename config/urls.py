"""Top-level URL map."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("goalsapp.urls")),
    path("", include("reviews.urls")),
    path("", include("reviews.archive.urls")),
    path("", include("reviews.notifications.urls")),
    path("", include("reviews.api.urls")),
]
