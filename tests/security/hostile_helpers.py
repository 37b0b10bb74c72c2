"""The hostile-input run's world and checks: sheets in every workflow state, every page the URL
configuration names (with real ids), what each persona finds on them, hostile values, and the
invariants (no 500, no planted script unescaped, a refused request changes nothing)."""

import datetime
import re
import uuid
from collections import Counter
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from goalsapp import services as goal_services
from goalsapp.ar.models import LedgerLoad, SourceSystem
from goalsapp.ar.services import file_load_map, file_load_start
from goalsapp.models import (
    Competency,
    Employee,
    Goal,
    GoalSet,
    GoalSetItem,
    GoalSheet,
    ProgressEntry,
    ReviewPeriod,
    SheetState,
)
from reviews import services
from reviews.archive.models import ExportJob, SheetArchive
from reviews.calibration_models import RatingTarget
from reviews.closing_models import ClosingReview, ClosingSignature, GoalResult, RatingLevel
from reviews.closing_states import ClosingState
from reviews.models import GoalAnswer, ReviewEvent, Signature, SmartCheck
from reviews.notifications.models import Notification, NotificationPreference
from reviews.workflow import TABLE, current_state
from tests.closing_helpers import advance_closing, open_closing
from tests.factories import GoalFactory, GoalSheetFactory, ReviewPeriodFactory
from tests.security.endpoint_helpers import Endpoint, endpoints_of
from tests.workflow_helpers import STATE_ORDER, advance

S = SheetState
PERSONAS = ("anonymous", "employee", "supervisor", "hr", "admin", "outsider")
# Left to their own tests: the REST API (Schemathesis, tests/api/), SSO callbacks (tests/sso/)
# and responses that are files, not pages (PDFs, CSV templates, ZIPs), which hold no form. The
# admin is reached by its links instead (admin_paths): its URLs are per model and object.
SKIPPED_PREFIXES = ("/admin/", "/api/", "/oidc/", "/static/", "/media/")
ADMIN_LINKS = re.compile(r'href="(/admin/[a-z_]+/[a-z_]+/(?:add/|\d+/change/|\d+/delete/)?)"')
FILE_URLS = {"sheet_pdf", "sheet_pdf_preview", "export_job_download", "progress_import_template",
             "people_sync_template", "closing_pdf"}
STATS = Counter()  # requests sent and endpoints tried, printed by tests/security/conftest.py

# Models whose rows a refused request must leave exactly as they were.
SNAPSHOT_MODELS = (GoalSheet, Goal, GoalAnswer, SmartCheck, Signature, ReviewEvent, GoalSet,
                   GoalSetItem, ProgressEntry, Employee, ReviewPeriod, Notification,
                   NotificationPreference, SheetArchive, ExportJob, LedgerLoad, SourceSystem,
                   ClosingReview, GoalResult, ClosingSignature, RatingLevel,
                   RatingTarget)

MARKER = "gpxss"
SCRIPT = f"<script>alert('{MARKER}')</script>"
TAG = f'"><{MARKER}-tag>'
ATTRIBUTE_DOUBLE = f'" onmouseover="{MARKER}'
ATTRIBUTE_SINGLE = f"' onmouseover='{MARKER}"
# What a planted value looks like when a page failed to escape it.
UNESCAPED = re.compile(
    rf"<script>alert\('{MARKER}'\)|<{MARKER}-tag|\" onmouseover=\"{MARKER}|"
    rf"' onmouseover='{MARKER}".encode())

