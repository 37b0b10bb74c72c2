"""Shared by the browser tests: a phone's viewport, what a person reads and does on a sheet
page, and the axe-core accessibility check."""

from functools import lru_cache
from pathlib import Path

from playwright.sync_api import BrowserContext, Locator, Page

PHONE = {"width": 390, "height": 844}  # a phone's viewport, for the pages people open on one


def state_badge(page: Page) -> Locator:
    return page.get_by_role("region", name="Employee performance goals").locator(".badge")


CONSENT_LABEL = "I agree to sign electronically"


def sign(page: Page, action: str, name: str) -> None:
    """Types the name and signs; the consent to sign electronically is given when the page
    asks for it (a demo person's first signature)."""
    consent = page.get_by_label(CONSENT_LABEL)
    if consent.count():
        consent.check()
    page.get_by_label("Type your full name to sign").fill(name)
    page.get_by_role("button", name=action).click()


CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"} `
                        + `at ${event.documentURI}:${event.lineNumber}`);
});
"""


def watch_csp(context: BrowserContext, violations: list[str]) -> None:
    """Every Content-Security-Policy violation on any page of `context` lands in `violations`:
    the browser's own event, and its console line in case a page dies before the event."""
    def report(text: str) -> None:
        violations.append(text)

    context.expose_function("__cspViolation", report)
    context.add_init_script(CSP_LISTENER)
    context.on("console", lambda message: violations.append(message.text)
               if "Content Security Policy" in message.text else None)

# Accessibility: axe-core, fetched from npm by scripts/axe.sh, run inside the page -------------

AXE_FILE = Path(__file__).resolve().parents[2] / ".cache" / "axe-core" / "axe.min.js"
# WCAG 2.0-2.2, levels A and AA: what an HR system used by everyone must meet.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = ("serious", "critical")


@lru_cache(maxsize=1)
def _axe_source() -> str:
    if not AXE_FILE.is_file():
        raise AssertionError(f"{AXE_FILE} is missing: run `bash scripts/axe.sh` (test.sh does).")
    return AXE_FILE.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict]:
    """axe-core's serious and critical violations on the page as it is now, each with the
    rule, its help text and the first offending elements. No network: the file is local, and
    evaluate() runs it whatever the page's Content-Security-Policy says."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    results = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})).violations", AXE_TAGS)
    return [{"rule": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"][:3]]}
            for v in results if v["impact"] in BLOCKING]


def assert_accessible(page: Page, where: str = "") -> None:
    found = axe_violations(page)
    assert not found, f"axe on {where or page.url}: {found}"
