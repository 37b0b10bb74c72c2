"""WCAG 2.2 AA, checked by axe-core on every page each persona of the demo can reach: from the
inbox, every link the person sees is followed (one page per kind of URL, so a sheet page is
checked once per person, not once per sheet) and axe must find nothing serious or critical."""

import re
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from tests.browser.helpers import axe_violations

pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Every role of the demo department: employees at each of their steps, supervisors, their
# manager, HR and the admin.
PERSONAS = ["hannah", "samuel", "elena", "marcus", "patricia", "janet", "admin"]
# Not pages: files, actions behind a confirmation, and Django's own admin (not Goalpost's UI).
SKIPPED = re.compile(r"/accounts/logout/|/admin/|/pdf/|\.csv|/download/|format=|/read-all/"
                     r"|/read/$")
MAX_PAGES = 40


def kind_of(path: str) -> str:
    """/sheets/12/do/sign_hr/ → /sheets/#/do/sign_hr/: one check per kind of page."""
    parts = urlsplit(path)
    query = re.sub(r"=\d+", "=#", parts.query)
    return re.sub(r"/\d+/", "/#/", parts.path) + ("?" + query if query else "")


def links_on(page) -> list[str]:
    return page.eval_on_selector_all(
        "a[href]", "links => links.map(a => a.getAttribute('href'))")


@pytest.fixture
def demo(live_server):
    call_command("demo", stdout=StringIO())


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_page_a_persona_reaches_passes_axe(demo, login, persona):
    _, page = login(persona)
    queue, seen, checked, problems = ["/"], {kind_of("/")}, [], {}
    while queue and len(checked) < MAX_PAGES:
        path = queue.pop(0)
        response = page.goto(path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        checked.append(path)
        if found := axe_violations(page):
            problems[path] = found
        for href in links_on(page):
            if not href.startswith("/") or href.startswith("//") or SKIPPED.search(href):
                continue
            href = href.split("#")[0]
            if kind_of(href) not in seen:
                seen.add(kind_of(href))
                queue.append(href)
    assert len(checked) >= 5, checked  # the crawl really walked the site
    assert not problems, problems
