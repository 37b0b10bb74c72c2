"""Loads the AR ledger at scale into a database of its own: 500 collectors, 20,000 customer
accounts, 1,000,000 invoices and 2,000,000 payments written as CSV exports and loaded through
the "AR data" page's own service (mapped, checked, COPY, upsert), then loaded again (nothing
changes), and prints how long each took with the machine's load average.

    .venv/bin/python bench/ar.py                    # everything (drops the bench database first)
    .venv/bin/python bench/ar.py --only load        # only the load timings
    .venv/bin/python bench/ar.py --invoices 100000 --payments 200000   # a quick run
    BENCH_DATABASE_URL=postgres://…/other_bench .venv/bin/python bench/ar.py

Each measurement is a function in STEPS (`--only` picks them); a step gets the prepared
`Bench` and prints its own lines. The KPI recompute and dashboard timings join as steps.
"""

import argparse
import base64
import csv
import os
import random
import secrets
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.database import bench_database_url, recreate_database  # noqa: E402

BENCH_URL = bench_database_url("goalpost_bench_ar")
os.environ["DATABASE_URL"] = BENCH_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DEBUG", "False")  # no query log kept in memory
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("SSN_ENCRYPTION_KEYS", base64.urlsafe_b64encode(os.urandom(32)).decode())

COLLECTORS, ACCOUNTS, INVOICES, PAYMENTS = 500, 20_000, 1_000_000, 2_000_000
FIRST_DAY = date(2026, 1, 1)

# The people: user 1 is HR (who loads), users 2 … collectors + 1 are collectors C00001 ….
PEOPLE_SQL = [
    """INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, email,
                              is_staff, is_active, date_joined)
       SELECT g, '!', false, 'u' || g, 'Person', g::text, 'u' || g || '@bench.example', false,
              true, now() FROM generate_series(1, %(collectors)s + 1) g""",
    """INSERT INTO auth_user_groups (user_id, group_id)
       SELECT 1, id FROM auth_group WHERE name = 'HR'""",
    """INSERT INTO goalsapp_employee (id, user_id, employee_number, full_name, title, territory,
                                      work_location, performance_tier, supervisor_id, is_active,
                                      ssn_encrypted)
       SELECT g, g, CASE WHEN g = 1 THEN 'HR0001' ELSE 'C' || lpad((g - 1)::text, 5, '0') END,
              'Person ' || g, CASE WHEN g = 1 THEN 'HR Officer' ELSE 'Collections Specialist' END,
              'Territory ' || lpad((1 + g %% 20)::text, 2, '0'), 'Office', 'core', NULL, true, ''
       FROM generate_series(1, %(collectors)s + 1) g""",
    "SELECT setval('auth_user_id_seq', %(collectors)s + 1)",
    "SELECT setval('goalsapp_employee_id_seq', %(collectors)s + 1)",
]


@dataclass
class Bench:
    """What the steps share: the sizes, the folder of CSV files, the loading user."""

    collectors: int
    accounts: int
    invoices: int
    payments: int
    folder: Path

    def file(self, kind: str) -> Path:
        return self.folder / f"{kind}.csv"


def load_average() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def prepare(bench: Bench) -> None:
    """A fresh bench database with the people, and the CSV exports written."""
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        for statement in PEOPLE_SQL:
            cursor.execute(statement, {"collectors": bench.collectors})
    started = time.perf_counter()
    write_files(bench)
    sizes = ", ".join(f"{kind} {bench.file(kind).stat().st_size / 1e6:.0f} MB"
                      for kind in ("accounts", "invoices", "payments"))
    print(f"wrote the exports in {time.perf_counter() - started:.1f} s ({sizes})")


def write_files(bench: Bench) -> None:
    """The exports as an AR system writes them: its own column names (the mapping step maps
    them), thousands commas in amounts, every payment for an invoice of the invoices file."""
    rng = random.Random(17)
    with bench.file("accounts").open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Customer No", "Customer Name", "Collector", "Region"])
        for n in range(1, bench.accounts + 1):
            writer.writerow([f"A{n:07d}", f"Customer {n}", f"C{1 + n % bench.collectors:05d}",
                             f"Territory {1 + n % 20:02d}"])
    days = [(FIRST_DAY + timedelta(days=d)).isoformat() for d in range(400)]
    with bench.file("invoices").open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Invoice No", "Customer No", "Invoice Date", "Due Date", "Amount",
                         "Balance"])
        for n in range(1, bench.invoices + 1):
            issued = rng.randrange(300)
            cents = rng.randrange(10_000, 5_000_000)
            writer.writerow([f"I{n:08d}", f"A{1 + n % bench.accounts:07d}", days[issued],
                             days[issued + 30], f"{cents / 100:,.2f}",
                             f"{cents // 3 / 100:.2f}"])
    with bench.file("payments").open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["Receipt No", "Invoice No", "Receipt Date", "Amount"])
        for n in range(1, bench.payments + 1):
            cents = rng.randrange(100, 100_000)
            writer.writerow([f"P{n:08d}", f"I{1 + n % bench.invoices:08d}",
                             days[rng.randrange(30, 399)], f"{cents / 100:.2f}"])


