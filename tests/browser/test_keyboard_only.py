"""The whole workflow with the keyboard only — no mouse, no click(): draft, answer, clarify,
sign, SMART review and HR signature, each person moving with Tab (and the arrow keys inside a
radio group), typing, Space and Enter, as someone who cannot use a pointer would."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.helpers import state_badge
from tests.factories import DEMO_PASSWORD

pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MAX_TABS = 400
DESKTOP = {"width": 1280, "height": 800}
TIMEOUT_MS = 15_000
QUESTION = "Which accounts count towards this goal?"
REPLY = "Every account assigned to you on January 1."
CRITERIA = ("Specific", "Measurable", "Achievable", "Relevant", "Time-bound")


def tab_to(page: Page, target: Locator) -> None:
    """Presses Tab until `target` has the focus; fails if it never gets there."""
    target.wait_for()
    for _ in range(MAX_TABS):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def press(page: Page, target: Locator, key: str = "Enter") -> None:
    tab_to(page, target)
    page.keyboard.press(key)


def type_into(page: Page, target: Locator, text: str) -> None:
    tab_to(page, target)
    page.keyboard.type(text)


@pytest.fixture
def person(browser, live_server):
    contexts = []

    def sign_in(username: str) -> Page:
        context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        type_into(page, page.get_by_label("Username"), username)
        type_into(page, page.get_by_label("Password"), DEMO_PASSWORD)
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", name="Waiting on me")).to_be_visible()
        return page

    yield sign_in
    for context in contexts:
        context.close()


def next_step(page: Page, step: str) -> None:
    """From the inbox, the next-step button of Emma's sheet."""
    page.goto("/")
    press(page, page.get_by_role("row").filter(has_text="Emma Ellis")
          .get_by_role("link", name=step))
    expect(page).not_to_have_url(re.compile(r"://[^/]+/$"))  # the step's page, not the inbox


def confirm(page: Page, action: str, state: str) -> None:
    press(page, page.get_by_role("button", name=action, exact=True))
    expect(state_badge(page)).to_have_text(state)


def answer_all(page: Page, clarify_first: bool) -> None:
    rows = page.get_by_test_id("answer-row")
    for index in range(rows.count()):
        row = rows.nth(index)
        okay = row.get_by_label("Okay", exact=True)
        if row.get_by_role("radio", checked=True).count() == 0:
            press(page, okay, "Space")  # Tab enters the group on its first radio
        else:
            tab_to(page, row.get_by_role("radio", checked=True))
        if clarify_first and index == 0:
            page.keyboard.press("ArrowDown")  # the arrow moves to "Needs Clarification"
            expect(row.get_by_label("Needs Clarification", exact=True)).to_be_checked()
            type_into(page, row.get_by_label("Comment"), QUESTION)
        elif not okay.is_checked():
            page.keyboard.press("ArrowUp")
        expect(okay if not (clarify_first and index == 0) else
               row.get_by_label("Needs Clarification", exact=True)).to_be_checked()
    press(page, page.get_by_role("button", name="Submit answers…"))
    confirm(page, "Submit answers", "Supervisor signature" if not clarify_first else "Drafting")


def test_the_whole_workflow_with_the_keyboard_only(person, sheet, hr):
    sam, emma, hana = person("sam"), person("emma"), person("hana")

    next_step(sam, "Edit goals")
    press(sam, sam.get_by_role("button", name="Save and send to employee…"))
    confirm(sam, "Send to employee", "Employee review")

    next_step(emma, "Answer goals")
    answer_all(emma, clarify_first=True)

    next_step(sam, "Edit goals")
    type_into(sam, sam.get_by_label("Your reply to the employee"), REPLY)
    press(sam, sam.get_by_role("button", name="Save and send to employee…"))
    confirm(sam, "Send to employee", "Employee review")

    next_step(emma, "Answer goals")
    answer_all(emma, clarify_first=False)

    next_step(sam, "Write summary")
    type_into(sam, sam.get_by_label("Estimated total time to achieve the goals"), "Twelve months")
    type_into(sam, sam.get_by_label("Action plans"), "Weekly call blocks.")
    type_into(sam, sam.get_by_label("Milestones"), "DSO 48 by June.")
    press(sam, sam.get_by_role("button", name="Save and sign…"))
    type_into(sam, sam.get_by_label("Type your full name to sign"), "Sam Sutton")
    confirm(sam, "Sign as supervisor", "Employee signature")

    next_step(emma, "Sign as employee")
    press(emma, emma.get_by_label("I have read the acknowledgement above."), "Space")
    type_into(emma, emma.get_by_label("Type your full name to sign"), "Emma Ellis")
    confirm(emma, "Sign as employee", "HR review")

    next_step(hana, "SMART review")
    for row in hana.get_by_test_id("smart-row").all():
        for criterion in CRITERIA:
            press(hana, row.get_by_label(criterion, exact=True), "Space")
            expect(row.get_by_label(criterion, exact=True)).to_be_checked()
    press(hana, hana.get_by_role("button", name="Save and sign for HR…"))
    type_into(hana, hana.get_by_label("Type your full name to sign"), "Hana Hughes")
    confirm(hana, "Sign for HR", "Signed")
