"""Health probes for load balancers, Docker and Kubernetes: /healthz (this process answers) and
/readyz (it can serve: database reachable, migrations applied, broker reachable when one is
configured, archive storage writable).

They answer before host validation and the HTTPS redirect (a probe comes over plain HTTP from
inside the network, under whatever host name), need no login and say only "ok" or which check
failed; the reason goes to the log, never to the caller.
"""

import logging
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse

log = logging.getLogger(__name__)

HEALTHZ = "/healthz"
READYZ = "/readyz"
_migrations_applied = False  # once true for this process, it stays true


def healthz(request) -> JsonResponse:
    return _answer({"status": "ok"}, 200)


def readyz(request) -> JsonResponse:
    checks = {
        "database": _check(_database),
        "migrations": _check(_migrations),
        "broker": _check(_broker),
        "storage": _check(_storage),
    }
    ready = all(result in ("ok", "not configured") for result in checks.values())
    return _answer({"status": "ok" if ready else "unavailable", "checks": checks},
                   200 if ready else 503)


def _answer(body: dict, status: int) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _check(probe) -> str:
    try:
        return probe()
    except Exception:  # any failure is "not ready"; the detail is for the log only
        log.warning("Readiness check %s failed", probe.__name__.lstrip("_"), exc_info=True)
        return "failed"


def _database() -> str:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def _migrations() -> str:
    global _migrations_applied
    if not _migrations_applied:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            log.warning("Readiness: migrations are not applied; run manage.py migrate")
            return "pending"
        _migrations_applied = True
    return "ok"


def _broker() -> str:
    from config.celery import app

    if app.conf.task_always_eager:
        return "not configured"
    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, timeout=2)
    return "ok"


def _storage() -> str:
    name = default_storage.save(f"health/readyz-{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    default_storage.delete(name)
    return "ok"


class HealthCheckMiddleware:
    """Answers the two probe paths before any other middleware runs (no host check, no redirect,
    no session); every other request passes through untouched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD"):
            if request.path == HEALTHZ:
                return healthz(request)
            if request.path == READYZ:
                return readyz(request)
        return self.get_response(request)
