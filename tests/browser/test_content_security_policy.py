"""The browser tests run under the real Content-Security-Policy, and a violation is caught: an
inline script injected into a page is refused by Chromium and reported (so the `login`
fixture's check that no page of a test violated the policy means something)."""

import pytest

from tests.browser.helpers import watch_csp

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_an_inline_script_is_refused_and_reported(browser, live_server):
    context = browser.new_context(base_url=live_server.url)
    violations: list[str] = []
    watch_csp(context, violations)
    page = context.new_page()
    page.goto("/accounts/login/")

    page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.inlineRan = true";
        document.body.appendChild(script);
    }""")

    assert page.evaluate("window.inlineRan === undefined")
    for _ in range(100):  # the report reaches Python through the page's binding
        if violations:
            break
        page.wait_for_timeout(50)
    context.close()
    assert any("script-src" in violation for violation in violations), violations
