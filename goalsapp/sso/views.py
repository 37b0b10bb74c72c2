"""The sign-in page (with the provider's button), and sign-out that also ends the provider's
session when the user came through it and the provider has an end-session endpoint."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_logged_in
from django.http import Http404
from django.shortcuts import resolve_url
from mozilla_django_oidc import views as oidc_views

from .backends import sso_only
from .forms import LoginForm


def sso_enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "sso_enabled": sso_enabled(),
                "sso_only": sso_only(), "sso_name": settings.SSO_PROVIDER_NAME}


def provider_logout_url(request) -> str:
    """Where sign-out sends an SSO session: the provider's end-session endpoint (RP-initiated
    logout) with the ID token as hint, back to the sign-in page afterwards."""
    end_session = settings.OIDC_OP_END_SESSION_ENDPOINT
    id_token = request.session.get("oidc_id_token")
    if not (end_session and id_token):
        return resolve_url(settings.LOGOUT_REDIRECT_URL)
    back = request.build_absolute_uri("/accounts/login/")
    return f"{end_session}?" + urlencode({"id_token_hint": id_token,
                                           "post_logout_redirect_uri": back,
                                           "client_id": settings.OIDC_RP_CLIENT_ID})


class LogoutView(oidc_views.OIDCLogoutView):
    """POST only, as Django's; a password session simply ends (OIDC_OP_LOGOUT_URL_METHOD is
    `provider_logout_url`, which knows the difference)."""

    http_method_names = ["post", "options"]


def _when_enabled(view):
    def wrapped(request, *args, **kwargs):
        if not sso_enabled():
            raise Http404("Single sign-on is not configured.")
        return view(request, *args, **kwargs)
    return wrapped


class ReauthenticateView(oidc_views.OIDCAuthenticationRequestView):
    """A fresh sign-in at the provider before a signature: `prompt=login` asks for the
    credentials again even within the provider's session, `max_age=0` says how fresh; the
    callback signs the user in again (the session's authentication time is stamped then) and
    returns to `next`, the signing page."""

    def get_extra_params(self, request):
        return {**super().get_extra_params(request), "prompt": "login", "max_age": "0"}


class CallbackView(oidc_views.OIDCAuthenticationCallbackView):
    """The provider's answer. mozilla-django-oidc skips login() when the user is already the
    one signed in (it takes that for a session refresh), but a sign-in the provider just
    asked for (ReauthenticateView) is a sign-in all the same: announce it, so its receivers
    stamp the session's authentication time."""

    def login_success(self):
        current = getattr(self.request, "user", None)
        same_user = bool(current and current.is_authenticated and current == self.user)
        response = super().login_success()
        if same_user:
            user_logged_in.send(sender=self.user.__class__, request=self.request, user=self.user)
        return response


authenticate = _when_enabled(oidc_views.OIDCAuthenticationRequestView.as_view())
reauthenticate = _when_enabled(login_required(ReauthenticateView.as_view()))
callback = _when_enabled(CallbackView.as_view())
