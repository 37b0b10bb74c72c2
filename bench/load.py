"""Load test: simulated users (locust, headless) work through Goalpost's real flows against
gunicorn with production settings (DEBUG off) and PostgreSQL on loopback, then print per page the
throughput, p50/p95/p99 and errors, and the gunicorn workers' memory at start and end.

    .venv/bin/python bench/load.py                            # 50 users for 5 minutes
    .venv/bin/python bench/load.py --users 10 --minutes 0.5   # a quick smoke run

Needs the `bench` extra (pip install -e ".[bench]": locust). It (re)creates its own database,
goalpost_bench_load (BENCH_DATABASE_URL to choose another), migrates it, loads `manage.py demo`
and adds one team per user (bench/load_data.py): a supervisor and an employee whose drafting
sheet of three goals the user drives round the workflow again and again, logged in as each of
them and as an HR officer (one per ten users):

    supervisor  inbox, sheet page, goal editor (edit a goal and save), send to employee,
                team dashboard; later: sign
    employee    inbox, answers page, answer each goal (htmx), submit answers, my dashboard;
                later: sign with the acknowledgement
    HR          HR queue, SMART review page, check each goal (htmx), return to supervisor
                (which voids the signatures and starts the round again), department and
                workflow dashboards

A signing step fills whatever the page asks: the typed name, the password when the page asks to
re-authenticate, and every checkbox (the acknowledgement, consent to sign electronically).

Bench-only settings, all of the environment gunicorn gets here: SECURE_COOKIES=0 (plain HTTP on
loopback), GUNICORN_MAX_REQUESTS=0 (a worker is not recycled during the run, so its memory shows
any growth), e-mail to Django's dummy backend and Celery eager (no broker: notices are rendered in
the request, a little more work than in production). Nothing loosens the login throttle or the
API rate limit: the users never type a wrong password and do not call the API. CACHE_URL is
passed on when set (bench/load.py's own environment). The exit code is 1 if any request failed.
"""

import argparse
import base64
import html.parser
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
# locust patches the standard library with gevent when imported: never in a process that uses
# Django's database connections (bench/load_data.py runs in its own).
import gevent  # noqa: E402
import psutil  # noqa: E402
from locust import HttpUser, between, events, task  # noqa: E402
from locust.clients import HttpSession  # noqa: E402
from locust.env import Environment  # noqa: E402

from bench.database import bench_database_url, drop_database, recreate_database  # noqa: E402

STATE = re.compile(r'class="badge state-(\w+)"')
PASSWORD_ASKED = re.compile(r'<input[^>]*type="password"')
PLAN: dict = {}  # filled by main() before the users start: the teams and the password
LOGGED_IN: list[str] = []  # a user's team name once all three of its people have logged in


# Pages as a browser fills them -----------------------------------------------------------------

