"""Sam edits Emma's five goals on a phone: the sticky bar is one slim line, each goal is one line
until opened (with the keyboard too), a row with an error opens by itself; and the library's
guidance guides rather than pretending to be a goal."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, assert_accessible
from tests.factories import GoalFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MAX_BAR_SHARE = 0.08  # of the viewport's height
MAX_PAGE_HEIGHT = 2_400  # px for five folded goals (it was ~5,000 with every row open)
GUIDANCE = "Understand that the goals must be measurable"


@pytest.fixture
def five_goals(sheet):
    for position in range(3, 6):
        GoalFactory(sheet=sheet, position=position, measure_kind="count", unit="calls",
                    direction="higher", target=Decimal("40"), baseline=None,
                    due_on=datetime.date(2027, 9, 30),
                    text=f"Make {position * 10} more outbound calls a week on accounts over 60 "
                         f"days past due, logged in the collections system.")
    return sheet


def check_axe(page, where):
    # At the page's end the sticky bar covers nothing: axe counts a button half under it as a
    # too-small target, which depends on where the page happens to be scrolled.
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    # Colours are checked at rest: no hover left by the last click, no transition half-way
    # (Bootstrap drops its transitions when motion is reduced).
    page.emulate_media(reduced_motion="reduce")
    page.mouse.move(0, 0)
    assert_accessible(page, where)


def test_the_editor_on_a_phone_is_compact_and_opens_rows_with_the_keyboard(login, five_goals):
    _, sam = login("sam", viewport=PHONE)
    sam.goto(f"/sheets/{five_goals.pk}/edit/")
    rows = sam.get_by_test_id("goal-row")
    expect(rows).to_have_count(5)

    bar = sam.get_by_test_id("editor-bar").bounding_box()
    assert bar["height"] / PHONE["height"] <= MAX_BAR_SHARE, bar
    expect(sam.get_by_role("button", name="Save and send to employee…")).to_be_in_viewport()
    assert sam.evaluate("document.documentElement.scrollHeight") <= MAX_PAGE_HEIGHT
    assert sam.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    first = rows.nth(0)
    toggle = first.get_by_test_id("goal-toggle")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_contain_text("Reduce DSO on the assigned portfolio")
    expect(toggle).to_contain_text("45 days · due Jun 30")
    expect(first.get_by_label("Target")).to_be_hidden()
    box = toggle.bounding_box()
    assert box["height"] < 2 * 24, box  # one line

    toggle.focus()
    sam.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(first.get_by_label("Target")).to_be_visible()
    sam.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(first.get_by_label("Target")).to_be_hidden()
    check_axe(sam, "the folded editor on a phone")

    # A new row arrives open, with the cursor in it.
    sam.get_by_role("button", name="+ Add a goal").click()
    expect(rows).to_have_count(6)
    expect(rows.nth(5).get_by_test_id("goal-toggle")).to_have_attribute("aria-expanded", "true")
    expect(rows.nth(5).get_by_label("Competency")).to_be_focused()
    sam.get_by_role("button", name="+ Add a goal").click()  # a second, left empty: ignored
    rows.nth(5).get_by_label("Goal*", exact=True).fill("Reach 95 % first-call resolution.")

    # Saving with a mistake: the row holding it arrives open, the others stay folded.
    sam.get_by_role("button", name="Save goals").click()
    expect(sam.get_by_role("alert").filter(has_text="Nothing was saved")).to_be_visible()
    broken = rows.nth(5)
    expect(broken.get_by_test_id("goal-toggle")).to_have_attribute("aria-expanded", "true")
    expect(broken.get_by_label("Goal*", exact=True)).to_have_value(
        "Reach 95 % first-call resolution.")
    expect(rows.nth(0).get_by_test_id("goal-toggle")).to_have_attribute("aria-expanded", "false")
    check_axe(sam, "the editor with errors on a phone")


def test_library_guidance_guides_instead_of_adding_a_goal(login, sheet):
    _, sam = login("sam")
    sam.goto(f"/sheets/{sheet.pk}/edit/")
    rows = sam.get_by_test_id("goal-row")
    sam.get_by_text("Pick goals from the library").click()
    sam.get_by_label("Suits title").select_option("")
    sam.get_by_label("Search").fill("must be measurable")
    entry = sam.get_by_test_id("library-entry").filter(has_text=GUIDANCE)
    expect(entry.get_by_test_id("guidance-badge")).to_have_text("Guidance, not a goal")
    expect(entry.get_by_test_id("guidance-advice")).to_contain_text(
        "needs a number and a deadline")
    expect(entry.get_by_role("button", name="Add to sheet")).to_have_count(0)
    assert_accessible(sam, "the library showing guidance")

    entry.get_by_role("button", name="Write a measurable goal").click()
    expect(rows).to_have_count(3)
    added = rows.nth(2)
    expect(added.get_by_test_id("guidance-hint")).to_contain_text("needs a number and a deadline")
    expect(added.get_by_label("Goal*", exact=True)).to_have_value("")  # nothing pretends
    expect(added.get_by_label("Goal*", exact=True)).to_be_focused()
    expect(added.get_by_label("Due date")).to_have_value("2027-12-31")
    expect(sam.locator("#announcer")).to_have_text("Goal 3 added.")
