"""Container health checks that need nothing but Python's standard library (the image has no
curl), so they answer in milliseconds without loading Django:

    python scripts/healthcheck.py web     GET /readyz on this container's gunicorn: 200 is healthy
    python scripts/healthcheck.py beat    beat's schedule file was written in the last 10 minutes

The worker's check is Celery's own: `celery -A config inspect ping -d celery@$HOSTNAME`.
Exit 0 is healthy, 1 is not, with one line saying why.
"""

import glob
import os
import sys
import time
import urllib.error
import urllib.request

BEAT_MAX_AGE = int(os.getenv("BEAT_HEALTH_MAX_AGE", "600"))  # seconds; beat writes every ~4 min


def web() -> str | None:
    url = os.getenv("HEALTHCHECK_URL") or f"http://127.0.0.1:{os.getenv('PORT') or 8000}/readyz"
    try:
        with urllib.request.urlopen(url, timeout=8) as response:
            return None if response.status == 200 else f"{url} answered {response.status}"
    except urllib.error.HTTPError as error:
        return f"{url} answered {error.code}: {error.read(300).decode(errors='replace')}"
    except OSError as error:
        return f"{url} did not answer: {error}"


def beat() -> str | None:
    path = os.getenv("CELERY_BEAT_SCHEDULE_FILENAME", "celerybeat-schedule")
    files = glob.glob(glob.escape(path) + "*")  # dbm may add .db, .dat, .dir
    if not files:
        return f"beat has not written its schedule file {path} yet"
    age = time.time() - max(os.path.getmtime(name) for name in files)
    if age > BEAT_MAX_AGE:
        return f"beat last wrote {path} {age:.0f} s ago (more than {BEAT_MAX_AGE} s)"
    return None


if __name__ == "__main__":
    checks = {"web": web, "beat": beat}
    if len(sys.argv) != 2 or sys.argv[1] not in checks:
        sys.exit(f"usage: python {sys.argv[0]} web|beat")
    problem = checks[sys.argv[1]]()
    if problem:
        sys.exit(f"unhealthy: {problem}")
    print("healthy")
