"""A goal sheet from start to HR signature, driven in Chromium by three people at once.

Sam (supervisor), Emma (employee) and Hana (HR) each sign in through the login form in a browser
context of their own and do their part through the pages a user would use. The assertions are on
what each of them sees: headings, state badges, messages, field errors, rows.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.helpers import PHONE, sign, state_badge

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REPO = Path(__file__).resolve().parents[2]
SCREENSHOT = REPO / "docs" / "images" / "sheet.png"
PHONE_SCREENSHOT = Path("/tmp/goalpost-goal-editor-phone.png")


def want_screenshots() -> bool:
    return os.environ.get("GOALPOST_SCREENSHOT") == "1"


DSO = {
    "competency": "Customer Account Management",
    "text": "Reduce DSO on the assigned portfolio from 52 to 45 days by June 30, 2027.",
    "measure": "count", "target": "45", "unit": "days", "direction": "lower",
    "due_on": "2027-06-30",
}
COLLECT = {
    "competency": "Target Achievement",
    "text": "Collect $250,000 of balances over 90 days past due by December 15, 2027.",
    "measure": "money", "target": "250000", "unit": "USD", "direction": "higher",
    "due_on": "2027-12-15",
}
PLANS = {
    "competency": "Communication and Negotiation",
    "text": "Set up payment plans on 40 accounts over 60 days past due by September 30, 2027.",
    "measure": "count", "target": "40", "unit": "accounts", "direction": "higher",
    "due_on": "2027-09-30",
}
COURSE = {
    "competency": "Training and Development",
    "text": "Complete the FDCPA refresher course by March 31, 2027.",
    "measure": "count", "target": "1", "unit": "course", "direction": "higher",
    "due_on": "2027-03-31",
}
QUESTION = "Do accounts already on a payment plan count towards the 40?"
REPLY = "Only plans you set up this year count; existing plans do not."
ACKNOWLEDGEMENT = (
    "I acknowledge that I discussed this performance feedback with my supervisor. My signature "
    "does not mean that I agree or disagree with this appraisal."
)


# What a user looks at ---------------------------------------------------------------------------

def alert(page: Page) -> Locator:
    return page.get_by_role("alert")


def goal_rows(page: Page) -> Locator:
    return page.get_by_test_id("goal-row")


def field_box(scope: Locator | Page, name: str) -> Locator:
    """The wrapper crispy-forms draws around one field: label, input and its error."""
    return scope.locator(f"[id^='div_id_'][id$='{name}']")


def mark_page(page: Page) -> None:
    """Leaves a mark on the window that a full page load would wipe out."""
    page.evaluate("window.__goalpostSamePage = true")


def assert_same_page(page: Page, url: str) -> None:
    assert page.url == url
    assert page.evaluate("window.__goalpostSamePage === true"), "the page was reloaded"


GOAL_LABEL = "Goal*"  # required fields carry an asterisk


def fill_goal(row: Locator, goal: dict, *, target: str | None = None) -> None:
    row.get_by_label("Competency").select_option(label=goal["competency"])
    row.get_by_label(GOAL_LABEL, exact=True).fill(goal["text"])
    row.get_by_label(re.compile(r"^Measure")).select_option(goal["measure"])
    if target is None:
        row.get_by_label("Target").fill(goal["target"])
    else:  # typed key by key, as a person would
        row.get_by_label("Target").press_sequentially(target)
    row.get_by_label("Unit").fill(goal["unit"])
    row.get_by_label("Direction").select_option(goal["direction"])
    row.get_by_label("Due date").fill(goal["due_on"])


def open_from_inbox(page: Page, state: str) -> None:
    """From the inbox, open Emma's sheet, which must be waiting there in `state`."""
    page.get_by_role("link", name="Waiting on me").click()
    expect(page.get_by_role("heading", name="Waiting on me")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Emma Ellis")
    expect(row).to_contain_text(state)
    row.get_by_role("link", name="Emma Ellis").click()
    expect(state_badge(page)).to_have_text(state)


def answer(page: Page, goal: dict, choice: str, comment: str = "") -> None:
    """Saves one answer with htmx and waits for the row to say so."""
    row = page.get_by_test_id("answer-row").filter(has_text=goal["text"])
    row.get_by_label(choice, exact=True).check()
    if comment:
        row.get_by_label("Comment").fill(comment)
    row.get_by_role("button", name="Save answer").click()
    expect(row.get_by_role("status")).to_have_text("Saved.")
    expect(row.get_by_label(choice, exact=True)).to_be_checked()


# The whole workflow ------------------------------------------------------------------------------

def test_sheet_from_start_to_hr_signature(login, employee, period, hr):
    sam_context, sam = login("sam")
    _, emma = login("emma")
    _, hana = login("hana")
    expect(sam.get_by_test_id("signed-in-as")).to_have_text("Sam Sutton")
    expect(emma.get_by_test_id("signed-in-as")).to_have_text("Emma Ellis")
    expect(hana.get_by_test_id("signed-in-as")).to_have_text("Hana Hughes · HR")
    expect(emma.get_by_text("Nothing is waiting on you. Well done.")).to_be_visible()

    # Sam starts Emma's sheet for 2027 from his team page.
    sam.get_by_role("link", name="My team").click()
    expect(sam.get_by_role("heading", name="My team · 2027")).to_be_visible()
    expect(sam.get_by_role("row").filter(has_text="Emma Ellis")).to_contain_text("No sheet yet")
    sam.get_by_label("Employee").select_option(label="Emma Ellis (E-1003)")
    sam.get_by_label("Period").select_option(label="2027")
    sam.get_by_role("button", name="Start sheet").click()
    expect(alert(sam)).to_contain_text("Started a goal sheet for Emma Ellis.")
    expect(state_badge(sam)).to_have_text("Drafting")
    expect(sam.get_by_test_id("employee-name")).to_have_text("Emma Ellis")
    expect(goal_rows(sam)).to_have_count(0)

    # Four goals, each row fetched with htmx: the page stays where it is.
    editor_url = sam.url
    mark_page(sam)
    for count in range(1, 5):
        sam.get_by_role("button", name="+ Add a goal").click()
        expect(goal_rows(sam)).to_have_count(count)
        expect(goal_rows(sam).nth(count - 1).locator(".goal-number")).to_have_text(f"Goal {count}")
    assert_same_page(sam, editor_url)
    rows = goal_rows(sam)
    fill_goal(rows.nth(0), DSO)
    fill_goal(rows.nth(1), COLLECT, target="abc")
    fill_goal(rows.nth(2), PLANS)
    fill_goal(rows.nth(3), COURSE)

    sam.get_by_role("button", name="Save goals").click()
    expect(alert(sam)).to_contain_text("Nothing was saved: correct the fields marked below.")
    rows = goal_rows(sam)
    expect(rows).to_have_count(4)
    target_box = field_box(rows.nth(1), "-target")
    expect(target_box.get_by_label("Target")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(target_box.locator(".invalid-feedback")).to_have_text(
        "Enter a number, such as 12 or 1500.50.")
    # Everything Sam typed is still there, the bad target included, so he can correct it.
    expect(target_box.get_by_label("Target")).to_have_value("abc")
    expect(rows.nth(1).get_by_label(GOAL_LABEL, exact=True)).to_have_value(COLLECT["text"])
    expect(rows.nth(1).get_by_label("Unit")).to_have_value("USD")
    expect(rows.nth(1).get_by_label("Due date")).to_have_value(COLLECT["due_on"])
    expect(rows.nth(1).get_by_label("Competency")).to_have_value(
        re.compile(r"\d+"))  # a competency is still chosen
    for row, goal in ((rows.nth(0), DSO), (rows.nth(2), PLANS), (rows.nth(3), COURSE)):
        expect(row.get_by_label(GOAL_LABEL, exact=True)).to_have_value(goal["text"])
        expect(row.locator(".invalid-feedback")).to_have_count(0)
    rows.nth(1).get_by_label("Target").fill(COLLECT["target"])

    # Move the payment-plan goal up one place, above the collections goal, and save.
    rows.nth(2).get_by_role("button", name="Move up").click()
    expect(rows.nth(1).get_by_label(GOAL_LABEL, exact=True)).to_have_value(PLANS["text"])
    expect(rows.nth(1).locator(".goal-number")).to_have_text("Goal 2")
    sam.get_by_role("button", name="Save goals").click()
    expect(alert(sam)).to_contain_text("Goals saved.")
    rows = goal_rows(sam)
    expect(rows).to_have_count(4)
    for index, goal in enumerate((DSO, PLANS, COLLECT, COURSE)):
        expect(rows.nth(index).get_by_label(GOAL_LABEL, exact=True)).to_have_value(goal["text"])

    # Remove the course goal; the row says what will happen until the form is saved.
    removed = rows.nth(3)
    removed.locator("label", has_text="Remove").click()
    expect(removed.get_by_text("This goal will be removed when you save.")).to_be_visible()
    expect(removed.get_by_label(GOAL_LABEL, exact=True)).to_be_hidden()
    sam.get_by_role("button", name="Save goals").click()
    expect(alert(sam)).to_contain_text("Goals saved.")
    rows = goal_rows(sam)
    expect(rows).to_have_count(3)
    for index, goal in enumerate((DSO, PLANS, COLLECT)):
        expect(rows.nth(index).get_by_label(GOAL_LABEL, exact=True)).to_have_value(goal["text"])

    # Save and send: a confirmation page first, then the sheet goes to Emma.
    sam.get_by_role("button", name="Save and send to employee…").click()
    expect(sam.get_by_role("heading", name="Send to employee")).to_be_visible()
    expect(sam.get_by_role("main")).to_contain_text(
        "Emma Ellis will be asked to answer each of the 3 goals")
    sam.get_by_role("button", name="Send to employee").click()
    expect(alert(sam)).to_contain_text("Sent to the employee for their answers.")
    expect(state_badge(sam)).to_have_text("Employee review")
    expect(sam.get_by_text("waiting on the employee", exact=True)).to_be_visible()
    goals_section = sam.get_by_role("region", name="Performance goals", exact=True)
    expect(goals_section.locator(".goal")).to_have_count(3)
    expect(goals_section).not_to_contain_text(COURSE["text"])

    # Emma finds the sheet in her inbox and asks about one goal.
    open_from_inbox(emma, "Employee review")
    emma.get_by_role("link", name="Answer goals").click()
    expect(emma.get_by_role("heading", name="Your comments on each goal")).to_be_visible()
    expect(emma.get_by_test_id("answer-row")).to_have_count(3)
    answers_url = emma.url
    mark_page(emma)
    plans_row = emma.get_by_test_id("answer-row").filter(has_text=PLANS["text"])
    plans_row.get_by_label("Needs Clarification", exact=True).check()
    plans_row.get_by_role("button", name="Save answer").click()
    expect(field_box(plans_row, "-comment")).to_contain_text("Say what needs clarification.")
    answer(emma, PLANS, "Needs Clarification", QUESTION)
    answer(emma, DSO, "Okay")
    answer(emma, COLLECT, "Okay")
    assert_same_page(emma, answers_url)
    emma.get_by_role("button", name="Submit answers…").click()
    expect(emma.get_by_role("heading", name="Submit answers")).to_be_visible()
    emma.get_by_role("button", name="Submit answers").click()
    expect(alert(emma)).to_contain_text("Your answers were sent to your supervisor.")
    expect(state_badge(emma)).to_have_text("Drafting")
    expect(emma.get_by_text("waiting on the employee's supervisor")).to_be_visible()

    # Sam sees the question, replies in the goal editor and sends the sheet again.
    open_from_inbox(sam, "Drafting")
    plans_card = sam.locator(".goal").filter(has_text=PLANS["text"])
    expect(plans_card).to_contain_text("Round 1: Needs Clarification")
    expect(plans_card).to_contain_text(QUESTION)
    sam.get_by_role("link", name="Edit goals").click()
    clarification = sam.get_by_test_id("clarification")
    expect(clarification).to_have_count(1)
    expect(clarification).to_contain_text(f"Emma Ellis asked for clarification: “{QUESTION}”")

    # The same editor on a phone: nothing wider than the screen, the buttons within reach.
    phone = sam_context.new_page()
    phone.set_viewport_size(PHONE)
    phone.goto(sam.url)
    expect(phone.get_by_test_id("clarification")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(phone.get_by_role("button", name="Save and send to employee…")).to_be_in_viewport()
    if want_screenshots():
        phone.screenshot(path=str(PHONE_SCREENSHOT), full_page=True)
    phone.close()

    sam.get_by_role("button", name="Save and send to employee…").click()  # no reply yet
    expect(alert(sam)).to_contain_text("Nothing was saved")
    expect(field_box(sam.get_by_test_id("clarification"), "-reply")).to_contain_text(
        "Reply to the employee's request for clarification.")
    sam.get_by_test_id("clarification").get_by_label("Your reply to the employee").fill(REPLY)
    sam.get_by_role("button", name="Save and send to employee…").click()
    expect(sam.get_by_role("heading", name="Send to employee")).to_be_visible()
    sam.get_by_role("button", name="Send to employee").click()
    expect(alert(sam)).to_contain_text("Sent to the employee for their answers.")
    expect(state_badge(sam)).to_have_text("Employee review")

    # Emma reads the reply and agrees to every goal.
    open_from_inbox(emma, "Employee review")
    emma.get_by_role("link", name="Answer goals").click()
    plans_row = emma.get_by_test_id("answer-row").filter(has_text=PLANS["text"])
    expect(plans_row).to_contain_text(f"Round 1: Needs Clarification — “{QUESTION}”")
    expect(plans_row).to_contain_text(f"Supervisor's reply: “{REPLY}”")
    for goal in (DSO, PLANS, COLLECT):
        answer(emma, goal, "Okay")
    emma.get_by_role("button", name="Submit answers…").click()
    emma.get_by_role("button", name="Submit answers").click()
    expect(alert(emma)).to_contain_text("Your answers were sent to your supervisor.")
    expect(state_badge(emma)).to_have_text("Supervisor signature")

    # Sam writes the summary and signs, after first mistyping his name.
    open_from_inbox(sam, "Supervisor signature")
    sam.get_by_role("link", name="Write summary").click()
    sam.get_by_label("Estimated total time to achieve the goals").fill(
        "Twelve months, reviewed quarterly.")
    sam.get_by_label("Action plans").fill("Weekly call blocks for the 90+ day bucket.")
    sam.get_by_label("Milestones").fill("Q1: 25% of target. Q2: 50%. Q3: 75%. Q4: met.")
    sam.get_by_label("Additional comments").fill("Agreed in our one-to-one.")
    sam.get_by_role("button", name="Save and sign…").click()
    expect(sam.get_by_role("heading", name="Sign as supervisor")).to_be_visible()
    sign(sam, "Sign as supervisor", "Sam Smith")
    name_box = field_box(sam, "typed_name")
    expect(name_box.locator(".invalid-feedback")).to_have_text(
        "The name does not match the signer's full name on record.")
    expect(state_badge(sam)).to_have_text("Supervisor signature")
    sign(sam, "Sign as supervisor", "Sam Sutton")
    expect(alert(sam)).to_contain_text("Signed. The sheet now waits on the employee.")
    expect(state_badge(sam)).to_have_text("Employee signature")
    expect(sam.get_by_role("region", name="Summary", exact=True)).to_contain_text(
        "Twelve months, reviewed quarterly.")

    # Emma reads the acknowledgement and signs.
    open_from_inbox(emma, "Employee signature")
    emma.get_by_role("link", name="Sign as employee").click()
    expect(emma.get_by_test_id("acknowledgement")).to_have_text(ACKNOWLEDGEMENT)
    emma.get_by_label("I have read the acknowledgement above.").check()
    sign(emma, "Sign as employee", "Emma Ellis")
    expect(alert(emma)).to_contain_text("Signed. The sheet now goes to HR for review.")
    expect(state_badge(emma)).to_have_text("HR review")

    # Hana reviews each goal against the five SMART criteria and signs for HR.
    hana.get_by_role("link", name="HR queue").click()
    expect(hana.get_by_role("heading", name="HR review queue")).to_be_visible()
    queued = hana.get_by_role("row").filter(has_text="Emma Ellis")
    expect(queued).to_contain_text("HR review")
    queued.get_by_role("link", name="Emma Ellis").click()
    expect(state_badge(hana)).to_have_text("HR review")
    hana.get_by_role("link", name="SMART review").click()
    smart_rows = hana.get_by_test_id("smart-row")
    expect(smart_rows).to_have_count(3)
    mark_page(hana)
    for goal in (DSO, PLANS, COLLECT):  # HR ticks every box; one press records the page
        row = smart_rows.filter(has_text=goal["text"])
        for criterion in ("Specific", "Measurable", "Achievable", "Relevant", "Time-bound"):
            expect(row.get_by_label(criterion, exact=True)).not_to_be_checked()
            row.get_by_label(criterion, exact=True).check()
    hana.get_by_role("button", name="Save review").click()
    expect(alert(hana)).to_contain_text("SMART review saved.")
    for goal in (DSO, PLANS, COLLECT):
        row = smart_rows.filter(has_text=goal["text"])
        expect(row.get_by_role("status")).to_have_text("Passes SMART")
    hana.get_by_role("button", name="Save and sign for HR…").click()
    sign(hana, "Sign for HR", "Hana Hughes")
    expect(alert(hana)).to_contain_text("Signed for HR. The sheet is final and locked.")

    # Everyone now sees the signed sheet: three signatures and the whole story.
    for page in (hana, sam, emma):
        page.reload()
        expect(state_badge(page)).to_have_text("Signed")
        if page is emma:
            expect(page.get_by_test_id("actions")).to_have_count(0)
        else:  # the supervisor and HR may start an amendment, and nothing else
            expect(page.get_by_test_id("actions")).to_have_text("Start an amendment")
        signatures = page.get_by_test_id("signatures").get_by_role("listitem")
        expect(signatures).to_have_count(3)
        expect(signatures).to_contain_text(
            ["Supervisor: Sam Sutton", "Employee: Emma Ellis", "Human Resources: Hana Hughes"])
        expect(page.get_by_text("Signed and locked on")).to_be_visible()
        events = page.get_by_test_id("timeline").get_by_role("listitem")
        expect(events).to_have_count(8)
        expect(events).to_contain_text([
            "Sam Sutton started the sheet",
            "Sam Sutton sent the goals to the employee",
            "Emma Ellis submitted answers",
            "Sam Sutton sent the goals to the employee",
            "Emma Ellis submitted answers",
            "Sam Sutton signed as supervisor",
            "Emma Ellis signed as employee",
            "Hana Hughes signed for HR; the sheet is locked",
        ])
    expect(emma.get_by_role("region", name="Signatures", exact=True)).to_contain_text(
        ACKNOWLEDGEMENT)

    if want_screenshots():
        sam.set_viewport_size({"width": 1280, "height": 800})
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        sam.screenshot(path=str(SCREENSHOT), full_page=True)

    # Nothing is waiting on anyone any more.
    for page in (sam, emma, hana):
        page.get_by_role("link", name="Waiting on me").click()
        expect(page.get_by_text("Nothing is waiting on you. Well done.")).to_be_visible()


# Who may not see or do what ---------------------------------------------------------------------

def test_outsider_gets_404_and_supervisor_gets_403_from_hr_queue(login, sheet, other_employee):
    _, oliver = login("oliver")
    response = oliver.goto(f"/sheets/{sheet.pk}/")
    assert response is not None and response.status == 404
    expect(oliver.get_by_role("heading", name="Not Found")).to_be_visible()
    expect(oliver.locator("body")).not_to_contain_text("Emma Ellis")

    _, sam = login("sam")
    expect(sam.get_by_role("link", name="HR queue")).to_have_count(0)
    response = sam.goto("/hr/queue/")
    assert response is not None and response.status == 403
    expect(sam.get_by_role("heading", name="You can't do that")).to_be_visible()
    expect(sam.get_by_test_id("forbidden-reason")).to_have_text(
        "The HR review queue is for members of Human Resources.")
