"""Amending a signed sheet in Chromium: Sam starts version 2 with a reason, lowers a target,
Emma answers, the three sign again, and both versions are listed with their signed PDFs.

Emma's version 1 is signed through the services (tests/workflow_helpers.advance) before the
browsers open; everything after is done through the pages."""

import pytest
from playwright.sync_api import Page, expect

from goalsapp.models import GoalSheet, SheetState
from tests.browser.helpers import sign, state_badge
from tests.workflow_helpers import advance

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

REASON = "Territory reassigned: the Midwest accounts moved to Emma in July."
DSO = "Reduce DSO on the assigned portfolio from 52 to 45 days by June 30, 2027."


def alert(page: Page):
    return page.get_by_role("alert")


def open_from_inbox(page: Page, state: str) -> None:
    page.get_by_role("link", name="Waiting on me").click()
    row = page.get_by_role("row").filter(has_text="Emma Ellis")
    expect(row).to_contain_text(state)
    row.get_by_role("link", name="Emma Ellis").click()
    expect(state_badge(page)).to_have_text(state)


def test_a_signed_sheet_is_amended_and_signed_again(login, sheet, hr):
    first = advance(sheet, SheetState.SIGNED, hr_user=hr.user)
    _, sam = login("sam")
    _, emma = login("emma")
    _, hana = login("hana")

    # Sam opens the signed sheet and starts version 2; the reason is required.
    sam.goto(f"/sheets/{first.pk}/")
    sam.get_by_test_id("actions").get_by_role("link", name="Start an amendment").click()
    expect(sam.get_by_role("heading", name="Start an amendment: version 2")).to_be_visible()
    sam.get_by_role("button", name="Start an amendment").click()
    expect(sam.locator("#div_id_reason .invalid-feedback")).to_have_text(
        "Say why the goals change: the reason is part of the new version's record.")
    sam.get_by_label("Why do the goals change?").fill(REASON)
    sam.get_by_role("button", name="Start an amendment").click()
    expect(alert(sam)).to_contain_text("Version 2 started.")
    expect(sam.get_by_test_id("version-note")).to_contain_text(
        "Version 2 — amends version 1 signed on")
    expect(sam.get_by_test_id("version-note")).to_contain_text(REASON)

    # He lowers the DSO target to 44 days and sends version 2 to Emma.
    rows = sam.get_by_test_id("goal-row")
    expect(rows).to_have_count(2)
    dso = rows.nth(0)
    expect(dso.get_by_label("Goal*", exact=True)).to_have_value(DSO)
    expect(dso.get_by_label("Target")).to_have_value("45")
    dso.get_by_label("Target").fill("44")
    sam.get_by_role("button", name="Save and send to employee…").click()
    sam.get_by_role("button", name="Send to employee").click()
    expect(alert(sam)).to_contain_text("Sent to the employee for their answers.")

    # Emma answers the goals of version 2.
    open_from_inbox(emma, "Employee review")
    expect(emma.get_by_test_id("version-tag")).to_have_text("version 2")
    emma.get_by_role("link", name="Answer goals").click()
    for row in emma.get_by_test_id("answer-row").all():
        row.get_by_label("Okay", exact=True).check()
    emma.get_by_role("button", name="Submit answers…").click()
    emma.get_by_role("button", name="Submit answers").click()
    expect(alert(emma)).to_contain_text("Your answers were sent to your supervisor.")

    # The three sign again: Sam (the summary came over from version 1), Emma, then Hana.
    open_from_inbox(sam, "Supervisor signature")
    sam.get_by_test_id("actions").get_by_role("link", name="Sign as supervisor").click()
    sign(sam, "Sign as supervisor", "Sam Sutton")
    expect(alert(sam)).to_contain_text("Signed. The sheet now waits on the employee.")

    open_from_inbox(emma, "Employee signature")
    emma.get_by_role("link", name="Sign as employee").click()
    emma.get_by_label("I have read the acknowledgement above.").check()
    sign(emma, "Sign as employee", "Emma Ellis")
    expect(alert(emma)).to_contain_text("Signed. The sheet now goes to HR for review.")

    hana.get_by_role("link", name="HR queue").click()
    hana.get_by_role("row").filter(has_text="Emma Ellis").get_by_role(
        "link", name="Emma Ellis").click()
    hana.get_by_role("link", name="SMART review").click()
    for row in hana.get_by_test_id("smart-row").all():
        for criterion in ("Specific", "Measurable", "Achievable", "Relevant", "Time-bound"):
            row.get_by_label(criterion, exact=True).check()
    hana.get_by_role("button", name="Save review").click()
    expect(alert(hana)).to_contain_text("SMART review saved.")
    hana.get_by_role("button", name="Save and sign for HR…").click()
    sign(hana, "Sign for HR", "Hana Hughes")
    expect(alert(hana)).to_contain_text("Signed for HR. The sheet is final and locked.")

    # Both versions are listed, each with its signed PDF; version 1 says it was replaced.
    second = GoalSheet.objects.get(amends=first)
    hana.reload()
    versions = hana.get_by_test_id("versions")
    expect(versions.get_by_test_id("version-row")).to_have_count(2)
    expect(versions.get_by_test_id("version-row").nth(1)).to_contain_text(REASON)
    pdf_links = versions.get_by_test_id("version-pdf-link")
    expect(pdf_links).to_have_count(2)
    expect(pdf_links.nth(0)).to_have_attribute("href", f"/sheets/{first.pk}/pdf/")
    expect(pdf_links.nth(1)).to_have_attribute("href", f"/sheets/{second.pk}/pdf/")
    with hana.expect_download() as download:
        pdf_links.nth(0).click()
    assert download.value.suggested_filename.endswith(".pdf")

    versions.get_by_role("link", name="Version 1", exact=True).click()
    expect(hana.get_by_test_id("version-note")).to_contain_text(
        "Version 1 — replaced by version 2 signed on")
    expect(state_badge(hana)).to_have_text("Signed")
