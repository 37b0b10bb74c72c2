"""Where a page's time goes: renders each of bench/pages.py's pages through Django's test client
(production settings, DEBUG off) on bench/large_set.py's data and prints, per request, the
function calls cProfile counts, the milliseconds (median of --runs, without the profiler), the
queries and the size of the HTML; with --top N, each page's N costliest functions too.

    .venv/bin/python bench/profile_page.py                      # load 1,000 people, then profile
    .venv/bin/python bench/profile_page.py --reuse --only "goal editor" --top 25
    .venv/bin/python bench/profile_page.py --reuse --only "sheet page" --top 40 --ours

Its database is goalpost_bench_profile (or BENCH_DATABASE_URL), dropped and loaded anew unless
--reuse. The function-call counts barely move with the machine's load, so they compare two
versions of a page even on a busy machine where the milliseconds do not.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.database import bench_database_url, recreate_database  # noqa: E402
from bench.pages import CEILING, HOST, PAGES, production_environment  # noqa: E402


def profile(args) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if not args.reuse:
        from bench import large_set

        call_command("migrate", verbosity=0)
        print("loaded", large_set.load(connection, args.employees))
    print(f"{'page':22} {'calls':>9} {'ms':>7} {'queries':>8} {'KB':>6}")
    for page, user_id, url in [CEILING, *PAGES]:
        if args.only and page not in args.only:
            continue
        client = Client(HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
        client.force_login(get_user_model().objects.get(pk=user_id))
        response = client.get(url, secure=True)  # warm: per-process caches, compiled templates
        assert response.status_code == 200, (page, url, response.status_code)
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            client.get(url, secure=True)
            times.append((time.perf_counter() - started) * 1000)
        profiler = cProfile.Profile()
        with CaptureQueriesContext(connection) as queries:
            profiler.enable()
            response = client.get(url, secure=True)
            profiler.disable()
        stats = pstats.Stats(profiler)
        print(f"{page:22} {stats.total_calls:9,d} {statistics.median(times):7.1f} "
              f"{len(queries):8d} {len(response.content) / 1024:6.1f}")
        if args.top:
            out = io.StringIO()
            restrict = [r"/(goalsapp|reviews|config|templates)/"] if args.ours else []
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(
                *restrict, args.top)
            print(out.getvalue())
        if args.sql:
            for query in queries.captured_queries:
                print("   ", query["sql"][:args.sql])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reuse", action="store_true", help="keep the loaded database")
    parser.add_argument("--employees", type=int, default=1_000, help="people to load")
    parser.add_argument("--runs", type=int, default=9, help="timed renders per page")
    parser.add_argument("--only", nargs="*", help="page names to profile (default: all)")
    parser.add_argument("--top", type=int, default=0, help="print each page's N costliest calls")
    parser.add_argument("--ours", action="store_true",
                        help="with --top, only the project's own functions")
    parser.add_argument("--sql", type=int, default=0, help="print each query's first N chars")
    args = parser.parse_args()
    url = bench_database_url("goalpost_bench_profile")
    if not args.reuse:
        recreate_database(url)
    with tempfile.TemporaryDirectory() as folder:
        os.environ.update({**production_environment(url, None, Path(folder)),
                           "STATIC_MANIFEST": "0"})
        profile(args)


if __name__ == "__main__":
    main()
