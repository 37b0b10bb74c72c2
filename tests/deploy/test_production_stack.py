"""The production processes for real: gunicorn (DEBUG off, gunicorn.conf.py), a Celery worker and
beat, started with the commands docker-compose.yml and the README give, against PostgreSQL and
Redis, behind a simulated TLS proxy. HR logs in over HTTP, loads a sheet with its CSS and htmx
(collected with the manifest), signs, and downloads the PDF the worker archived."""

import hashlib
import re
import sys

import pytest
import yaml
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from goalsapp.models import SheetState
from reviews import services
from reviews.archive.models import SheetArchive
from tests.deploy import processes as proc
from tests.workflow_helpers import ALL_PASS

pytestmark = [pytest.mark.deploy, pytest.mark.redis,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]

COMPOSE = yaml.safe_load((proc.ROOT / "docker-compose.yml").read_text())
PASSWORD = "a-real-password-for-hana"


def compose_command(service: str) -> list[str]:
    return list(COMPOSE["services"][service]["command"])


@pytest.fixture
def sheet_for_hr(sheet, advance, hr):
    """Emma's sheet waiting on HR's signature, every goal passed on all five SMART criteria;
    Hana's password hashed as production hashes it (the tests' fast hasher is not enabled
    there)."""
    advance(sheet, SheetState.HR_REVIEW)
    for goal in sheet.goals.all():
        services.goal_smart_check(goal_id=goal.pk, actor=hr.user, verdicts=ALL_PASS, note="")
    hasher = PBKDF2PasswordHasher()
    hr.user.password = hasher.encode(PASSWORD, hasher.salt())
    hr.user.save(update_fields=["password"])
    return sheet


def test_gunicorn_worker_and_beat_serve_sign_and_archive_as_documented(sheet_for_hr, tmp_path):
    sheet = sheet_for_hr
    port = proc.free_port()
    env = proc.production_environment(tmp_path, HOST="127.0.0.1", PORT=str(port),
                                      WEB_CONCURRENCY="1", GUNICORN_THREADS="2")
    web_log, worker_log, beat_log = (tmp_path / name for name in ("web.log", "worker.log",
                                                                  "beat.log"))
    with (proc.clean_redis(env["CELERY_BROKER_URL"]),
          proc.started(compose_command("worker"), env, worker_log),
          proc.started(compose_command("beat"), env, beat_log)):
        # The image's build step, while the worker and beat start.
        collected = proc.manage("collectstatic", "--noinput", env=env)
        assert collected.returncode == 0, collected.stderr
        assert (tmp_path / "staticfiles" / "staticfiles.json").exists()  # the manifest

        with proc.started(compose_command("web"), env, web_log):
            browser = proc.ProxiedBrowser(port, env["PUBLIC_URL"])
            proc.wait_for(lambda: _answers(browser, "/readyz"), "gunicorn's /readyz", web_log)
            proc.wait_for(lambda: "ready." in worker_log.read_text(), "the worker", worker_log)

            _check_health_and_https(browser)
            _log_in(browser)
            status, _, page = browser.get(f"/sheets/{sheet.pk}/")
            assert status == 200 and b"Emma Ellis" in page
            _check_static_files(browser, page)
            _sign_as_hr(browser, sheet)

            archive = proc.wait_for(lambda: SheetArchive.objects.filter(
                sheet=sheet, status=SheetArchive.Status.RENDERED).first(),
                "the worker's archived PDF", worker_log)
            status, headers, pdf = browser.get(f"/sheets/{sheet.pk}/pdf/")
            assert status == 200 and headers["content-type"] == "application/pdf"
            assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == archive.sha256
            assert "archive.render_archive" in worker_log.read_text()

            # A refused request: one line in the log, no traceback.
            status, _, _ = browser.post("/accounts/logout/", {})
            assert status == 403

            # The health checks the compose file and the image run, run here the same way.
            _check_container_health_checks(env, port, worker_log, beat_log)

    _check_logs(web_log.read_text(), worker_log.read_text(), beat_log.read_text())


def _answers(browser, path) -> bool:
    try:
        return browser.get(path, https=False, headers={"Host": "127.0.0.1"})[0] == 200
    except OSError:
        return False


