"""Authentication backends: OpenID Connect (mozilla-django-oidc) mapped to employees, and the
local password backend that "SSO only" narrows to the break-glass administrator."""

from django.contrib.auth.backends import ModelBackend
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from goalsapp.access import may_sign_in_with_password, sso_only

from .services import identity_bind, users_for_claims

__all__ = ["EmployeeOIDCBackend", "LocalPasswordBackend", "sso_only"]


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


class LocalPasswordBackend(ModelBackend):
    """Passwords, unless SSO_ONLY is on: then only SSO_BREAK_GLASS_USERNAME, an administrator
    who can still get in when the provider is down."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not may_sign_in_with_password(username or ""):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