class _Forms(html.parser.HTMLParser):
    """Every <form> of a page with the values a browser would send as the page stands."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select = self._textarea = None
        self._chosen = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "fields": {},
                               "checkboxes": [], "radios": set(), "passwords": []})
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind == "checkbox":
                self.forms[-1]["checkboxes"].append((name, attrs.get("value") or "on"))
                if "checked" in attrs:
                    fields[name] = attrs.get("value") or "on"
            elif kind == "radio":
                self.forms[-1]["radios"].add(name)
                if "checked" in attrs:
                    fields[name] = attrs.get("value") or "on"
            elif kind == "password":
                self.forms[-1]["passwords"].append(name)
            elif kind not in ("submit", "button", "file", "image", "reset"):
                fields[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select, self._chosen = name, False
        elif tag == "option" and self._select:
            # The selected option, else the first one, as a browser sends it.
            if "selected" in attrs or (self._select not in fields and not self._chosen):
                fields[self._select] = attrs.get("value") or ""
                self._chosen = self._chosen or "selected" in attrs
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


def forms_of(page: str) -> list[dict]:
    parser = _Forms()
    parser.feed(page)
    return parser.forms


def form_with(page: str, field_pattern: str) -> dict | None:
    """The first form with a field whose name matches `field_pattern`."""
    for form in forms_of(page):
        names = [*form["fields"], *form["radios"], *(name for name, _ in form["checkboxes"])]
        if any(re.search(field_pattern, name) for name in names):
            return form
    return None


# One simulated user: a team's sheet round the workflow ------------------------------------------

class Team(HttpUser):
    """A supervisor, their employee and an HR officer, each logged in with their own session,
    moving one sheet round the workflow; each step also opens the pages that person would."""

    wait_time = between(0.5, 1.5)  # a person reads before the next click (--think)

    def on_start(self):
        self.team = PLAN["teams"].pop()
        self.round = 0
        self.as_ = {role: self._logged_in(self.team[role]) for role in
                    ("supervisor", "employee", "hr")}
        LOGGED_IN.append(self.team["supervisor"]["username"])

    def _logged_in(self, person: dict) -> HttpSession:
        session = HttpSession(base_url=self.host, request_event=self.environment.events.request,
                              user=self)
        page = session.get("/accounts/login/", name="login page").text
        form = form_with(page, "^username$")
        fields = {**(form["fields"] if form else {}), "username": person["username"],
                  "password": PLAN["password"]}
        with session.post("/accounts/login/", data=fields, name="log in",
                          catch_response=True) as response:
            if "/accounts/login" in response.url:
                response.failure(f"{person['username']} could not log in")
        return session

    def _get(self, role: str, path: str, name: str) -> str:
        with self.as_[role].get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                # 0: no HTTP answer at all; the connection's error says why.
                response.failure(f"{response.status_code} for {path}"
                                 + (f" ({response.error!r})" if response.error else ""))
            return response.text

    def _post(self, role: str, path: str, fields: dict, name: str, *, htmx=False,
              expect_state: str | None = None, answered_by_asking=None) -> str:
        session = self.as_[role]
        headers = {"X-CSRFToken": session.cookies.get("csrftoken", "")}
        if htmx:
            headers["HX-Request"] = "true"
        with session.post(path, data=fields, name=name, headers=headers,
                          catch_response=True) as response:
            text = response.text
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {path}"
                                 + (f" ({response.error!r})" if response.error else ""))
            elif answered_by_asking and answered_by_asking.search(text):
                pass  # the page asks for what a person then gives: the caller posts again
            elif "alert-danger" in text or "is-invalid" in text:
                refusal = re.search(r'(?:alert-danger|invalid-feedback)[^>]*>(.*?)</div>', text,
                                    re.S)
                reason = re.sub(r"<[^>]+>|\s+", " ", refusal.group(1)) if refusal else "?"
                response.failure(f"refused at {path}: {reason.strip()}")
            elif expect_state and f"state-{expect_state}" not in text:
                response.failure(f"{path} left the sheet in another state than {expect_state}")
            return text

    def _transition(self, role: str, action: str, name: str, expect_state: str,
                    fill=None) -> None:
        path = f"/sheets/{self.team['sheet']}/do/{action}/"
        form = form_with(self._get(role, path, f"{name}: page"), "^version$")
        if form is None:
            return
        fields = dict(form["fields"])
        if fill:
            fill(form, fields)
        text = self._post(role, path, fields, name, expect_state=expect_state,
                          answered_by_asking=PASSWORD_ASKED if fill else None)
        if fill and PASSWORD_ASKED.search(text):
            # The sign-in grew older than SIGNING_REAUTH_MINUTES between the page and the post:
            # the page asks for the password, the person types it and signs again.
            form = form_with(text, "^version$")
            fields = dict(form["fields"])
            fill(form, fields)
            self._post(role, path, fields, f"{name}: after the password", expect_state=expect_state)

    def _sign(self, role: str):
        person = self.team[role]

        def fill(form, fields):
            fields["typed_name"] = person["full_name"]
            for password in form["passwords"]:  # re-authentication, when the page asks
                fields[password] = PLAN["password"]
            for checkbox, value in form["checkboxes"]:  # acknowledgement, e-sign consent
                fields[checkbox] = value
        return fill

    @task
    def next_step(self):
        sheet = self.team["sheet"]
        page = self._get("supervisor", f"/sheets/{sheet}/", "sheet page")
        state = STATE.search(page)
        state = state.group(1) if state else ""
        if state == "drafting":
            self._draft(sheet)
        elif state == "employee_review":
            self._answer(sheet)
        elif state == "supervisor_signature":
            self._get("supervisor", "/", "inbox")
            self._transition("supervisor", "sign_supervisor", "sign (supervisor)",
                             "employee_signature", self._sign("supervisor"))
        elif state == "employee_signature":
            self._get("employee", "/", "inbox")
            self._get("employee", f"/sheets/{sheet}/", "sheet page")
            self._transition("employee", "sign_employee", "sign (employee)", "hr_review",
                             self._sign("employee"))
        elif state == "hr_review":
            self._review(sheet)
        else:
            # A signed or unknown state: nothing of this bench's should get there.
            self.environment.events.request.fire(
                request_type="FLOW", name="sheet state", response_time=0, response_length=0,
                exception=RuntimeError(f"sheet {sheet} in state {state or '?'}"), context={})

    def _draft(self, sheet: int) -> None:
        self._get("supervisor", "/", "inbox")
        self._get("supervisor", "/dashboards/team/", "dashboard: team")
        path = f"/sheets/{sheet}/edit/"
        form = form_with(self._get("supervisor", path, "goal editor"), "TOTAL_FORMS$")
        if form is None:
            return
        fields = dict(form["fields"])
        self.round += 1
        text = next(name for name in fields if re.search(r"-0-text$", name))
        fields[text] = re.sub(r" \(round \d+\)$", "", fields[text]) + f" (round {self.round})"
        self._post("supervisor", path, fields, "goal editor: save")
        self._transition("supervisor", "send_to_employee", "send to employee",
                         "employee_review")

    def _answer(self, sheet: int) -> None:
        self._get("employee", "/", "inbox")
        self._get("employee", "/dashboards/me/", "dashboard: mine")
        page = self._get("employee", f"/sheets/{sheet}/answers/", "answers page")
        form = form_with(page, "^goal-\\d+-answer$")
        # One form for the page; each goal's "Save answer" button posts it by htmx to the goal.
        for answer in sorted(form["radios"] if form else ()):
            goal = answer.split("-")[1]
            fields = {**form["fields"], answer: "okay"}
            self._post("employee", f"/sheets/{sheet}/answers/{goal}/", fields,
                       "answer a goal (htmx)", htmx=True)
        self._transition("employee", "submit_answers", "submit answers",
                         "supervisor_signature")

    def _review(self, sheet: int) -> None:
        self._get("hr", "/hr/queue/", "HR queue")
        self._get("hr", "/dashboards/department/", "dashboard: department")
        self._get("hr", "/dashboards/workflow/", "dashboard: workflow")
        page = self._get("hr", f"/sheets/{sheet}/smart/", "SMART review page")
        form = form_with(page, "^goal-\\d+-specific$")
        # One form for the page; each goal's save button posts it by htmx to the goal.
        goals = sorted({name.split("-")[1] for name, _ in (form["checkboxes"] if form else ())})
        for goal in goals:
            ticked = {name: value for name, value in form["checkboxes"]
                      if name.startswith(f"goal-{goal}-")}
            self._post("hr", f"/sheets/{sheet}/smart/{goal}/", {**form["fields"], **ticked},
                       "SMART check a goal (htmx)", htmx=True)

        def note(form, fields):
            fields["note"] = "Please make the first goal more specific."
        self._transition("hr", "return_to_supervisor", "return to supervisor", "drafting", note)


# The run ---------------------------------------------------------------------------------------

def production_environment(port: int, database_url: str) -> dict:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SSN_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "PUBLIC_URL": f"http://127.0.0.1:{port}",
        "HOST": "127.0.0.1", "PORT": str(port),
        "DATABASE_URL": database_url,
        "SECURE_COOKIES": "0",
        "GUNICORN_MAX_REQUESTS": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING", "ACCESS_LOG": "0",
        "MEDIA_ROOT": tempfile.mkdtemp(prefix="goalpost-bench-load-"),
    }
    env.pop("CELERY_BROKER_URL", None)
    return env


def run(args: list[str], env: dict) -> None:
    done = subprocess.run(args, cwd=REPO, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")


def worker_memory(master: psutil.Process) -> dict[int, float]:
    """Resident memory of each gunicorn worker, in MB, by process id."""
    return {child.pid: child.memory_info().rss / 2**20 for child in master.children()}


def wait_until_ready(port: int, server: subprocess.Popen) -> None:
    for _ in range(120):
        if server.poll() is not None:
            sys.exit("gunicorn stopped while starting: see its output above.")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    sys.exit("gunicorn did not answer /readyz within a minute.")


def percentile(entry, share: float) -> int:
    return int(entry.get_response_time_percentile(share) or 0)


def report(stats, seconds: float) -> int:
    print(f"\n{'page':34} {'requests':>8} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6} "
          f"{'errors':>6}   (ms)")
    for entry in sorted(stats.entries.values(), key=lambda entry: entry.name):
        if not entry.num_requests:
            continue  # the logins, reported apart
        print(f"{entry.name:34} {entry.num_requests:8} {entry.num_requests / seconds:6.1f} "
              f"{percentile(entry, 0.5):6} {percentile(entry, 0.95):6} "
              f"{percentile(entry, 0.99):6} {entry.num_failures:6}")
    total = stats.total
    print(f"{'all':34} {total.num_requests:8} {total.num_requests / seconds:6.1f} "
          f"{percentile(total, 0.5):6} {percentile(total, 0.95):6} {percentile(total, 0.99):6} "
          f"{total.num_failures:6}")
    for error in stats.errors.values():
        print(f"  ERROR x{error.occurrences} {error.method} {error.name}: {error.error}")
    return total.num_failures


def swarm(host: str, users: int, spawn_rate: float, seconds: float,
          master: psutil.Process | None = None) -> int:
    """Runs the users against `host` for `seconds`, prints the table (and the workers' memory
    when gunicorn's master is given); returns the number of failed requests."""
    environment = Environment(user_classes=[Team], host=host, events=events)
    runner = environment.create_local_runner()
    ramp_started = time.perf_counter()
    runner.start(users, spawn_rate=spawn_rate)
    # Logging in is hashing a password (PBKDF2, on purpose slow): 3 logins a user at once would
    # swamp the pages' figures. They are reported apart, and the run is timed from when
    # everybody is in.
    while len(LOGGED_IN) < users and time.perf_counter() - ramp_started < 600:
        gevent.sleep(0.5)
    ramp = time.perf_counter() - ramp_started
    logins = [(entry.name, entry.num_requests, percentile(entry, 0.5),
               percentile(entry, 0.95), entry.num_failures)
              for entry in runner.stats.entries.values() if "log" in entry.name]
    login_failures = sum(entry[-1] for entry in logins)
    runner.stats.reset_all()
    memory_start = worker_memory(master) if master else {}
    load_start = _load()
    gevent.sleep(seconds)
    memory_end = worker_memory(master) if master else {}
    runner.quit()
    print(f"\n{len(LOGGED_IN)} users ({3 * len(LOGGED_IN)} logins) in {ramp:.0f} s:")
    for name, count, p50, p95, failed in logins:
        print(f"  {name:32} {count:8} requests, p50 {p50} ms, p95 {p95} ms, {failed} errors")
    print(f"then {seconds / 60:g} min of work:")
    failures = report(runner.stats, seconds) + login_failures
    if master:
        print("\ngunicorn workers' resident memory (MB), after the logins → at the end:")
        for pid in sorted(memory_start.keys() | memory_end.keys()):
            before, after = memory_start.get(pid), memory_end.get(pid)
            print(f"  worker {pid}: {before or 0:.1f} → {after or 0:.1f}"
                  + ("" if before and after else "  (started or ended during the run)"))
    print(f"load average {load_start} at the start, {_load()} at the end "
          f"({os.cpu_count()} CPUs)")
    return failures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--spawn-rate", type=float, default=5.0, help="users started a second")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--host", help="run against this server instead (no database, no "
                                       "gunicorn of its own); needs --plan")
    parser.add_argument("--plan", help="with --host: the teams, as bench/load_data.py writes them")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean seconds a person pauses between steps (0: none)")
    options = parser.parse_args()
    Team.wait_time = between(options.think / 2, options.think * 1.5)
    if options.host:
        PLAN.update(json.loads(Path(options.plan).read_text()))
        sys.exit(1 if swarm(options.host, options.users, options.spawn_rate,
                            options.minutes * 60) else 0)

    port = options.port or _free_port()
    database_url = bench_database_url("goalpost_bench_load")
    env = production_environment(port, database_url)
    python = sys.executable
    started = time.perf_counter()
    recreate_database(database_url)
    run([python, "manage.py", "migrate", "--verbosity", "0"], env)
    run([python, "manage.py", "demo"], env)
    plan_file = Path(env["MEDIA_ROOT"]) / "plan.json"
    run([python, "bench/load_data.py", str(options.users), str(plan_file)], env)
    PLAN.update(json.loads(plan_file.read_text()))
    print(f"data ready in {time.perf_counter() - started:.0f} s: the demo and "
          f"{options.users} teams in {database_url.rsplit('/', 1)[1]}")

    gunicorn = str(Path(python).with_name("gunicorn"))
    server = subprocess.Popen([gunicorn, "config.wsgi"], cwd=REPO, env=env)
    failures = 1
    try:
        wait_until_ready(port, server)
        master = psutil.Process(server.pid)
        print(f"gunicorn: {len(master.children())} workers × "
              f"{os.getenv('GUNICORN_THREADS', '4')} threads on 127.0.0.1:{port}; "
              f"{options.users} users for {options.minutes:g} min, "
              f"load average {_load()} before")
        failures = swarm(f"http://127.0.0.1:{port}", options.users, options.spawn_rate,
                         options.minutes * 60, master)
    finally:
        server.terminate()
        server.wait(30)
        if not options.keep:
            drop_database(database_url)
    sys.exit(1 if failures else 0)


def _load() -> str:
    return ", ".join(f"{value:.1f}" for value in os.getloadavg())


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


if __name__ == "__main__":
    main()