HOSTILE = (
    "A" * 100_000,
    "\x00", "nul\x00inside", "\u202etxt.exe", "\u202e\u2066RTL\u2069", "😀🧨👩‍👩‍👧‍👦" * 20,
    SCRIPT, TAG, ATTRIBUTE_DOUBLE, ATTRIBUTE_SINGLE, f"<b>{MARKER}</b><img src=x>",
    "1e309", "-1e309", "NaN", "-NaN", "sNaN", "Infinity", "-Infinity", "inf",
    "1" * 30, "-" + "9" * 30, "0." + "1" * 30, "123456789012345678901234567890.123456789",
    "1" * 400, "1e-400", "-0", "0", "-1", "2147483648", "9223372036854775808",
    "99999999999999999999", "0x1A", "1,5", "1_000",
    "0000-00-00", "2027-02-30", "9999-12-31", "0001-01-01", "27-13-45", "2027-06-31T25:61",
    "", " ", "\t", "\r\n", "=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "@SUM(1)",
    "true", "null", "None", "[]", "{}", "%00", "../../../../etc/passwd", "\ufeff", "\uffff",
    "' OR '1'='1", "\\", "%s%s%s%n", "{{ 7*7 }}", "{% debug %}",
)


def hostile_text_examples() -> tuple[str, ...]:
    return HOSTILE


# The world -----------------------------------------------------------------------------------

def build_world(people: dict, capture) -> dict:
    """Emma's sheets in every state (one period each, plus a draft back from a clarification
    round), Oliver's draft, a goal set, actuals on a signed goal, notices and an export job.
    `capture` is pytest-django's django_capture_on_commit_callbacks, so notices and the
    archive are made as after a real commit."""
    emma, oliver = people["employee"], people["outsider"]
    hr_user = people["hr"].user
    sheets = {}
    for number, state in enumerate([*STATE_ORDER, "clarification"]):
        period = ReviewPeriodFactory(name=f"Fuzz {number} {state}")
        sheet = GoalSheetFactory(employee=emma, period=period)
        for position in (1, 2):
            GoalFactory(sheet=sheet, position=position, baseline=Decimal("12"),
                        target=Decimal("20"), due_on=datetime.date(2027, 6, 30))
        with capture(execute=True):
            if state == "clarification":
                advance(sheet, S.EMPLOYEE_REVIEW, hr_user=hr_user)
                goal = sheet.goals.order_by("position").first()
                services.goal_answer(goal_id=goal.pk, actor=emma.user,
                                     answer=GoalAnswer.Answer.NEEDS_CLARIFICATION,
                                     comment="Which accounts count?")
                for other in sheet.goals.exclude(pk=goal.pk):
                    services.goal_answer(goal_id=other.pk, actor=emma.user,
                                         answer=GoalAnswer.Answer.OKAY, comment="")
                sheet.refresh_from_db()
                services.sheet_submit_answers(sheet_id=sheet.pk, actor=emma.user,
                                              version=sheet.version)
            else:
                advance(sheet, state, hr_user=hr_user)
        sheets[str(state)] = GoalSheet.objects.get(pk=sheet.pk)
    # The closing review in each of its states, each on a signed sheet of its own period.
    for number, state in enumerate(ClosingState, start=len(sheets)):
        period = ReviewPeriodFactory(name=f"Fuzz {number} {state}")
        sheet = GoalSheetFactory(employee=emma, period=period)
        for position in (1, 2):
            GoalFactory(sheet=sheet, position=position, baseline=Decimal("12"),
                        target=Decimal("20"), due_on=datetime.date(2027, 6, 30))
        with capture(execute=True):
            advance_closing(open_closing(sheet, hr_user=hr_user), state, hr_user=hr_user)
        sheets[str(state)] = GoalSheet.objects.get(pk=sheet.pk)
    signed_goal = sheets[S.SIGNED].goals.order_by("position").first()
    goal_services.progress_entry_add(goal_id=signed_goal.pk, actor=emma.user,
                                     as_of=datetime.date(2027, 6, 30), actual=Decimal("7"),
                                     today=datetime.date(2027, 7, 2))
    theirs = GoalSheetFactory(employee=oliver, period=sheets[S.DRAFTING].period)
    GoalFactory(sheet=theirs, position=1)
    goal_set = GoalSet(name="Fuzz basics")
    goal_services.goal_set_save(
        actor=people["supervisor"].user, goal_set=goal_set, removed=[],
        items=[GoalSetItem(competency=Competency.objects.first(), text="Resolve 20 disputes.",
                           measure_kind="count", target=Decimal("20"), unit="disputes",
                           direction="higher", due_rule="period_end")])
    ExportJob.objects.create(created_by=people["admin"], description="Fuzz export")
    # AR data: a file waiting for its column match and one mapped, waiting to be applied.
    system = SourceSystem.objects.create(name="Fuzz AR")
    for mapped in (False, True):
        load = file_load_start(actor=hr_user, source_system=system, kind="accounts",
                               upload=SimpleUploadedFile("fuzz.csv", b"No,Name\nA1,Acme\n"))
        if mapped:
            file_load_map(load, {"number": "No", "name": "Name"}, header=["No", "Name"])
    return {"sheets": sheets, "theirs": theirs, "goal_set": goal_set}


