"""Top-level URL map."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from config import security
from goalsapp.sso import views as sso_views


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico whatever the page says; send them to the static icon."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs):
        return static("images/favicon.svg")

# A lost database connection is a 503 saying nothing was saved (config/errors.py).
handler500 = "config.errors.server_error"

urlpatterns = [
    path("accounts/login/", sso_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", sso_views.LogoutView.as_view(), name="logout"),
    path("", include("goalsapp.sso.urls")),
    # Password reset by e-mail: Django's own views (templates in templates/registration/).
    path("accounts/password-reset/", auth_views.PasswordResetView.as_view(),
         name="password_reset"),
    path("accounts/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("csp-report/", security.csp_report, name="csp_report"),
    path("admin/", admin.site.urls),
    path("favicon.ico", FaviconView.as_view()),
    path("", include("goalsapp.urls")),
    path("", include("goalsapp.people_sync.urls")),
    path("", include("goalsapp.ar.urls")),
    path("", include("reviews.urls")),
    path("", include("reviews.archive.urls")),
    path("", include("reviews.notifications.urls")),
    path("", include("reviews.api.urls")),
]
