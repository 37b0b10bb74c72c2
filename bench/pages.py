"""Serves Goalpost with gunicorn as production does and drives every main page with wrk beside a
bare signed-in page (the ceiling), printing each page's throughput, latency, CPU per request (of
gunicorn's workers, and of PostgreSQL when it runs on this machine) and its ratios to the
ceiling; then the queries each page runs at 1,000 and at 10,000 people.

    .venv/bin/python bench/pages.py                    # load both data sets, then measure
    .venv/bin/python bench/pages.py --reuse            # measure again without reloading
    .venv/bin/python bench/pages.py --seconds 3 --rounds 1 --only inbox "sheet page"

Production settings (DEBUG off, the static manifest, persistent connections unless
--conn-max-age says otherwise), gunicorn with 2 sync workers (--threads N: gthread workers of N
threads, as production runs them), PostgreSQL on loopback loaded
with bench/large_set.py (10,000 people, 100,000 goals, 1,000,000 progress entries; a second
database with 1,000 people for the query counts). The ceiling is bench/ceiling_urls.py's one-line
signed-in view served by the same settings and workers. For each round, each page runs for
--seconds at 16 connections right after the ceiling does, so both see the same machine; the
figures are medians over --rounds rounds, and the load average is printed beside them.
Installs Debian's wrk when it is missing.
"""

import argparse
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import large_set  # noqa: E402

SERVER = os.environ.get("BENCH_SERVER_URL", "postgres://postgres@127.0.0.1:5432")
LARGE, SMALL = f"{SERVER}/goalpost_bench_pages", f"{SERVER}/goalpost_bench_pages_1k"
HOST = "goalpost.bench.test"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

# (page, the user id who opens it, the URL) on bench/large_set.py's data: supervisor 12 has 98
# reports at 10,000 people; sheet 212 is signed with 10 goals, through the workflow (its answers,
# signatures, SMART checks and history: large_set.WALKED_SHEET); 112 is signed and tracked (the
# dashboards); 200 is drafting (its supervisor is 100); 120 is with its employee for answers;
# 180 waits for HR's SMART review; 1 is HR.
CEILING = ("ceiling", 112, "/bench/ceiling/")
PAGES = [
    ("inbox", 12, "/"),
    ("sheet list", 12, "/sheets/"),
    ("sheet page", 12, "/sheets/212/"),
    ("goal editor", 100, "/sheets/200/edit/"),
    ("answer page", 120, "/sheets/120/answers/"),
    ("SMART page", 1, "/sheets/180/smart/"),
    ("my dashboard", 112, "/dashboards/me/"),
    ("team dashboard", 12, "/dashboards/team/"),
    ("person dashboard", 12, "/dashboards/people/112/"),
    ("department dashboard", 1, "/dashboards/department/"),
    ("notifications", 12, "/notifications/"),
    ("workflow overview", 1, "/dashboards/workflow/"),
]


def production_environment(database_url: str, conn_max_age: str | None, static_root: Path) -> dict:
    from cryptography.fernet import Fernet

    env = {**os.environ,
           "DJANGO_SETTINGS_MODULE": "bench.ceiling_settings",
           "DEBUG": "0",
           "SECRET_KEY": secrets.token_urlsafe(50),
           "SSN_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
           "PUBLIC_URL": f"https://{HOST}",
           "DATABASE_URL": database_url,
           "STATIC_MANIFEST": "1",
           "STATIC_ROOT": str(static_root),
           "MEDIA_ROOT": str(large_set.MEDIA_ROOT),
           "LOG_LEVEL": "WARNING"}
    env.pop("CELERY_BROKER_URL", None)  # page reads queue nothing
    if conn_max_age is not None:
        env["CONN_MAX_AGE"] = conn_max_age
    return env


