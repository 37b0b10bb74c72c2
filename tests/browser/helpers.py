"""Shared by the browser tests: a phone's viewport, and what a person reads and does on a
sheet page."""

from playwright.sync_api import BrowserContext, Locator, Page

PHONE = {"width": 390, "height": 844}  # a phone's viewport, for the pages people open on one


def state_badge(page: Page) -> Locator:
    return page.get_by_role("region", name="Employee performance goals").locator(".badge")


def sign(page: Page, action: str, name: str) -> None:
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
