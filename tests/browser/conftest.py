"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live
server. The browser is Debian's /usr/bin/chromium (never a downloaded one); a missing one fails the
run rather than skipping it.

Every test here uses `live_server`, which needs a transactional database; mark tests with
``@pytest.mark.django_db(transaction=True, serialized_rollback=True)`` so the migrated
competencies and the HR group come back after each flush.
"""

import os
from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from goalsapp.defaults import create_defaults
from goalsapp.library import bind_seed_kpis, load_library
from goalsapp.models import Competency, Employee, GoalTemplate, JobTitle
from tests.browser.helpers import watch_csp
from tests.calibration_helpers import default_rating_scale
from tests.factories import DEMO_PASSWORD

# Playwright's sync API keeps an event loop running in this thread; Django's ORM (used by the
# fixtures in the test thread) would otherwise refuse to run "from an async context".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
TIMEOUT_MS = 15_000

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _plain_http_cookies(settings):
    # The live server speaks plain HTTP; a run with DEBUG=False in the environment would
    # otherwise mark the session and CSRF cookies Secure.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False


@pytest.fixture(autouse=True)
def _default_rows(live_server):
    # An earlier transactional test may have flushed the rows migrations create (competencies,
    # the HR group, the goal library, the rating scale), and the live server's database is not
    # always restored from the serialized copy. Every loader adds only what is missing.
    create_defaults(Competency, Group)
    load_library(GoalTemplate, JobTitle, Competency, Employee)
    bind_seed_kpis(GoalTemplate)
    default_rating_scale()


@pytest.fixture
def login(browser, live_server) -> Iterator[Callable[..., tuple[BrowserContext, Page]]]:
    """login("emma") → (context, page): a fresh browser context signed in through the real login
    form, its page on the inbox. Each call is another person at another browser."""
    contexts: list[BrowserContext] = []
    violations: list[str] = []

    def _login(username: str, *, viewport: dict | None = None) -> tuple[BrowserContext, Page]:
        context = browser.new_context(base_url=live_server.url, viewport=viewport or DESKTOP)
        context.set_default_timeout(TIMEOUT_MS)
        watch_csp(context, violations)
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name="Waiting on me")).to_be_visible()
        return context, page

    yield _login
    for context in contexts:
        context.close()
    # The Content-Security-Policy is enforced in these tests: any violation fails the test.
    assert violations == [], f"Content-Security-Policy violations: {violations}"
