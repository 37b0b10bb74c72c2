"""gunicorn's settings for Goalpost's web process: `gunicorn config.wsgi` reads this file from the
working directory (the image's /app, or a checkout's root) by itself.

Every number comes from the environment with a default that suits a small HR department on one
or two cores: PDF previews and small exports are built inside the request, so a worker needs
threads beside it and a timeout that lets a large sheet render.
"""

import os
import sys
from pathlib import Path

# gunicorn runs from its own script's folder on sys.path: the project is beside this file.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from config import deploy, logs  # noqa: E402


def _int(name: str, default: int) -> int:
    value = os.getenv(name, str(default))
    try:
        return int(value)
    except ValueError:
        sys.exit(f"Goalpost cannot start: {name} must be a whole number (it is {value!r}).")


# Refuse to start on a production setting that would fail later, before any worker is forked,
# with the same sentences settings.py uses (and without a traceback).
if not deploy.is_debug(os.environ) and (problems := deploy.production_problems(os.environ)):
    sys.exit(deploy.refusal(problems))

bind = os.getenv("GUNICORN_BIND") or f"{os.getenv('HOST', '0.0.0.0')}:{_int('PORT', 8000)}"
# Processes (WEB_CONCURRENCY, gunicorn's own name) default to one per core plus one, at most 4;
# each runs THREADS threads, so a slow PDF preview does not hold up other people's pages.
workers = _int("WEB_CONCURRENCY", min((os.cpu_count() or 1) + 1, 4))
threads = _int("GUNICORN_THREADS", 4)
worker_class = "gthread"
# A 10-goal preview renders in well under a second; 120 s leaves room for a large sheet or an
# export of ARCHIVE_EXPORT_STREAM_LIMIT files on a slow disk before gunicorn gives up on it.
timeout = _int("GUNICORN_TIMEOUT", 120)
# On SIGTERM or a reload (SIGHUP), requests in flight get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Goalpost runs behind a TLS proxy that keeps connections open to reuse them: if gunicorn closed
# an idle one first, a request the proxy had just sent on it would get no answer (a 502 for the
# person; seen in bench/load.py). So gunicorn waits longer than proxies do (nginx, ALB: 60 s);
# an idle connection costs a gthread worker a socket in its poller, not a thread.
keepalive = _int("GUNICORN_KEEPALIVE", 75)
# Workers are replaced after this many requests (with jitter), so a slow leak never grows.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
# The TLS proxy in front sets X-Forwarded-Proto; gunicorn passes it on to Django (which trusts
# it only when SECURE_PROXY_SSL_HEADER is on) from any address, since the proxy's address is
# not known in advance in a container network. Set FORWARDED_ALLOW_IPS to narrow it.
forwarded_allow_ips = os.getenv("FORWARDED_ALLOW_IPS", "*")
# Access and error logs go to standard error in the app's own format (config/logs.py): one line
# per request, with its request id.
accesslog = "-"
errorlog = "-"
access_log_format = logs.ACCESS_FORMAT
_level = os.getenv("LOG_LEVEL", "INFO").strip().upper()
logconfig_dict = logs.gunicorn_config(
    os.getenv("LOG_FORMAT", "text").strip().lower(), _level,
    access_log=os.getenv("ACCESS_LOG", "1").strip().lower() not in ("0", "false", "no", "off"))
loglevel = _level.lower()
# gunicorn's runtime control socket is not used (reload is SIGHUP, stop is SIGTERM) and would
# be written into $HOME, which the image's user cannot write.
control_socket_disable = True
# Temporary request files in memory rather than on the container's disk.
worker_tmp_dir = os.getenv("GUNICORN_WORKER_TMP_DIR", "/dev/shm" if os.path.isdir("/dev/shm")
                           else None)


def post_worker_init(worker):
    """Once a worker has loaded Django and Goalpost, set what it loaded aside from the garbage
    collector: those objects live as long as the worker, yet every full collection walked all of
    them again (over 100,000), about 1 ms a request on a sheet page, whose rows allocate
    enough to set collections off (bench/pages.py). New objects are collected as before."""
    import gc

    gc.collect()
    gc.freeze()
