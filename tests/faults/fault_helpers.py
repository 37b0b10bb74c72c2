"""Shared by the fault tests: publishing this process's tasks to a real broker, a Celery
worker of the project's own started against the test database, and a Redis server of the
test's own that can be stopped and started again."""

import os
import subprocess
from contextlib import contextmanager
from pathlib import Path

import redis

from config.celery import app
from tests.deploy import processes


@contextmanager
def broker(url: str):
    """Publishes this process's tasks to `url` instead of running them eagerly."""
    def reset():
        app.pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None

    saved = app.conf.broker_url, app.conf.task_always_eager
    reset()
    app.conf.update(broker_url=url, task_always_eager=False)
    try:
        yield
    finally:
        reset()
        app.conf.update(broker_url=saved[0], task_always_eager=saved[1])


def worker_environment(broker_url: str, tmp_path: Path, media_root, **extra) -> dict:
    """A worker's environment: the broker, the test database, the test's media folder and
    e-mails written as files into tmp_path/mail."""
    mail = tmp_path / "mail"
    mail.mkdir(exist_ok=True)
    return {**os.environ, "CELERY_BROKER_URL": broker_url,
            "DATABASE_URL": processes.test_database_url(), "MEDIA_ROOT": str(media_root),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail), "DJANGO_SETTINGS_MODULE": "config.settings",
            "CELERY_BEAT_SCHEDULE_FILENAME": str(tmp_path / "celerybeat-schedule"), **extra}


@contextmanager
def celery_worker(env: dict, log: Path, *options: str):
    """`celery -A config worker --pool=solo` (with `options`), ready for the block."""
    command = ["celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
               "--without-mingle", "--without-gossip", "--without-heartbeat", *options]
    with processes.started(command, env, log) as process:
        processes.wait_for(lambda: process.poll() is not None or "ready." in log.read_text(),
                           "the worker to start", log)
        assert process.poll() is None, log.read_text()[-3000:]
        yield process


class OwnRedis:
    """A redis-server on a free loopback port, in tmp_path, that a test may stop and start
    (never the shared one on 6379, which other tests and people use)."""

    def __init__(self, tmp_path: Path):
        self.port = processes.free_port()
        self.dir = tmp_path
        self.url = f"redis://127.0.0.1:{self.port}/1"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.dir)],
            stdout=(self.dir / "redis.log").open("a"), stderr=subprocess.STDOUT)
        processes.wait_for(self._answers, "the test's Redis to answer", self.dir / "redis.log")

    def stop(self):
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None

    def _answers(self) -> bool:
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=1).ping()
        except redis.ConnectionError:
            return False
