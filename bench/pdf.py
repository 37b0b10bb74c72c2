"""Benchmark of the PDF archive: median render time of a 10-goal and a 40-goal sheet, and the
throughput of exporting 1,000 archived PDFs (stored files copied into a ZIP, never re-rendered).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/goalpost .venv/bin/python bench/pdf.py

It makes (and drops afterwards) its own database, `goalpost_bench_pdf`, on the server of
DATABASE_URL (or BENCH_DATABASE_URL), and its own media folder in a temporary directory.
Options: --runs N (renders per sheet, default 7), --files N (exported files, default 1000),
--keep (keep the database).
"""

import argparse
import hashlib
import os
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.database import drop_database, on_server_of, recreate_database  # noqa: E402

BENCH_DB = "goalpost_bench_pdf"


def bench_url_for(url: str) -> str:
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        sys.exit("bench/pdf.py needs a PostgreSQL DATABASE_URL (it makes its own database).")
    return os.environ.get("BENCH_DATABASE_URL") or on_server_of(url, BENCH_DB)


def setup_django(url: str, media: Path) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["MEDIA_ROOT"] = str(media)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


# Data -------------------------------------------------------------------------------------------

def make_people():
    from django.contrib.auth import get_user_model

    from goalsapp.models import Employee, ReviewPeriod

    User = get_user_model()

    def person(username, name, number, supervisor=None):
        user = User.objects.create(username=username, first_name=name.split()[0],
                                   last_name=name.split()[1])
        return Employee.objects.create(user=user, full_name=name, employee_number=number,
                                       title="Collections Specialist", territory="North",
                                       work_location="Chicago HQ", supervisor=supervisor)

    boss = person("bench-sam", "Sam Sutton", "B-0001")
    worker = person("bench-emma", "Emma Ellis", "B-0002", boss)
    hr = person("bench-hana", "Hana Hughes", "B-0003")
    period = ReviewPeriod.objects.create(
        name="Bench 2027", starts_on=date(2027, 1, 1), ends_on=date(2027, 12, 31),
        goals_due=date(2027, 1, 31), answers_due=date(2027, 2, 14),
        signatures_due=date(2027, 2, 28), hr_review_due=date(2027, 3, 15))
    return boss, worker, hr, period


def make_sheet(goal_count: int, boss, worker, hr, period):
    """A sheet as full as a real one: goals with answers (a clarification round on every fifth),
    SMART checks with notes, a summary and three signatures."""
    from django.utils import timezone

    from goalsapp.models import Competency, Goal, GoalSheet
    from goalsapp.services import sheet_create
    from reviews.canonical import content_hash
    from reviews.models import GoalAnswer, SmartCheck

    sheet = GoalSheet.objects.filter(employee=worker, period=period).first() or sheet_create(
        employee=worker, period=period)
    sheet.goals.all().delete()
    competencies = list(Competency.objects.all())
    for number in range(1, goal_count + 1):
        goal = Goal.objects.create(
            sheet=sheet, competency=competencies[number % len(competencies)], position=number,
            text=f"Goal {number}: resolve {20 + number} past-due accounts over 90 days by the end "
                 "of each quarter, keeping notes on every promise to pay.",
            target=Decimal(20 + number), unit="accounts", baseline=Decimal(12),
            due_on=date(2027, 1, 1) + timedelta(days=30 + 7 * number % 330))
        GoalAnswer.objects.create(goal=goal, round=1, answer="okay", answered_by=worker.user,
                                  comment="Agreed; the quarterly split works for me.")
        if number % 5 == 0:
            GoalAnswer.objects.filter(goal=goal, round=1).update(
                answer="needs_clarification", comment="Do accounts on a payment plan count?",
                reply="Only plans set up this year count.", replied_by=boss.user)
            GoalAnswer.objects.create(goal=goal, round=2, answer="okay",
                                      answered_by=worker.user)
        SmartCheck.objects.create(goal=goal, checked_by=hr.user, note="Clear and dated.",
                                  **dict.fromkeys(SmartCheck.CRITERIA, True))
    sheet.estimated_total_time = "Twelve months, reviewed quarterly."
    sheet.action_plans = "Weekly call blocks for the 90+ day bucket. " * 4
    sheet.milestones = "Q1 25%, Q2 50%, Q3 75%, Q4 target met."
    sheet.save()
    digest = content_hash(sheet)
    sheet.signatures.all().delete()
    for role, person in (("supervisor", boss), ("employee", worker), ("hr", hr)):
        sheet.signatures.create(role=role, signer=person.user, typed_name=person.full_name,
                                content_hash=digest, signed_at=timezone.now())
    return sheet


