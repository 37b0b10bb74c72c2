"""The embedded default works end to end: with no environment but a SQLite DATABASE_URL, migrate,
`manage.py demo` and every main page of the workflow, the goal library and goal sets, progress
and the dashboards (with their CSV exports) answer each demo persona with 200 or the expected
403/404/302, never a 500, and the dashboards' SQL grades goals as goalsapp.attainment does.

The suite itself runs on PostgreSQL; this test makes its own SQLite file and drives
tests/embedded_walk.py in one subprocess, so it runs (never skipped) wherever the suite does.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
WALK = BASE_DIR / "tests" / "embedded_walk.py"
PERSONAS = {"patricia", "marcus", "elena", "aisha", "daniel", "rosa", "kevin", "samuel",
            "hannah", "luis", "priya", "janet", "admin"}
# A page the walk stops opening would stop being checked: name every one it must cover.
PAGES = {"inbox", "sheet list", "team", "HR queue", "signed sheet", "sheet in clarification",
         "goal editor", "library panel", "library search", "manager's goal editor", "goal sets",
         "goal set apply", "new goal set", "progress of the signed sheet", "my dashboard",
         "team dashboard", "person dashboard", "department by territory", "department by title",
         "department by tier", "workflow overview", "progress import",
         "my dashboard (CSV)", "team dashboard (CSV)", "person dashboard (CSV)",
         "department by territory (CSV)", "department by title (CSV)",
         "department by tier (CSV)", "workflow overview (CSV)",
         "collector KPIs dashboard by collector", "collector KPIs dashboard by tier",
         "collector KPIs dashboard by collector (CSV)"}
WRITES = {"goal set apply preview", "progress upload", "progress import preview",
          "progress import confirm", "team CSV after the import", "progress entry",
          "my dashboard after the entry"}


@pytest.mark.embedded
def test_the_demo_and_every_page_work_on_sqlite_with_no_environment(tmp_path):
    # Nothing but the database: no SECRET_KEY, DEBUG, SSN key, broker or mail host, as a
    # newcomer running scripts/start.sh (PYTHONPATH only so an unusual install still imports).
    # MEDIA_ROOT only so that the demo's archive PDFs go to a temporary folder, not the tree's.
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "MEDIA_ROOT": str(tmp_path / "media")}
    if "PYTHONPATH" in os.environ:
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    run = subprocess.run([sys.executable, str(WALK)], cwd=BASE_DIR, env=env,
                         capture_output=True, text=True, timeout=600)

    marker = "WALK-RESULTS "
    lines = [line for line in run.stdout.splitlines() if line.startswith(marker)]
    assert lines, f"the walk stopped early (exit {run.returncode}):\n" \
                  f"{run.stdout[-3000:]}\n{run.stderr[-6000:]}"
    results = json.loads(lines[-1].removeprefix(marker))

    wrong = [f"{r['persona']} · {r['page']}: {r['status']} (expected {r['expected']})"
             f"{' — ' + r['note'] if r['note'] else ''}"
             for r in results if r["status"] != r["expected"] or r["note"]]
    assert not wrong, "\n".join(wrong)
    assert run.returncode == 0, run.stderr[-3000:]

    checked = {(r["persona"], r["page"]) for r in results}
    missing = {(p, page) for p in PERSONAS for page in PAGES} - checked
    assert not missing, sorted(missing)
    assert WRITES <= {page for _persona, page in checked}
    assert any(page.startswith("dashboard SQL grades 4 goals") for _p, page in checked)
    assert ("-", "each goal's latest entry is marked") in checked
    assert sum(r["status"] == 200 for r in results) > 150
