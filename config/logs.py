"""Logging for every process (web, worker, beat, manage.py): one line per event, text or JSON,
with the id of the request that wrote it, and a 403 kept to one line.

settings.LOGGING and gunicorn.conf.py both take their configuration from here, so the access log,
Django's and Celery's lines look alike and each is written once.
"""

import contextvars
import json
import logging
import re
import time
import uuid

REQUEST_ID_HEADER = "X-Request-ID"
# An id a proxy in front already gave the request is kept when it looks like an id; anything
# else (too long, odd characters) is replaced rather than written into the logs.
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# gunicorn's access line; its request id is taken from the X-Request-ID response header this
# module's middleware set (RequestIdFilter), like every other line's.
ACCESS_FORMAT = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'


def current_request_id() -> str:
    return _request_id.get()


class RequestIdMiddleware:
    """Gives each request an id (the proxy's X-Request-ID when it sent a sane one), puts it on
    every log line written while the request runs and returns it in the response header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record: the running request's, or for gunicorn's access line
    the id in the response it logs."""

    def filter(self, record):
        atoms = record.args if record.name == "gunicorn.access" else None
        if isinstance(atoms, dict) and atoms.get("{x-request-id}o", "-") != "-":
            record.request_id = atoms["{x-request-id}o"]
        elif not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


class OneLineRefusals(logging.Filter):
    """A refused request (a 403, or a 400 such as an unknown host) is expected traffic, not a
    fault: log it as one line, without the traceback Django attaches to PermissionDenied and
    SuspiciousOperation. Server errors (5xx) keep theirs."""

    def filter(self, record):
        if 400 <= (getattr(record, "status_code", None) or 0) < 500:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC, ISO 8601), level, logger, message, request_id, and
    for gunicorn's access line the request's method, path, status, size and duration."""

    def format(self, record):
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "process": record.process,
        }
        atoms = record.args if record.name == "gunicorn.access" else None
        if isinstance(atoms, dict):
            entry.update(method=atoms.get("m"), path=atoms.get("U"), query=atoms.get("q"),
                         status=_number(atoms.get("s")), bytes=_number(atoms.get("B")),
                         duration_ms=_number(atoms.get("M")), remote=atoms.get("h"),
                         user_agent=atoms.get("a"))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False, default=str)


def _number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _formatters(log_format: str) -> dict:
    if log_format == "json":
        return {"main": {"()": "config.logs.JsonFormatter"}}
    return {"main": {"format": TEXT_FORMAT}}


def _handler() -> dict:
    return {"class": "logging.StreamHandler", "formatter": "main",
            "filters": ["request_id", "one_line_refusals"]}


_FILTERS = {
    "request_id": {"()": "config.logs.RequestIdFilter"},
    "one_line_refusals": {"()": "config.logs.OneLineRefusals"},
}


def logging_config(log_format: str, level: str) -> dict:
    """settings.LOGGING: one console handler on the root logger; every logger propagates to it
    and none has a handler of its own, so each line is written once."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": _FILTERS,
        "formatters": _formatters(log_format),
        "handlers": {"console": _handler()},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's defaults add a console handler of their own (in DEBUG) under "django"
            # and its server's; replacing them keeps each line to one.
            "django": {"handlers": [], "level": level, "propagate": True},
            "django.server": {"handlers": [], "level": level, "propagate": True},
            "django.db.backends": {"level": "WARNING"},
            # WeasyPrint and fontTools narrate every PDF step and glyph at INFO.
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }


def gunicorn_config(log_format: str, level: str, access_log: bool) -> dict:
    """gunicorn's logconfig_dict: its error and access logs in the same format as the app's,
    each written once by its own handler (they do not propagate to the app's root handler)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": _FILTERS,
        "formatters": _formatters(log_format),
        "handlers": {"gunicorn_console": _handler()},
        "root": {"handlers": ["gunicorn_console"], "level": level},
        "loggers": {
            "gunicorn.error": {"handlers": [], "level": level, "propagate": True,
                               "qualname": "gunicorn.error"},
            "gunicorn.access": {"handlers": [], "level": "INFO" if access_log else "CRITICAL",
                                "propagate": True, "qualname": "gunicorn.access"},
        },
    }
