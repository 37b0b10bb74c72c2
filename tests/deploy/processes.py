"""Helpers for the deployment tests: a production environment as .env.example documents it,
free loopback ports, long-running processes started and stopped around a test, waiting without
timing anything, and a small HTTP client that behaves like a browser behind a TLS proxy.

Every process binds 127.0.0.1 on a free port and writes only under the test's tmp_path; Redis is
used only at REDIS_URL's database (never 0), flushed before and after.
"""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import redis
from cryptography.fernet import Fernet
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
WAIT = 120  # seconds before giving up on a process: a busy two-core machine is slow


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_database_url() -> str:
    """The test database the processes must share with this test (pytest-django's test_…)."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}")


def test_redis_url() -> str:
    """REDIS_URL, which scripts/test.sh sets to a database of the tests' own. Database 0 is
    refused: these tests flush the database they use."""
    url = os.getenv("REDIS_URL", "redis://127.0.0.1:6379/15")
    number = int((urlsplit(url).path or "/0").strip("/") or 0)
    assert number != 0, (f"REDIS_URL={url} is Redis database 0, which other software uses; "
                         "the deployment tests flush their database. Use another number.")
    return url


@contextmanager
def clean_redis(url: str):
    """The test's own Redis database, empty before the test and emptied after it."""
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    client.ping()  # Redis unreachable: the test fails here, it is never skipped
    client.flushdb()
    try:
        yield client
    finally:
        client.flushdb()
        client.close()


def production_environment(tmp_path: Path, **overrides) -> dict:
    """The environment .env.example asks for in production, with this test's database, Redis
    and folders: DEBUG off, fresh secrets, PUBLIC_URL on https behind a proxy."""
    env = {
        # This interpreter's environment first, as an activated .venv would have it.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SSN_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "PUBLIC_URL": "https://goals.example.test",
        "DATABASE_URL": test_database_url(),
        "CELERY_BROKER_URL": test_redis_url(),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_MANIFEST": "1",
        "STATIC_ROOT": str(tmp_path / "staticfiles"),
        "CELERY_BEAT_SCHEDULE_FILENAME": str(tmp_path / "celerybeat-schedule"),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
    }
    env.update(overrides)
    return {name: value for name, value in env.items() if value is not None}


def run(args: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    """A command of the project run to its end, as an operator would run it."""
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=kwargs.pop("timeout", 300), **kwargs)


def manage(*args: str, env: dict, **kwargs) -> subprocess.CompletedProcess:
    return run([sys.executable, "manage.py", *args], env, **kwargs)


def venv_command(args: list[str]) -> list[str]:
    """`gunicorn …`, `celery …` as the README writes them, from this interpreter's environment."""
    executable = Path(sys.executable).parent / args[0]
    return [str(executable), *args[1:]]


@contextmanager
def started(args: list[str], env: dict, log: Path):
    """A long-running process for the length of the block; stopped with SIGTERM afterwards."""
    with log.open("w") as out:
        process = subprocess.Popen(venv_command(args), cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(condition, what: str, *logs: Path):
    """Polls `condition` until it returns something true; fails, with the logs' tails, if it
    never does. Nothing is timed: the limit only stops a hung test."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.25)
    tails = "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in logs if log.exists())
    raise AssertionError(f"Gave up waiting for {what}.\n{tails}")


class ProxiedBrowser:
    """A browser reaching gunicorn through a TLS-terminating proxy: it sends the public Host, the
    proxy's X-Forwarded-Proto: https, Origin and Referer as a browser does, and keeps cookies
    (Secure ones too, as the connection to the proxy is HTTPS)."""

    def __init__(self, port: int, public_url: str):
        self.port = port
        self.public_url = public_url.rstrip("/")
        self.host = urlsplit(public_url).netloc
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None, *, https: bool = True,
                headers: dict | None = None) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = {"Host": self.host, **(headers or {})}
        if https:
            sent["X-Forwarded-Proto"] = "https"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            sent.update({"Content-Type": "application/x-www-form-urlencoded",
                         "Origin": self.public_url, "Referer": self.public_url + path})
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            content = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    for morsel in SimpleCookie(value).values():
                        self.cookies[morsel.key] = morsel.value
            return response.status, {k.lower(): v for k, v in response.getheaders()}, content
        finally:
            connection.close()

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, form: dict, **kwargs):
        return self.request("POST", path, form, **kwargs)


def form_fields(html: bytes) -> dict:
    """The hidden and filled inputs of a page's form (csrfmiddlewaretoken, version, …)."""
    fields = {}
    for tag in re.findall(rb"<input[^>]*>", html):
        name = re.search(rb'name="([^"]*)"', tag)
        value = re.search(rb'value="([^"]*)"', tag)
        if name:
            fields[name.group(1).decode()] = value.group(1).decode() if value else ""
    return fields
