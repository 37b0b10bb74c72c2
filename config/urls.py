"""Top-level URL map."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico whatever the page says; send them to the static icon."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("images/favicon.svg")


urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("favicon.ico", FaviconView.as_view()),
    path("", include("goalsapp.urls")),
    path("", include("reviews.urls")),
    path("", include("reviews.archive.urls")),
    path("", include("reviews.notifications.urls")),
]
