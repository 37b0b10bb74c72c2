"""Errors as RFC 9457 problem details (application/problem+json), naming the wrong field."""

from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

TITLES = {
    400: "Bad request", 401: "Not signed in", 403: "Forbidden", 404: "Not found",
    405: "Method not allowed", 406: "Not acceptable", 409: "Conflict",
    415: "Unsupported media type",
    422: "Unprocessable content", 429: "Too many requests",
}


def _flatten(detail, prefix="") -> list[dict]:
    """DRF's nested error detail as [{"field": "rows/3/actual", "detail": "…"}]."""
    if isinstance(detail, dict):
        found = []
        for name, value in detail.items():
            field = name if name != "non_field_errors" else ""
            found += _flatten(value, f"{prefix}/{field}".strip("/") if field else prefix)
        return found
    if isinstance(detail, list):
        if all(isinstance(value, str) for value in detail):
            return [{"field": prefix, "detail": " ".join(str(v) for v in detail)}] if detail else []
        found = []
        for index, value in enumerate(detail):
            found += _flatten(value, f"{prefix}/{index}".strip("/"))
        return found
    return [{"field": prefix, "detail": str(detail)}]


def problem(status_code: int, detail: str, *, errors: list[dict] | None = None,
            headers: dict | None = None) -> Response:
    body = {"type": "about:blank", "title": TITLES.get(status_code, "Error"),
            "status": status_code, "detail": detail}
    if errors:
        body["errors"] = errors
    response = Response(body, status=status_code, headers=headers,
                        content_type="application/problem+json")
    return response


def problem_exception_handler(exc, context):
    if isinstance(exc, Http404):
        return problem(404, "Not found, or not yours to see.")
    response = exception_handler(exc, context)
    if response is None:
        return None
    request = context.get("request")
    headers = {name: value for name, value in response.items()
               if name in ("WWW-Authenticate", "Retry-After", "Allow")}
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        code = status.HTTP_422_UNPROCESSABLE_ENTITY if request and request.method != "GET" \
            else status.HTTP_400_BAD_REQUEST
        return problem(code, "Some fields are wrong: see errors.", errors=errors, headers=headers)
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    if isinstance(detail, dict | list):
        return problem(response.status_code, "See errors.", errors=_flatten(detail),
                       headers=headers)
    return problem(response.status_code, str(detail), headers=headers)
