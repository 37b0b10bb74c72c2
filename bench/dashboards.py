"""Loads 10,000 employees, 100,000 goals and 1,000,000 progress entries into a database of its own
and prints the median time of each dashboard, rendered through Django's test client, and of
HR's department dashboard when no figures are kept (its first request in a worker process).

    .venv/bin/python bench/dashboards.py            # load (drops the bench database first), time
    .venv/bin/python bench/dashboards.py --reuse    # time again without reloading
    .venv/bin/python bench/dashboards.py --employees 500   # a quick run (100 entries each)
    BENCH_DATABASE_URL=postgres://…/other .venv/bin/python bench/dashboards.py

The data is bench/large_set.py's, loaded with SQL in seconds (bench/pages.py uses it too).
"""

import argparse
import base64
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import large_set  # noqa: E402
from bench.database import bench_database_url, recreate_database  # noqa: E402

BENCH_URL = bench_database_url("goalpost_bench_dash")
os.environ["DATABASE_URL"] = BENCH_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("LOG_LEVEL", "WARNING")  # not a line per test-client login
os.environ.setdefault("MEDIA_ROOT", str(large_set.MEDIA_ROOT))  # the walked sheet's PDF
# DEBUG off: no query log kept in memory, templates cached as in production.
os.environ.setdefault("DEBUG", "False")
# Production settings refuse to start without a strong key and an SSN key (config/deploy.py).
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("SSN_ENCRYPTION_KEYS", base64.urlsafe_b64encode(os.urandom(32)).decode())

EMPLOYEES, GOALS_PER_SHEET, ENTRIES = 10_000, 10, 1_000_000
RUNS = 9


def load(employees: int, entries: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print("loaded", large_set.load(connection, employees, GOALS_PER_SHEET, entries))


def time_dashboards() -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    User = get_user_model()
    hr, manager, supervisor, collector = (User.objects.get(pk=pk) for pk in (1, 2, 12, 112))
    cases = [
        ("collector · my dashboard", collector, "/dashboards/me/"),
        ("supervisor · team (100 reports)", supervisor, "/dashboards/team/"),
        ("supervisor · a report's dashboard", supervisor, "/dashboards/people/112/"),
        ("manager · team, whole line (1,000)", manager, "/dashboards/team/?scope=line"),
        ("manager · department by territory", manager, "/dashboards/department/"),
        ("HR · department by territory", hr, "/dashboards/department/?group_by=territory"),
        ("HR · department by title", hr, "/dashboards/department/?group_by=title"),
        ("HR · department by tier, filtered", hr,
         "/dashboards/department/?group_by=tier&territory=Territory+03"),
        ("HR · department CSV export", hr, "/dashboards/department/?export=csv"),
        ("HR · workflow overview", hr, "/dashboards/workflow/"),
    ]
    print(f"{'dashboard':42} {'median':>9} {'max':>9}   (ms, {RUNS} runs after a warm-up)")
    for label, user, url in cases:
        client = Client()
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        timings = []
        for _ in range(RUNS):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        print(f"{label:42} {statistics.median(timings):9.1f} {max(timings):9.1f}")
    time_first_requests(hr)


def time_first_requests(hr) -> None:
    """The department dashboard when no figures are kept: the first request in a new worker
    process, or after a signing or a change of people (new actuals bring them forward)."""
    from django.test import Client

    from goalsapp import figures_cache

    client = Client()
    client.force_login(hr)
    url = "/dashboards/department/?group_by=territory"
    timings = []
    for _ in range(RUNS):
        figures_cache.forget_all()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    print(f"{'HR · department, no figures kept':42} {statistics.median(timings):9.1f} "
          f"{max(timings):9.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="time the loaded database again")
    # The people's shape (1 HR, 10 managers, 100 supervisors) needs a few hundred at least.
    parser.add_argument("--employees", type=int, default=EMPLOYEES)
    options = parser.parse_args()
    employees = max(200, options.employees)
    if not options.reuse:
        recreate_database(BENCH_URL)
    import django

    django.setup()
    if not options.reuse:
        load(employees, ENTRIES * employees // EMPLOYEES)
    time_dashboards()


if __name__ == "__main__":
    main()
