"""Loads 10,000 employees, 100,000 goals and 1,000,000 progress entries into a database of its own
and prints the median time of each dashboard, rendered through Django's test client.

    .venv/bin/python bench/dashboards.py            # load (drops the bench database first), time
    .venv/bin/python bench/dashboards.py --reuse    # time again without reloading
    BENCH_DATABASE_URL=postgres://…/other .venv/bin/python bench/dashboards.py

The data is bench/large_set.py's, loaded with SQL in seconds (bench/pages.py uses it too).
"""

import os
import statistics
import sys
import time
from pathlib import Path

import large_set  # bench/, this script's folder
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH_URL = os.environ.get("BENCH_DATABASE_URL",
                           "postgres://postgres@127.0.0.1:5432/goalpost_bench_dash")
os.environ["DATABASE_URL"] = BENCH_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
# DEBUG off: no query log kept in memory, templates cached as in production.
os.environ.setdefault("DEBUG", "False")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")

EMPLOYEES, GOALS_PER_SHEET, ENTRIES = 10_000, 10, 1_000_000
RUNS = 9


def recreate_database() -> None:
    server, name = BENCH_URL.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')


def load() -> None:
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print("loaded", large_set.load(connection, EMPLOYEES, GOALS_PER_SHEET, ENTRIES))


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


def main() -> None:
    reuse = "--reuse" in sys.argv
    if not reuse:
        recreate_database()
    import django

    django.setup()
    if not reuse:
        load()
    time_dashboards()


if __name__ == "__main__":
    main()
