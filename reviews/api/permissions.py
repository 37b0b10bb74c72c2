"""What a token's scopes allow: reads need "read", each write its own scope. The browser session
has every scope; the access policy still decides what its user may see and change."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from .models import ApiToken


def scope_allowed(request, scope: str) -> bool:
    token = request.auth
    return not isinstance(token, ApiToken) or token.allows(scope)


class TokenScope(BasePermission):
    """Views name `write_scope`; every read needs the read scope."""

    message = "This token's scopes do not allow this request."

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        if request.method in SAFE_METHODS:
            scope = ApiToken.Scope.READ
        else:
            scope = getattr(view, "write_scope", None)
            if scope is None:
                return False
        if not scope_allowed(request, scope):
            self.message = f"This token lacks the “{scope}” scope."
            return False
        return True
