"""What a screen-reader and keyboard user hears and where their focus lands after each htmx swap
(an answer saved, an answer refused, a library search), and axe-core over the pages' error
states and over sheets in the workflow's later states: zero serious or critical violations."""

import pytest
from playwright.sync_api import Page, expect

from goalsapp.models import SheetState
from reviews import services
from tests.browser.helpers import assert_accessible, sign
from tests.workflow_helpers import advance

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CLARIFY_MESSAGE = "Say what needs clarification."
QUESTION = "Which accounts count towards the 90+ day bucket?"


def announcer(page: Page):
    return page.locator("#announcer")


def focus_is_inside(page: Page, locator) -> bool:
    return locator.evaluate("el => el.contains(document.activeElement)")


def check_axe(page: Page, where: str) -> None:
    # At the page's end a sticky bar covers nothing (axe counts a half-covered button as small).
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    # Colours are checked at rest: no hover left by the last click, no transition half-way
    # (Bootstrap drops its transitions when motion is reduced).
    page.emulate_media(reduced_motion="reduce")
    page.mouse.move(0, 0)
    assert_accessible(page, where)


def test_answers_announce_their_outcome_and_keep_the_focus_in_the_row(login, sheet, hr):
    advance(sheet, SheetState.EMPLOYEE_REVIEW, hr_user=hr.user)
    _, emma = login("emma")
    emma.goto(f"/sheets/{sheet.pk}/answers/")
    row = emma.get_by_test_id("answer-row").first

    # Refused: the comment field takes the focus and its message is read out.
    row.get_by_label("Needs Clarification", exact=True).check()
    row.get_by_role("button", name="Save answer").click()
    comment = row.get_by_label("Comment")
    expect(comment).to_have_attribute("aria-invalid", "true")
    expect(comment).to_be_focused()
    expect(announcer(emma)).to_have_text(CLARIFY_MESSAGE)
    described = comment.get_attribute("aria-describedby")
    assert described and CLARIFY_MESSAGE in emma.locator(f"#{described.split()[0]}").inner_text()
    check_axe(emma, "an answer refused with htmx")

    # Saved: "Saved." is announced and the focus stays inside the new row.
    comment.fill(QUESTION)
    row.get_by_role("button", name="Save answer").click()
    expect(row.get_by_role("status")).to_have_text("Saved.")
    expect(announcer(emma)).to_have_text("Saved.")
    assert focus_is_inside(emma, row)

    # The whole page refused: every row with a mistake is marked, the first one has the focus.
    second = emma.get_by_test_id("answer-row").nth(1)
    second.get_by_label("Needs Clarification", exact=True).check()
    emma.get_by_role("button", name="Save answers").click()
    expect(emma.get_by_role("alert").filter(has_text="Nothing was saved")).to_be_visible()
    expect(emma.get_by_test_id("answer-row").nth(1).get_by_label("Comment")).to_be_focused()
    check_axe(emma, "the answers page refused")


def test_a_library_search_announces_how_many_entries_it_found(login, sheet):
    _, sam = login("sam")
    sam.goto(f"/sheets/{sheet.pk}/edit/")
    sam.get_by_text("Pick goals from the library").click()
    expect(sam.get_by_test_id("library-results")).to_contain_text("60 entries")
    sam.get_by_label("Search").fill("days outstanding")
    expect(announcer(sam)).to_have_text("1 entry.")
    expect(sam.get_by_label("Search")).to_be_focused()  # typing goes on where it was


def test_the_goal_editor_with_errors_passes_axe(login, sheet):
    _, sam = login("sam")
    sam.goto(f"/sheets/{sheet.pk}/edit/")
    first = sam.get_by_test_id("goal-row").first
    first.get_by_label("Target").fill("-5")
    first.get_by_label("Goal*", exact=True).fill("")
    sam.get_by_role("button", name="Save goals").click()
    expect(sam.get_by_role("alert").filter(has_text="Nothing was saved")).to_be_visible()
    expect(first.get_by_label("Goal*", exact=True)).to_be_focused()
    check_axe(sam, "the goal editor with errors")


def _to_clarification(sheet, hr):
    """Emma asks about the first goal and submits: the sheet is back with Sam, round 1 open."""
    advance(sheet, SheetState.EMPLOYEE_REVIEW, hr_user=hr.user)
    goals = list(sheet.goals.order_by("position"))
    emma = sheet.employee.user
    services.goal_answer(goal_id=goals[0].pk, actor=emma, answer="needs_clarification",
                         comment=QUESTION)
    for goal in goals[1:]:
        services.goal_answer(goal_id=goal.pk, actor=emma, answer="okay", comment="")
    sheet.refresh_from_db()
    services.sheet_submit_answers(sheet_id=sheet.pk, actor=emma, version=sheet.version)


def test_a_sheet_in_clarification_passes_axe(login, sheet, hr):
    _to_clarification(sheet, hr)
    _, sam = login("sam")
    sam.goto(f"/sheets/{sheet.pk}/")
    expect(sam.get_by_text(QUESTION).first).to_be_visible()
    check_axe(sam, "the sheet in clarification")
    sam.goto(f"/sheets/{sheet.pk}/edit/")
    expect(sam.get_by_test_id("clarification")).to_contain_text(QUESTION)
    check_axe(sam, "the editor in clarification")


def test_sheets_awaiting_signatures_and_signed_pass_axe(login, sheet, hr):
    advance(sheet, SheetState.SUPERVISOR_SIGNATURE, hr_user=hr.user)
    _, sam = login("sam")
    sam.goto(f"/sheets/{sheet.pk}/")
    check_axe(sam, "a sheet awaiting the supervisor's signature")

    # The signing page refusing a wrong name (whatever else that page asks for).
    sam.goto(f"/sheets/{sheet.pk}/do/sign_supervisor/")
    sign(sam, "Sign as supervisor", "Sam Smith")
    expect(sam.locator(".is-invalid, .alert-danger").first).to_be_visible()
    check_axe(sam, "the signing page refusing a wrong name")

    advance(sheet, SheetState.EMPLOYEE_SIGNATURE, hr_user=hr.user)
    _, emma = login("emma")
    emma.goto(f"/sheets/{sheet.pk}/")
    check_axe(emma, "a sheet awaiting the employee's signature")

    advance(sheet, SheetState.SIGNED, hr_user=hr.user)
    emma.goto(f"/sheets/{sheet.pk}/")
    expect(emma.get_by_role("region", name="Employee performance goals")).to_contain_text(
        "Signed")
    check_axe(emma, "a signed sheet")
