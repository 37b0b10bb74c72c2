"""Hostile input, property-based: every form and htmx request found on every page the URL
configuration names, as each persona and with sheets in every state, is sent hostile values
by Hypothesis. None may answer 500, show a planted script unescaped, or change anything when
it is refused. A new form is covered without editing this file: it is found on its page.

HOSTILE_EXAMPLES (default 8,000) sets how many hostile requests are generated; with the pages
read after accepted ones that is over 10,000 requests. The run is derandomized, so CI sends the
same requests every time."""

import os
import traceback
from http.cookies import SimpleCookie

import pytest
from django.db import transaction
from django.urls import resolve
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.security import hostile_helpers as fuzz
from tests.security.strategy_helpers import request_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("postgresql_only")]

EXAMPLES = int(os.getenv("HOSTILE_EXAMPLES", "8000"))
FORGED_NAMES = ["goals-99-text", "goals-0-goal_id", "items-0-id", "items-7-text", "version",
                "goal", "employee", "sheet", "period", "next", "csrfmiddlewaretoken"]


@pytest.fixture
def people(employee, supervisor, hr, admin, other_employee):
    return {"anonymous": None, "employee": employee, "supervisor": supervisor, "hr": hr,
            "admin": admin, "outsider": other_employee}


@pytest.fixture
def attack_surface(people, django_capture_on_commit_callbacks):
    """The world, a signed-in client per persona, and everything each of them finds."""
    world = fuzz.build_world(people, django_capture_on_commit_callbacks)
    clients = fuzz.clients_for(people)
    paths = fuzz.page_paths(world)
    endpoints, pages = fuzz.discover(
        clients, {name: paths + (fuzz.admin_paths(client) if name == "admin" else [])
                  for name, client in clients.items()})
    more_endpoints, more_pages = fuzz.discover(clients,
                                               fuzz.preview_pages(clients, endpoints))
    known = {endpoint.key for endpoint in endpoints}
    endpoints += [e for e in more_endpoints if e.key not in known]
    for name, found in more_pages.items():
        pages[name] += found
    return clients, endpoints, pages


def _send(client, method: str, request: dict, htmx: bool):
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    fuzz.STATS["hostile requests"] += 1
    try:
        return getattr(client, method)(request["path"], request["data"], **headers)
    except Exception:  # the test client re-raises what the view raised: that is the 500
        pytest.fail(f"500 on {method.upper()} {request['path']}:\n{traceback.format_exc()}")


def _read(client, path: str):
    fuzz.STATS["pages read after"] += 1
    try:
        return client.get(path)
    except Exception:
        pytest.fail(f"500 on GET {path} after a hostile request:\n{traceback.format_exc()}")


def _assert_sane(response, what: str):
    assert response.status_code < 500, f"{response.status_code} on {what}"
    leak = fuzz.unescaped_marker(response)
    assert leak is None, f"A planted value is unescaped on {what}: {leak!r}"


def test_hostile_values_never_break_a_page_leak_a_script_or_change_a_refused_record(
        attack_surface):
    clients, endpoints, pages = attack_surface
    readable = [(name, path) for name, found in pages.items() for path in found]
    ids = fuzz.object_ids()
    extra_names = sorted({n for e in endpoints for n, _ in e.fields} | set(FORGED_NAMES))
    baseline = fuzz.fingerprint()
    before = fuzz.snapshot()
    cookies = {name: client.cookies.output() for name, client in clients.items()}
    fuzz.STATS["endpoints"] = len(endpoints)
    fuzz.STATS["URL names"] = len({resolve(e.path.split("?")[0]).url_name for e in endpoints})
    assert fuzz.STATS["URL names"] >= 20, "Discovery found too few forms: is a persona broken?"

    @settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
              phases=[Phase.generate, Phase.shrink], print_blob=False,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def attack(data):
        persona = data.draw(st.sampled_from(fuzz.PERSONAS), label="persona")
        endpoint = data.draw(st.sampled_from(endpoints), label="endpoint")
        request = data.draw(request_for(endpoint, ids, extra_names), label="request")
        client = clients[persona]
        what = f"{endpoint} as {persona}"
        try:
            with transaction.atomic():
                response = _send(client, endpoint.method, request, endpoint.htmx)
                _assert_sane(response, what)
                turned_down = fuzz.refused(response)
                if response.status_code in (301, 302, 303) and response["Location"][:1] == "/":
                    after = _read(client, response["Location"])
                    _assert_sane(after, f"the page after {what}")
                    turned_down = turned_down or fuzz.flash_error(after)
                if endpoint.method == "post" and turned_down:
                    if fuzz.fingerprint() != baseline:
                        changed = {model for model, rows in fuzz.snapshot().items()
                                   if rows != before[model]}
                        pytest.fail(f"{what} was refused but changed {sorted(changed)}")
                elif endpoint.method == "post" and fuzz.MARKER in repr(request["data"]):
                    # Accepted with a planted value: someone reads a page it may show.
                    someone = data.draw(st.sampled_from(readable), label="read after")
                    for reader, path in ((persona, endpoint.page), someone):
                        _assert_sane(_read(clients[reader], path), f"{path} as {reader}")
                transaction.set_rollback(True)
        finally:
            # The database was rolled back; the cookies go back too: a logout or login posted
            # above must not sign anyone out, nor a flash message outlive its example.
            client.cookies = SimpleCookie()
            client.cookies.load(cookies[persona].replace("Set-Cookie: ", ""))

    attack()
    assert fuzz.STATS["hostile requests"] >= EXAMPLES
