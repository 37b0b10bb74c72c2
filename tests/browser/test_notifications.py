"""Notifications in the browser: Sam sends Emma her goals; on her phone Emma sees the unread
count beside the menu button, opens the notice and lands on her sheet; the count is gone."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PHONE, state_badge

pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_emma_is_told_and_opens_her_sheet_from_the_notice(login, sheet, mailoutbox):
    _, sam = login("sam")
    sam.goto(f"/sheets/{sheet.pk}/do/send_to_employee/")
    sam.get_by_role("button", name="Send to employee").click()
    expect(state_badge(sam)).to_have_text("Employee review")
    assert [m.to for m in mailoutbox] == [["emma@example.com"]]

    _, emma = login("emma", viewport=PHONE)
    badge = emma.get_by_role("link", name="1 unread notifications")
    expect(badge).to_be_visible()
    badge.click()
    notice = emma.get_by_test_id("notification")
    expect(notice).to_contain_text("Your goal sheet (2027) now waits on you: answer goals.")
    notice.get_by_role("button", name="Open sheet").click()
    expect(state_badge(emma)).to_have_text("Employee review")
    expect(emma.get_by_role("link", name="1 unread notifications")).to_have_count(0)
