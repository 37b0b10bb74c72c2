"""Browser-side defences that are not a library's: no-store on every page a signed-in person
sees, the client's address (for login throttling and signatures), and the endpoint browsers
report Content-Security-Policy violations to."""

import logging
import time
from urllib.parse import urlsplit

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

log = logging.getLogger("goalpost.security")
REPORT_MAX_BYTES = 16 * 1024
RENEW_EVERY_SECONDS = 60


class NoStoreWhenSignedInMiddleware:
    """Appraisals, SSNs and signed PDFs must not stay in a shared computer's browser cache or a
    proxy's: every response to a signed-in person is `Cache-Control: no-store, private`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # The API answers integrations, which revalidate with ETags; reviews.api's middleware
        # marks its responses private and no-cache instead (no-store would forbid the ETag).
        if user is not None and user.is_authenticated and not request.path.startswith("/api/"):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        return response


class IdleSessionMiddleware:
    """A signed-in session lives SESSION_COOKIE_AGE seconds after its last request: touched at
    most once a minute (a save on every request would cost three queries each), so an idle
    session ends within a minute of its time and an active one never does."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            if now - session.get("renewed_at", 0) >= RENEW_EVERY_SECONDS:
                session["renewed_at"] = now  # modified: SessionMiddleware saves and re-sends it
        return response


def stamp_sign_in(sender, request, user, **kwargs):
    """A fresh sign-in starts the idle clock (saved with the new session, no extra write)."""
    if request is not None and hasattr(request, "session"):
        request.session["renewed_at"] = int(time.time())


def client_ip(request) -> str:
    """The client's address: behind the TLS proxy (SECURE_PROXY_SSL_HEADER set) the last
    X-Forwarded-For entry, which the proxy itself appended; else the socket's address."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and forwarded:
        return forwarded.split(",")[-1].strip()[:45]
    return request.META.get("REMOTE_ADDR", "")[:45]


@csrf_exempt  # browsers post reports without a token
@require_POST
def csp_report(request):
    """Logs a violation report (bounded in size); answers 204 either way."""
    body = request.read(REPORT_MAX_BYTES).decode("utf-8", "replace")
    log.warning("Content-Security-Policy violation: %s", body)
    return HttpResponse(status=204)


def sso_provider_origins() -> list[str]:
    """The single sign-on provider's origins (scheme://host[:port]) from its endpoints, if SSO
    is configured."""
    origins = []
    for name in ("OIDC_OP_AUTHORIZATION_ENDPOINT", "OIDC_OP_END_SESSION_ENDPOINT"):
        parts = urlsplit(getattr(settings, name, "") or "")
        origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
        if origin and origin not in origins:
            origins.append(origin)
    return origins


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the single sign-on provider allowed as a form's target:
    "Log out" posts to /accounts/logout/, which redirects to the provider's end-session page,
    and browsers hold a redirect after a form submission to `form-action` ('self' alone would
    block it). Read per response, so the policy follows the settings in force."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        origins = sso_provider_origins()
        if origins:
            update = dict(parts.update or {})
            update["form-action"] = [*list(update.get("form-action") or []), *origins]
            parts.update = update
        return parts