def object_ids() -> list[int]:
    """Every id of every kind in the world: posted where an id is expected, someone else's
    included."""
    ids = set()
    for model in (GoalSheet, Goal, GoalSet, GoalSetItem, Employee, Competency, Notification,
                  ExportJob, ReviewPeriod, ClosingReview, RatingLevel):
        ids |= set(model.objects.values_list("pk", flat=True))
    return sorted(ids)


# Pages from the URL configuration -------------------------------------------------------------

def named_routes(resolver=None, prefix=""):
    """(route, name) of every named URL pattern, includes flattened."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from named_routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + str(entry.pattern), entry.name


def _argument_sets(route: str, world: dict) -> list[dict]:
    """Real arguments for a route's parameters, read from its parameter names."""
    names = re.findall(r"<(?:\w+:)?(\w+)>", route)
    if not names:
        return [{}]
    sheets = [*world["sheets"].values(), world["theirs"]]
    if names == ["pk", "action"]:
        return [{"pk": sheet.pk, "action": step.name}
                for step in TABLE if step.is_transition
                for sheet in sheets if current_state(sheet) == step.source]
    if names == ["pk", "goal_id"]:
        return [{"pk": s.pk, "goal_id": s.goals.order_by("position").first().pk} for s in sheets]
    if names == ["pk"] and route.startswith("sheets/"):
        return [{"pk": sheet.pk} for sheet in sheets]
    if names == ["pk"] and route.startswith("notifications/"):
        return [{"pk": pk} for pk in Notification.objects.order_by("pk")
                .values_list("pk", flat=True)[:3]]
    if names == ["pk"]:
        return [{"pk": pk} for pk in ExportJob.objects.values_list("pk", flat=True)]
    if names == ["set_id"]:
        return [{"set_id": world["goal_set"].pk}]
    if names == ["employee_id"]:
        return [{"employee_id": pk} for pk in Employee.objects.values_list("pk", flat=True)]
    if names == ["token"]:
        return [{"token": uuid.UUID(int=7)}]
    if names == ["load_id"]:
        return [{"load_id": pk} for pk in LedgerLoad.objects.order_by("pk")
                .values_list("pk", flat=True)]
    return [dict.fromkeys(names, "x")]


def page_paths(world: dict) -> list[str]:
    """One path per named route and set of real arguments, but files and skipped areas."""
    paths = []
    for route, name in named_routes():
        if name in FILE_URLS:
            continue
        for kwargs in _argument_sets(route, world):
            try:
                path = reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue
            if not path.startswith(SKIPPED_PREFIXES) and path not in paths:
                paths.append(path)
    return paths


def admin_paths(client: Client) -> list[str]:
    """The admin's pages as its index links them: each model's list, add page, and the first
    object's change and delete pages."""
    index = client.get("/admin/")
    STATS["discovery GETs"] += 1
    lists = sorted(set(ADMIN_LINKS.findall(index.content.decode())))
    paths = list(lists)
    for changelist in (p for p in lists if p.count("/") == 4):
        response = client.get(changelist)
        STATS["discovery GETs"] += 1
        objects = [p for p in ADMIN_LINKS.findall(response.content.decode())
                   if p.startswith(changelist) and p.endswith("/change/")]
        if objects:
            paths += [objects[0], objects[0].replace("/change/", "/delete/")]
    return list(dict.fromkeys(paths))


