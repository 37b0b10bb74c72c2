"""The OpenID Connect start and callback URLs (404 until SSO is configured)."""

from django.urls import path

from . import views

urlpatterns = [
    path("oidc/authenticate/", views.authenticate, name="oidc_authentication_init"),
    path("oidc/reauthenticate/", views.reauthenticate, name="oidc_reauthenticate"),
    path("oidc/callback/", views.callback, name="oidc_authentication_callback"),
]
