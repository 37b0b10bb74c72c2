"""ETag and If-None-Match on the API's reads (a middleware: the tag needs the rendered body)."""

from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import patch_cache_control, patch_vary_headers


class ApiConditionalGetMiddleware(ConditionalGetMiddleware):
    """ETag and If-None-Match (304) on the API's reads only; the pages keep their own caching.
    The tag is the body's hash, so two tokens that see different rows get different tags."""

    def process_response(self, request, response):
        if not request.path.startswith("/api/"):
            return response
        patch_vary_headers(response, ("Authorization", "Cookie"))
        # Nothing shared may keep it, and every reuse asks again (If-None-Match answers 304).
        patch_cache_control(response, private=True, no_cache=True)
        return super().process_response(request, response)