MAPPINGS = {
    "accounts": {"number": "Customer No", "name": "Customer Name", "collector": "Collector",
                 "territory": "Region"},
    "invoices": {"number": "Invoice No", "account": "Customer No", "issued_on": "Invoice Date",
                 "due_on": "Due Date", "amount": "Amount", "open_balance": "Balance"},
    "payments": {"number": "Receipt No", "invoice": "Invoice No", "paid_on": "Receipt Date",
                 "amount": "Amount"},
}


def backend_cpu_seconds() -> float:
    """CPU time the database server's process for this connection has used (it runs on this
    machine): with the loader's own CPU time, what a load costs whatever else is running."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def load_file(bench: Bench, kind: str):
    """One file through the page's path: a load of the stored file, mapped, applied; returns
    the result, the seconds it took, and the CPU seconds of the loader and of the database."""
    from django.contrib.auth import get_user_model

    from goalsapp.ar import services
    from goalsapp.ar.models import LedgerLoad, SourceSystem

    system, _ = SourceSystem.objects.get_or_create(name="Bench AR")
    hr = get_user_model().objects.get(pk=1)
    load = LedgerLoad.objects.create(kind=kind, source_system=system, file_name=f"{kind}.csv",
                                     file=f"{kind}.csv", loaded_by=hr)
    services.file_load_map(load, MAPPINGS[kind], header=list(MAPPINGS[kind].values()))
    started, cpu, database = time.perf_counter(), time.process_time(), backend_cpu_seconds()
    result = services.file_load_apply(load)
    return (result, time.perf_counter() - started, time.process_time() - cpu,
            backend_cpu_seconds() - database)


def step_load(bench: Bench) -> None:
    """Loading the exports, then loading them again (idempotent: nothing changes). Besides
    the wall-clock seconds, the CPU seconds the loader (Python) and the database used: on a
    busy machine the wall clock says how busy it was, the CPU seconds what the load costs."""
    print(f"{'load':28} {'rows':>10} {'new':>10} {'changed':>8} {'unchanged':>10} "
          f"{'seconds':>8} {'cpu py':>7} {'cpu db':>7}")
    totals = {}
    for attempt in ("first load", "re-load"):
        total = [0.0, 0.0, 0.0]
        for kind in ("accounts", "invoices", "payments"):
            result, seconds, cpu, database = load_file(bench, kind)
            if kind != "accounts":
                total = [total[0] + seconds, total[1] + cpu, total[2] + database]
            print(f"{kind + ', ' + attempt:28} {result.total:10,} {result.created:10,} "
                  f"{result.updated:8,} {result.unchanged:10,} {seconds:8.1f} {cpu:7.1f} "
                  f"{database:7.1f}")
        totals[attempt] = total
    for attempt, (seconds, cpu, database) in totals.items():
        print(f"invoices + payments, {attempt}: {seconds:.1f} s (CPU: loader {cpu:.1f} s, "
              f"database {database:.1f} s; target: under 120 s)")
    print(f"load average after loading: {load_average()}")


STEPS = {"load": step_load}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=list(STEPS), action="append",
                        help="run only this step (repeatable); default every step")
    parser.add_argument("--collectors", type=int, default=COLLECTORS)
    parser.add_argument("--accounts", type=int, default=ACCOUNTS)
    parser.add_argument("--invoices", type=int, default=INVOICES)
    parser.add_argument("--payments", type=int, default=PAYMENTS)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="goalpost-bench-ar-") as folder:
        # The loads' files are read from storage, as the page's uploads are.
        os.environ["MEDIA_ROOT"] = folder
        bench = Bench(options.collectors, options.accounts, options.invoices, options.payments,
                      Path(folder))
        recreate_database(BENCH_URL)
        import django

        django.setup()
        print(f"load average before: {load_average()}")
        prepare(bench)
        for name in options.only or list(STEPS):
            STEPS[name](bench)


if __name__ == "__main__":
    main()