def median_render(sheet, runs: int) -> tuple[float, float, int, str]:
    """Median wall-clock and CPU seconds of a render: on a shared machine the wall clock
    includes waiting for a core, the CPU time does not."""
    from reviews.archive.pdf import render_sheet_pdf

    render_sheet_pdf(sheet)  # warm-up: fonts and stylesheets loaded once per process
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        pdf = render_sheet_pdf(sheet)
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu), len(pdf), page_count(pdf)


def page_count(pdf: bytes) -> str:
    try:
        import io

        from pypdf import PdfReader  # a test extra; the count is a nicety
    except ImportError:
        return "?"
    return str(len(PdfReader(io.BytesIO(pdf)).pages))


def store_archives(pdf: bytes, files: int, period) -> None:
    """`files` signed sheets, each with its own stored copy of `pdf` and an archive record."""
    from django.contrib.auth import get_user_model
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils import timezone

    from goalsapp.models import Employee, GoalSheet
    from reviews.archive.models import SheetArchive

    User = get_user_model()
    users = User.objects.bulk_create(User(username=f"bench-{n}") for n in range(files))
    people = Employee.objects.bulk_create(
        Employee(user=user, full_name=f"Collector {n:04d}", employee_number=f"X{n:05d}",
                 title="Collections Specialist", territory="North")
        for n, user in enumerate(users))
    sheets = GoalSheet.objects.bulk_create(
        GoalSheet(employee=person, period=period, state="signed", locked_at=timezone.now(),
                  employee_name=person.full_name,
                  employee_number=person.employee_number, title=person.title)
        for person in people)
    digest, now = hashlib.sha256(pdf).hexdigest(), timezone.now()
    records = []
    for sheet in sheets:
        name = default_storage.save(f"archive/bench/sheet-{sheet.pk}.pdf", ContentFile(pdf))
        records.append(SheetArchive(sheet=sheet, status="rendered", file=name, sha256=digest,
                                    size=len(pdf), rendered_at=now))
    SheetArchive.objects.bulk_create(records)


def time_export(period, admin, target: Path) -> tuple[float, float, int, int]:
    from reviews.archive.exports import ExportFilters, archives_for, export_entries, write_zip

    archives = archives_for(admin, ExportFilters(period_id=period.pk))
    started, started_cpu = time.perf_counter(), time.process_time()
    with open(target, "wb") as out, zipfile.ZipFile(out, "w") as zip_file:
        count = sum(1 for _ in write_zip(zip_file, export_entries(archives)))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - started_cpu
    return elapsed, cpu, count, target.stat().st_size


def time_plain_copy(media: Path, target: Path) -> tuple[float, int]:
    """The same files concatenated with shutil: what the disk alone allows."""
    started = time.perf_counter()
    total = 0
    with open(target, "wb") as out:
        for path in sorted((media / "archive" / "bench").iterdir()):
            with open(path, "rb") as source:
                shutil.copyfileobj(source, out, 256 * 1024)
            total += path.stat().st_size
    return time.perf_counter() - started, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--keep", action="store_true")
    options = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/goalpost")
    bench_url = bench_url_for(url)
    recreate_database(bench_url)
    work = Path(tempfile.mkdtemp(prefix="goalpost-bench-pdf-"))
    try:
        setup_django(bench_url, work / "media")
        from django.contrib.auth import get_user_model

        boss, worker, hr, period = make_people()
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"PDF archive benchmark · {os.cpu_count()} CPUs, load average {load} · "
              f"WeasyPrint {__import__('weasyprint').__version__}")
        for goals in (10, 40):
            sheet = make_sheet(goals, boss, worker, hr, period)
            wall, cpu, size, pages = median_render(sheet, options.runs)
            print(f"render {goals:>2} goals: median {wall:.3f} s wall, {cpu:.3f} s CPU over "
                  f"{options.runs} runs ({pages} pages, {size / 1024:.0f} KiB)")
        from reviews.archive.pdf import render_sheet_pdf

        pdf = render_sheet_pdf(make_sheet(10, boss, worker, hr, period))
        store_archives(pdf, options.files, period)
        admin = get_user_model().objects.create(username="bench-admin", is_staff=True)
        elapsed, cpu, count, zip_size = time_export(period, admin, work / "export.zip")
        print(f"export {count} archived PDFs ({zip_size / 1e6:.1f} MB ZIP): {elapsed:.2f} s "
              f"({cpu:.2f} s CPU), {count / elapsed:.0f} files/s, "
              f"{zip_size / 1e6 / elapsed:.1f} MB/s")
        copy_time, copied = time_plain_copy(work / "media", work / "plain-copy.bin")
        print(f"plain copy of the same files: {copy_time:.2f} s, "
              f"{copied / 1e6 / copy_time:.1f} MB/s (the disk's own pace)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if not options.keep:
            drop_database(bench_url)


if __name__ == "__main__":
    main()
