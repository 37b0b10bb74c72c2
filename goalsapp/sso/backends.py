"""Authentication backends: OpenID Connect (mozilla-django-oidc) mapped to employees, and the
local password backend that "SSO only" narrows to the break-glass administrator."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .services import identity_bind, users_for_claims


class EmployeeOIDCBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims):
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims):
        return users_for_claims(claims)

    def create_user(self, claims):
        return None  # people come from the HRIS; an unknown person is refused

    def update_user(self, user, claims):
        identity_bind(user, claims)
        return user


def sso_only() -> bool:
    return bool(settings.SSO_ONLY and settings.OIDC_RP_CLIENT_ID)


class LocalPasswordBackend(ModelBackend):
    """Passwords, unless SSO_ONLY is on: then only SSO_BREAK_GLASS_USERNAME, an administrator
    who can still get in when the provider is down."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if sso_only() and (not settings.SSO_BREAK_GLASS_USERNAME
                           or username != settings.SSO_BREAK_GLASS_USERNAME):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