def clients_for(people: dict) -> dict[str, Client]:
    clients = {}
    for name in PERSONAS:
        client = Client()
        if people.get(name) is not None:
            person = people[name]
            client.force_login(getattr(person, "user", person))
        clients[name] = client
    return clients


def is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


def discover(clients: dict[str, Client], paths: dict[str, list[str]]) -> tuple[list, dict]:
    """What each persona finds: the pages that open (200, HTML) and every form and htmx request
    on them, and on the fragments their htmx GETs return. Endpoints are deduplicated across
    personas; `pages` maps each persona to the pages they may read. `paths`: per persona."""
    endpoints: dict[tuple, Endpoint] = {}
    pages: dict[str, list[str]] = {name: [] for name in clients}
    for name, client in clients.items():
        fragments = []
        for path in paths[name]:
            response = client.get(path)
            STATS["discovery GETs"] += 1
            if response.status_code != 200 or not is_html(response):
                continue
            pages[name].append(path)
            for endpoint in endpoints_of(response.content.decode(), path):
                endpoints.setdefault(endpoint.key, endpoint)
                if endpoint.htmx and endpoint.method == "get":
                    fragments.append(endpoint)
        for fragment in fragments:
            response = client.get(fragment.path, dict(fragment.fields), HTTP_HX_REQUEST="true")
            STATS["discovery GETs"] += 1
            if response.status_code == 200 and is_html(response):
                for endpoint in endpoints_of(response.content.decode(), fragment.page):
                    endpoints.setdefault(endpoint.key, endpoint)
    return list(endpoints.values()), pages


# Checks --------------------------------------------------------------------------------------

def fingerprint() -> str:
    """One digest of every row of SNAPSHOT_MODELS, in one query (PostgreSQL)."""
    parts = [f"(SELECT coalesce(md5(string_agg(t::text, ',' ORDER BY t.{m._meta.pk.column})), "
             f"'-') FROM {m._meta.db_table} t)" for m in SNAPSHOT_MODELS]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + " || ".join(parts))
        return cursor.fetchone()[0]


def snapshot() -> dict:
    return {model.__name__: list(model.objects.order_by("pk").values_list())
            for model in SNAPSHOT_MODELS}


# messages.error as base.html and the admin show it.
FLASH_ERRORS = (b"alert alert-danger alert-dismissible", b'<li class="error">')


def flash_error(response) -> bool:
    return any(marker in response.content for marker in FLASH_ERRORS)


def refused(response) -> bool:
    """A request the app turned down: a 4xx, or a page or fragment showing an error."""
    if 400 <= response.status_code < 500:
        return True
    if response.status_code != 200 or not is_html(response):
        return False
    content = response.content
    return b"is-invalid" in content or b"alert-danger" in content or b"errorlist" in content


def unescaped_marker(response) -> bytes | None:
    if not is_html(response):
        return None
    found = UNESCAPED.search(response.content)
    if found is None:
        return None
    start = max(0, found.start() - 200)
    return response.content[start:found.end() + 100]


def preview_pages(clients: dict[str, Client], endpoints: list[Endpoint]) -> dict[str, list]:
    """The pages behind an upload: each upload page that offers a template CSV (`…/template.csv`)
    is sent its own template, as each persona, and the preview it leads to is a page too."""
    found = {name: [] for name in clients}
    for endpoint in endpoints:
        if not endpoint.files or endpoint.method != "post":
            continue
        for name, client in clients.items():
            template = client.get(endpoint.path + "template.csv")
            STATS["discovery GETs"] += 1
            if template.status_code != 200:
                continue
            upload = SimpleUploadedFile("template.csv", template.content, "text/csv")
            response = client.post(endpoint.path, {**dict(endpoint.fields),
                                                   endpoint.files[0]: upload})
            STATS["discovery POSTs"] += 1
            if response.status_code == 302 and response["Location"].startswith("/"):
                found[name].append(response["Location"])
    return found
