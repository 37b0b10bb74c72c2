"""bench/load.py's flows keep working: three simulated teams drive their sheets round the whole
workflow (edit, send, answer, submit, both signatures, SMART review, return) for a few seconds
against a live server, and no request fails. Nothing here is timed: speed is the bench's."""

import json
import subprocess
import sys

import pytest

from bench.load_data import prepare
from tests.deploy.processes import ROOT
from tests.factories import ReviewPeriodFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

EVERY_STEP = ("log in", "goal editor: save", "send to employee", "answer a goal (htmx)",
              "submit answers", "sign (supervisor)", "sign (employee)",
              "SMART check a goal (htmx)", "return to supervisor", "dashboard: department")


def test_the_load_benchs_users_go_round_the_workflow_without_a_failed_request(live_server,
                                                                             tmp_path):
    ReviewPeriodFactory()  # open; the teams' goals fall due inside it
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(prepare(3)))
    done = subprocess.run(
        [sys.executable, "bench/load.py", "--host", live_server.url, "--plan", str(plan),
         "--users", "3", "--spawn-rate", "3", "--minutes", "0.35", "--think", "0"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    ran = {line[:34].strip() for line in done.stdout.splitlines()}
    assert set(EVERY_STEP) <= ran, done.stdout
