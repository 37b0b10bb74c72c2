"""Who calls: an integration's token (`Authorization: Bearer gp_…`), or the browser session."""

from rest_framework import authentication, exceptions

from .tokens import token_find


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != self.keyword:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send the token as “Authorization: Bearer gp_…”.")
        token = token_find(header[1])
        if token is None:
            raise exceptions.AuthenticationFailed("This token is unknown or revoked.")
        return token.acts_as, token

    def authenticate_header(self, request):
        return self.keyword
