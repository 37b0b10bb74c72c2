"""ETag and If-None-Match on the API's reads (a middleware: the tag needs the rendered body)."""

from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import patch_vary_headers


class ApiConditionalGetMiddleware(ConditionalGetMiddleware):
    """ETag and If-None-Match (304) on the API's reads only; the pages keep their own caching.
    The tag is the body's hash, so two tokens that see different rows get different tags."""

    def process_response(self, request, response):
        if not request.path.startswith("/api/"):
            return response
        patch_vary_headers(response, ("Authorization", "Cookie"))
        return super().process_response(request, response)