def _check_health_and_https(browser):
    # Probes come over plain HTTP under an internal host name: answered, never redirected.
    status, headers, body = browser.get("/healthz", https=False, headers={"Host": "10.0.0.7"})
    assert (status, body) == (200, b'{"status": "ok"}')
    status, _, body = browser.get("/readyz", https=False, headers={"Host": "web:8000"})
    assert status == 200
    assert body == (b'{"status": "ok", "checks": {"database": "ok", "migrations": "ok", '
                    b'"broker": "ok", "storage": "ok"}}')
    # A page over plain HTTP is sent to HTTPS; over HTTPS it carries HSTS and a request id.
    status, headers, _ = browser.get("/accounts/login/", https=False)
    assert status == 301 and headers["location"] == "https://goals.example.test/accounts/login/"
    status, headers, _ = browser.get("/accounts/login/")
    assert status == 200
    assert headers["strict-transport-security"] == (
        "max-age=31536000; includeSubDomains; preload")
    assert re.fullmatch(r"[0-9a-f]{32}", headers["x-request-id"])
    # An unknown host is refused with 400, as Django does, not served.
    status, _, _ = browser.get("/accounts/login/", headers={"Host": "evil.example"})
    assert status == 400


def _log_in(browser):
    status, _, page = browser.get("/accounts/login/")
    fields = proc.form_fields(page)
    status, headers, _ = browser.post("/accounts/login/", {
        "csrfmiddlewaretoken": fields["csrfmiddlewaretoken"], "username": "hana",
        "password": PASSWORD})
    assert status == 302, "the login behind the TLS proxy was refused (CSRF origin?)"
    assert "sessionid" in browser.cookies


def _check_static_files(browser, page: bytes):
    css = re.findall(rb'href="(/static/[^"]+\.css)"', page)
    scripts = re.findall(rb'src="(/static/[^"]+\.js)"', page)
    htmx = [src for src in scripts if b"htmx" in src]
    assert css and htmx, page[:2000]
    for url in [*css, *htmx]:
        assert re.search(rb"\.[0-9a-f]{12}\.(css|js)$", url), f"{url} is not a hashed name"
        status, headers, body = browser.get(url.decode())
        assert status == 200 and body, url
        assert "max-age=315360000" in headers["cache-control"], url  # immutable, hashed


def _sign_as_hr(browser, sheet):
    path = f"/sheets/{sheet.pk}/do/sign_hr/"
    status, _, page = browser.get(path)
    assert status == 200
    fields = proc.form_fields(page)
    status, headers, _ = browser.post(path, {
        "csrfmiddlewaretoken": fields["csrfmiddlewaretoken"], "version": fields["version"],
        "typed_name": "Hana Hughes"})
    assert status == 302 and headers["location"] == f"/sheets/{sheet.pk}/"
    sheet.refresh_from_db()
    assert sheet.state == SheetState.SIGNED


def _check_container_health_checks(env, port, worker_log, beat_log):
    web = proc.run([sys.executable, "scripts/healthcheck.py", "web"], env)
    assert web.returncode == 0, web.stderr
    proc.wait_for(lambda: "beat: Starting" in beat_log.read_text(), "beat", beat_log)
    beat = proc.run([sys.executable, "scripts/healthcheck.py", "beat"], env)
    assert beat.returncode == 0, beat.stderr + beat_log.read_text()[-2000:]
    ping = proc.run(proc.venv_command(["celery", "-A", "config", "inspect", "ping",
                                       "--timeout", "10"]), env)
    assert ping.returncode == 0 and "pong" in ping.stdout, ping.stdout + ping.stderr


def _check_logs(web: str, worker: str, beat: str):
    for name, text in (("web", web), ("worker", worker), ("beat", beat)):
        lines = [line for line in text.splitlines() if line.strip()]
        assert lines, f"{name} wrote nothing"
        # Every event once: no line is followed by the same record from a second handler
        # (same time to the millisecond). The same message at another time is a new event: beat
        # sends the outbox task every minute, twice in a slow run.
        doubled = [a for a, b in zip(lines, lines[1:], strict=False) if a == b]
        assert not doubled, f"{name} wrote lines twice: {doubled[:3]}"
        assert "Traceback" not in text, f"{name} logged a traceback:\n{text[-3000:]}"
    access = [line for line in web.splitlines() if "gunicorn.access" in line]
    assert access and all(re.search(r"gunicorn\.access \[[0-9a-f]{32}\] ", line)
                          for line in access), access[:5]
    refused = [line for line in web.splitlines() if "Forbidden (CSRF" in line]
    assert len(refused) == 1, web[-3000:]