def run_here(*args: str, env: dict) -> str:
    """This script again, in a process of its own with Django set up for `env`."""
    result = subprocess.run([sys.executable, __file__, *args], env=env, cwd=ROOT,
                            capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"bench/pages.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


# --- inside a process of its own --------------------------------------------------------------

def phase_load(employees: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    print("loaded", large_set.load(connection, int(employees)))


def phase_sessions() -> None:
    """A signed-in session for each user the pages need, as {user id: session key}."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    sessions = {}
    for user_id in sorted({CEILING[1], *(user_id for _, user_id, _ in PAGES)}):
        client = Client()
        client.force_login(get_user_model().objects.get(pk=user_id))
        sessions[user_id] = client.cookies[settings.SESSION_COOKIE_NAME].value
    print(json.dumps(sessions))


def phase_queries() -> None:
    """The queries each page runs, as {page: count}, through Django's test client."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for page, user_id, url in [CEILING, *PAGES]:
        client = Client(HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
        client.force_login(get_user_model().objects.get(pk=user_id))
        client.get(url, secure=True)  # warm: the first request fills per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, secure=True)
        assert response.status_code == 200, (page, url, response.status_code)
        counts[page] = len(queries)
    print(json.dumps(counts))


# --- the driver -------------------------------------------------------------------------------

def recreate_database(url: str) -> None:
    from bench.database import recreate_database as recreate

    recreate(url)


def ensure_wrk() -> str:
    if wrk := shutil.which("wrk"):
        return wrk
    print("==> installing Debian's wrk")
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    subprocess.run([*sudo, "apt-get", "install", "-y", "-q", "wrk"], check=True,
                   env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    return shutil.which("wrk") or sys.exit("wrk is still missing after apt-get install")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children_cpu_seconds(parent: int) -> float:
    """CPU time of a process's children: the live ones', plus what those that ended used, which
    the kernel adds to the parent's children's time (gunicorn's workers, the ones replaced after
    max_requests included; PostgreSQL's backends, the ones closed included)."""
    def times(pid: int, first: int) -> int:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[first]) + int(fields[first + 1])

    total = times(parent, 13)  # cutime, cstime: children that have exited (fields 16 and 17)
    for pid in Path(f"/proc/{parent}/task/{parent}/children").read_text().split():
        try:
            total += times(int(pid), 11)  # utime, stime (fields 14 and 15)
        except FileNotFoundError:
            # Exited between the two reads; the parent's children's time may miss it until it
            # is reaped, a few milliseconds out of a run's seconds.
            continue
    return total / CLOCK_TICKS


def database_server_pid(url: str) -> int | None:
    """The PostgreSQL server's main process (the parent of a session's backend), when it runs
    on this machine and /proc shows it; None otherwise (no database column then)."""
    import psycopg

    with psycopg.connect(url) as connection:
        backend = connection.execute("SELECT pg_backend_pid()").fetchone()[0]
    try:
        fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
        Path(f"/proc/{fields[1]}/task/{fields[1]}/children").read_text()
    except OSError:
        return None
    return int(fields[1])  # ppid


def fetch(port: int, url: str, session: str) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{url}", headers={
        "Host": HOST, "X-Forwarded-Proto": "https", "Cookie": f"sessionid={session}"})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect to the login page must show as a 302, not as its 200


def drive(wrk: str, port: int, url: str, session: str, seconds: int, master: int,
          database: int | None) -> dict:
    # The database's background processes are counted too; they are idle during a run.
    database_before = children_cpu_seconds(database) if database else 0.0
    cpu_before = children_cpu_seconds(master)
    result = subprocess.run(
        [wrk, "-t2", "-c16", f"-d{seconds}s", "--timeout", "30s",
         "-s", str(ROOT / "bench" / "wrk_report.lua"),
         "-H", f"Host: {HOST}", "-H", "X-Forwarded-Proto: https",
         "-H", f"Cookie: sessionid={session}", f"http://127.0.0.1:{port}{url}"],
        capture_output=True, text=True, check=True)
    cpu = children_cpu_seconds(master) - cpu_before
    database_cpu = children_cpu_seconds(database) - database_before if database else float("nan")
    line = next(line for line in result.stdout.splitlines() if line.startswith("WRK-JSON "))
    figures = json.loads(line.removeprefix("WRK-JSON "))
    requests = max(figures["requests"], 1)
    return {"rps": figures["requests"] / (figures["duration_us"] / 1e6),
            "p50": figures["p50_us"] / 1000, "p95": figures["p95_us"] / 1000,
            "p99": figures["p99_us"] / 1000, "cpu_ms": cpu * 1000 / requests,
            "db_ms": database_cpu * 1000 / requests,
            "errors": figures["socket_errors"] + figures["non_2xx_3xx"]}


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def measure(args, wrk: str, pages: list) -> None:
    with tempfile.TemporaryDirectory(prefix="goalpost-bench-pages-") as folder:
        env = production_environment(LARGE, args.conn_max_age, Path(folder) / "static")
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                       env=env, cwd=ROOT, check=True)
        sessions = {int(k): v for k, v in json.loads(run_here("_sessions", env=env)).items()}
        port = free_port()
        log = Path(folder) / "gunicorn.log"
        with log.open("w") as out:
            server = subprocess.Popen(
                [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi",
                 "-c", "gunicorn.conf.py", "--workers", "2", "--worker-class", "sync",
                 # gunicorn.conf.py gives each worker GUNICORN_THREADS threads, and gunicorn
                 # then quietly runs gthread workers even when sync is asked for.
                 "--threads", str(args.threads),
                 "--bind", f"127.0.0.1:{port}", "--access-logfile", "-"],
                env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while fetch_quietly(port) is None:
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit(f"gunicorn did not start:\n{log.read_text()[-3000:]}")
                time.sleep(0.2)
            for page, user_id, url in [CEILING, *pages]:
                status = fetch(port, url, sessions[user_id])
                if status != 200:
                    sys.exit(f"{page} ({url}) answered {status}, not 200:\n"
                             f"{log.read_text()[-3000:]}")
            report(args, wrk, port, server.pid, database_server_pid(LARGE), sessions, pages)
        finally:
            server.terminate()
            server.wait(timeout=30)


def fetch_quietly(port: int):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return None


def report(args, wrk, port, master, database, sessions, pages) -> None:
    workers = ("sync workers" if args.threads == 1
               else f"gthread workers of {args.threads} threads")
    print(f"load average before: {load_average()}  "
          f"(wrk -t2 -c16 -d{args.seconds}s, {args.rounds} rounds, gunicorn 2 {workers})")
    results: dict[str, list[tuple[dict, dict]]] = {page: [] for page, _, _ in pages}
    for round_number in range(1, args.rounds + 1):
        for page, user_id, url in pages:
            ceiling = drive(wrk, port, CEILING[2], sessions[CEILING[1]], args.seconds, master,
                            database)
            figures = drive(wrk, port, url, sessions[user_id], args.seconds, master, database)
            results[page].append((ceiling, figures))
        print(f"  round {round_number} done, load average {load_average()}")
    print()
    print(f"{'page':22} {'req/s':>7} {'ceiling':>8} {'ratio':>6} {'p50':>7} {'p95':>7} "
          f"{'p99':>7} {'CPU/req':>8} {'DB/req':>7} {'errors':>6}   "
          f"(ms; medians of {args.rounds} rounds; CPU: gunicorn's workers, DB: PostgreSQL's)")
    for page, _, _ in pages:
        pairs = results[page]
        runs = [figures for _, figures in pairs]
        # A ceiling run that completed nothing (a machine overloaded for the whole run) gives
        # no ratio; the other rounds still do.
        ratios = [run["rps"] / ceiling["rps"] for ceiling, run in pairs if ceiling["rps"]]
        ratio = statistics.median(ratios) if ratios else float("nan")

        def median(key, runs=runs):
            return statistics.median(run[key] for run in runs)

        ceiling_rps = statistics.median(ceiling["rps"] for ceiling, _ in pairs)
        ceiling_cpu = statistics.median(ceiling["cpu_ms"] for ceiling, _ in pairs)
        ceiling_db = statistics.median(ceiling["db_ms"] for ceiling, _ in pairs)
        errors = sum(run["errors"] for _, run in pairs)
        print(f"{page:22} {median('rps'):7.0f} {ceiling_rps:8.0f} {ratio:6.3f} "
              f"{median('p50'):7.1f} {median('p95'):7.1f} {median('p99'):7.1f} "
              f"{median('cpu_ms'):8.2f} {median('db_ms'):7.2f} {errors:6d}   "
              f"(ceiling CPU/req {ceiling_cpu:.2f}, DB/req {ceiling_db:.2f})")
    print(f"load average after: {load_average()}")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1].startswith("_"):  # a phase in a process of its own
        {"_load": phase_load, "_sessions": phase_sessions,
         "_queries": phase_queries}[sys.argv[1]](*sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="keep the loaded databases")
    parser.add_argument("--seconds", type=int, default=10, help="each wrk run (default 10)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds to take medians of")
    parser.add_argument("--only", nargs="*", help="page names to drive (default: all)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per worker (default 1: sync workers; production runs "
                             "gthread workers of GUNICORN_THREADS threads)")
    parser.add_argument("--conn-max-age", help="CONN_MAX_AGE for gunicorn (default: production's)")
    parser.add_argument("--no-queries", action="store_true", help="skip the query counts")
    args = parser.parse_args()
    pages = [page for page in PAGES if not args.only or page[0] in args.only]
    wrk = ensure_wrk()

    with tempfile.TemporaryDirectory() as folder:
        for url, employees in ((LARGE, 10_000), (SMALL, 1_000)):
            if not args.reuse:
                recreate_database(url)
                env = production_environment(url, None, Path(folder))
                loaded = run_here("_load", str(employees), env=env).strip()
                print(f"{url.rsplit('/', 1)[1]}: {loaded}")
    measure(args, wrk, pages)
    if not args.no_queries:
        with tempfile.TemporaryDirectory() as folder:
            counts = [json.loads(run_here("_queries", env={
                **production_environment(url, None, Path(folder)), "STATIC_MANIFEST": "0"}))
                for url in (SMALL, LARGE)]
        print()
        print(f"{'page':22} {'queries at 1,000 people':>24} {'at 10,000':>10}")
        for page, _, _ in [CEILING, *PAGES]:
            flag = "" if counts[0][page] == counts[1][page] else "   differs"
            print(f"{page:22} {counts[0][page]:24d} {counts[1][page]:10d}{flag}")


if __name__ == "__main__":
    main()
