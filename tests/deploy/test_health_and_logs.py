"""/healthz and /readyz as a load balancer and Docker see them, and the log lines an operator
reads: one per event, text or JSON, a request id on each, a refusal without a traceback."""

import io
import json
import logging
import sys

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseForbidden
from django.test import RequestFactory
from django.utils.log import log_response

from config import health, logs
from config.celery import app
from tests.deploy import processes as proc

pytestmark = pytest.mark.deploy

READY = {"status": "ok", "checks": {"database": "ok", "migrations": "ok",
                                    "broker": "not configured", "storage": "ok"}}


@pytest.fixture(autouse=True)
def _forget_migrations_check(monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)


def test_healthz_answers_anyone_under_any_host_over_plain_http(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["goals.example.com"]
    response = client.get("/healthz", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies


def test_readyz_checks_database_migrations_broker_and_storage(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/readyz", HTTP_HOST="web")
    assert response.status_code == 200
    assert response.json() == READY


def test_readyz_is_503_and_names_only_the_check_when_storage_cannot_be_written(
        client, db, settings, tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocker / "media"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "checks": {
        **READY["checks"], "storage": "failed"}}
    assert str(blocker) not in response.content.decode()  # the reason is for the log only
    assert "Readiness check storage failed" in caplog.text


def test_readyz_is_503_when_the_configured_broker_is_unreachable(client, db):
    # The probe opens a connection of its own (not the app's pool), so only the address changes.
    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.update(broker_url="redis://127.0.0.1:1/0", task_always_eager=False)
    try:
        response = client.get("/readyz")
    finally:
        app.conf.update(broker_url=saved[0], task_always_eager=saved[1])
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "failed"


def test_readyz_is_503_while_migrations_are_pending(client, db, monkeypatch):
    monkeypatch.setattr(health.MigrationExecutor, "migration_plan",
                        lambda self, targets: [("goalsapp", "9999_future")])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "pending"


def test_a_post_to_a_probe_path_is_not_a_probe(client, db):
    assert client.post("/healthz").status_code == 404


def test_each_response_carries_a_request_id_and_a_proxys_sane_id_is_kept(client, db):
    first = client.get("/accounts/login/")["X-Request-ID"]
    second = client.get("/accounts/login/")["X-Request-ID"]
    assert len(first) == 32 and first != second
    kept = client.get("/accounts/login/", HTTP_X_REQUEST_ID="lb-7f3a.91")
    assert kept["X-Request-ID"] == "lb-7f3a.91"
    odd = client.get("/accounts/login/", HTTP_X_REQUEST_ID="<script>" + "x" * 80)
    assert len(odd["X-Request-ID"]) == 32 and "<" not in odd["X-Request-ID"]


# The lines themselves --------------------------------------------------------------------------

def _written(record: logging.LogRecord, log_format: str) -> str:
    """The record as the configured console handler writes it."""
    config = logs.logging_config(log_format, "INFO")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(logs.RequestIdFilter())
    handler.addFilter(logs.OneLineRefusals())
    formatter = config["formatters"]["main"]
    handler.setFormatter(logs.JsonFormatter() if log_format == "json"
                         else logging.Formatter(formatter["format"]))
    handler.handle(record)
    return stream.getvalue()


def _log_forbidden():
    """What Django does when a view raises PermissionDenied: a warning with the traceback."""
    request = RequestFactory().get("/sheets/7/do/sign_hr/")
    try:
        raise PermissionDenied("Only HR may sign here.")
    except PermissionDenied as error:
        log_response("Forbidden (Permission denied): %s", request.path,
                     response=HttpResponseForbidden(), request=request, exception=error)


def _forbidden_record() -> logging.LogRecord:
    try:
        raise PermissionDenied("Only HR may sign here.")
    except PermissionDenied:
        record = logging.LogRecord("django.request", logging.WARNING, __file__, 1,
                                   "Forbidden (Permission denied): %s", ("/sheets/7/",),
                                   sys.exc_info())
    record.status_code = 403
    return record


def test_a_403_is_one_line_without_its_traceback():
    # Through the console handler settings.LOGGING put on the root logger.
    [console] = [h for h in logging.getLogger().handlers
                 if any(isinstance(f, logs.OneLineRefusals) for f in h.filters)]
    stream = io.StringIO()
    saved = console.setStream(stream)
    try:
        _log_forbidden()
    finally:
        console.setStream(saved)
    written = stream.getvalue()
    assert written.count("\n") == 1 and "Traceback" not in written
    assert "WARNING django.request [-] Forbidden (Permission denied): /sheets/7/do/sign_hr/" in (
        written)


def test_a_server_error_keeps_its_traceback():
    record = _forbidden_record()
    record.status_code = 500
    assert "Traceback" in _written(record, "text")


def test_json_lines_carry_the_request_id_and_parse():
    record = logging.LogRecord("reviews.archive", logging.ERROR, __file__, 1,
                               "Rendering sheet %s failed", (7,), None)
    record.request_id = "abc123"
    entry = json.loads(_written(record, "json"))
    assert entry["message"] == "Rendering sheet 7 failed"
    assert (entry["level"], entry["logger"], entry["request_id"]) == (
        "ERROR", "reviews.archive", "abc123")
    assert entry["time"].endswith("Z")
    refused = _written(_forbidden_record(), "json")
    assert refused.count("\n") == 1 and "exception" not in json.loads(refused)


def test_gunicorn_access_lines_take_the_responses_request_id_and_fields():
    atoms = {"h": "10.0.0.9", "m": "GET", "U": "/sheets/7/", "q": "", "s": "200", "B": "512",
             "M": "41", "a": "Mozilla", "{x-request-id}o": "f" * 32, "r": "GET /sheets/7/ HTTP/1.1",
             "b": "512"}
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, logs.ACCESS_FORMAT,
                               (atoms,), None)
    assert f"gunicorn.access [{'f' * 32}] 10.0.0.9 \"GET /sheets/7/ HTTP/1.1\" 200 512 41ms" in (
        _written(record, "text"))
    entry = json.loads(_written(record, "json"))
    assert (entry["method"], entry["path"], entry["status"], entry["duration_ms"],
            entry["request_id"]) == ("GET", "/sheets/7/", 200, 41, "f" * 32)


def test_a_django_line_is_written_once_in_development(tmp_path):
    # Django's own DEBUG console handler used to print every django.* line a second time.
    env = {"PATH": proc.os.environ["PATH"], "DATABASE_URL": f"sqlite:///{tmp_path / 'db'}",
           "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = proc.run([sys.executable, "-c", "import django, logging; django.setup(); "
                       "logging.getLogger('django.request').warning('only once')"], env)
    assert result.stderr.count("only once") == 1, result.stderr


def test_log_format_json_makes_every_line_json(tmp_path):
    env = {"PATH": proc.os.environ["PATH"], "DATABASE_URL": f"sqlite:///{tmp_path / 'db'}",
           "DJANGO_SETTINGS_MODULE": "config.settings", "LOG_FORMAT": "json"}
    result = proc.run([sys.executable, "-c", "import django, logging, warnings; django.setup(); "
                       "logging.getLogger('reviews').warning('as json'); "
                       "warnings.warn('a library warns')"], env)
    first, second = (json.loads(line) for line in result.stderr.splitlines())
    assert first["message"] == "as json"
    assert (second["logger"], second["level"]) == ("py.warnings", "WARNING")
    assert "UserWarning: a library warns" in second["message"]
