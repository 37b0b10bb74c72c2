"""Closing a year for one employee in Chromium, from the self-assessment to HR's signature.

Emma's 2027 goals are signed and her actuals recorded. Hana (HR) opens the closing review from
the sheet page; Emma writes her self-assessment; Sam (supervisor) assesses, overrides a grade
(first forgetting the reason, and keeping what he typed), proposes a rating; Hana releases it
from calibration; Sam, Emma and Hana sign; the review is locked and its PDF archived.
"""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from goalsapp import services as goals
from goalsapp.models import SheetState
from reviews.archive.models import SheetArchive
from reviews.closing_models import ClosingReview
from reviews.closing_states import ClosingState
from tests.browser.helpers import assert_accessible, sign
from tests.workflow_helpers import advance

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_year_closed_from_self_assessment_to_hr_signature(login, sheet, hr, supervisor):
    advance(sheet, SheetState.SIGNED, hr_user=hr.user)
    dso, cash = sheet.goals.order_by("position")
    goals.progress_entry_add(goal_id=dso.pk, actor=supervisor.user,
                             as_of=datetime.date(2027, 12, 1), actual=Decimal("45"),
                             today=datetime.date(2027, 12, 2))
    goals.progress_entry_add(goal_id=cash.pk, actor=supervisor.user,
                             as_of=datetime.date(2027, 12, 1), actual=Decimal("100000"),
                             today=datetime.date(2027, 12, 2))
    url = f"/sheets/{sheet.pk}/"

    _, hana = login("hana")
    hana.goto(url)
    hana.get_by_role("button", name="Open closing review now").click()
    expect(hana.get_by_role("alert")).to_contain_text("The closing review is open")
    expect(hana.get_by_test_id("closing-state")).to_have_text("Self-assessment")
    grades = hana.get_by_test_id("closing-results").get_by_test_id("grade")
    expect(grades.nth(0)).to_have_text("Achieved")
    expect(grades.nth(1)).to_contain_text("Not achieved")

    _, emma = login("emma")
    emma.get_by_role("link", name="Write self-assessment").click()
    emma.locator(f"#id_text-{dso.pk}").fill("Weekly call blocks brought DSO down to 45.")
    emma.locator(f"#id_text-{cash.pk}").fill("Two large accounts went to legal; I got 100k.")
    emma.get_by_label("Your overall self-assessment").fill("A steady year on the portfolio.")
    assert_accessible(emma, "the self-assessment page")
    emma.get_by_role("button", name="Save and submit…").click()
    emma.get_by_role("button", name="Submit self-assessment").click()
    expect(emma.get_by_role("alert")).to_contain_text("went to your supervisor")

    _, sam = login("sam")
    sam.get_by_role("link", name="Write assessment").click()
    expect(sam.get_by_text("Two large accounts went to legal")).to_be_visible()
    sam.locator(f"#id_text-{dso.pk}").fill("Target met in the third quarter.")
    sam.locator(f"#id_text-{cash.pk}").fill("Legal holds were outside Emma's hands.")
    sam.locator(f"#id_grade-{cash.pk}").select_option("partly_achieved")
    sam.get_by_label("Your overall assessment").fill("Reliable and thorough.")
    sam.get_by_label("3 — Meets expectations").check()
    sam.get_by_role("button", name="Save", exact=True).click()
    expect(sam.locator(f"#id_reason-{cash.pk}_error")).to_contain_text("Say why")
    expect(sam.get_by_label("Your overall assessment")).to_have_value("Reliable and thorough.")
    sam.locator(f"#id_reason-{cash.pk}").fill("$150,000 is on hold in legal, not lost.")
    assert_accessible(sam, "the assessment page with an error")
    sam.get_by_role("button", name="Save and submit…").click()
    sam.get_by_role("button", name="Submit assessment").click()
    expect(sam.get_by_test_id("closing-state")).to_have_text("Calibration")

    hana.goto("/hr/closing/")
    hana.get_by_label("Release Emma Ellis").check()
    hana.get_by_role("button", name="Release ticked reviews for signatures").click()
    expect(hana.get_by_role("alert")).to_contain_text("Released 1 review")

    sam.goto(url)
    sam.get_by_test_id("closing-actions").get_by_role(
        "link", name="Sign closing as supervisor").click()
    sign(sam, "Sign closing as supervisor", "Sam Sutton")
    expect(sam.get_by_role("alert")).to_contain_text("waits on the employee")

    emma.goto(url)
    emma.get_by_role("link", name="Sign closing as employee").click()
    expect(emma.get_by_test_id("acknowledgement")).to_contain_text("not necessarily that I agree")
    emma.get_by_label("I have read the acknowledgement above.").check()
    sign(emma, "Sign closing as employee", "Emma Ellis")
    expect(emma.get_by_role("alert")).to_contain_text("goes to HR")

    hana.goto(url)
    hana.get_by_role("link", name="Sign closing for HR").click()
    sign(hana, "Sign closing for HR", "Hana Hughes")
    expect(hana.get_by_role("alert")).to_contain_text("final and locked")
    expect(hana.get_by_test_id("closing-state")).to_have_text("Closed")
    expect(hana.get_by_test_id("closing-rating")).to_contain_text("3 — Meets expectations")
    expect(hana.get_by_test_id("closing-signatures")).to_contain_text("Emma Ellis")
    expect(hana.get_by_test_id("closing-locked")).to_be_visible()
    assert_accessible(hana, "the closed review on the sheet page")

    review = ClosingReview.objects.get(sheet=sheet)
    assert review.state == ClosingState.CLOSED
    assert review.results.get(goal=cash).grade == "partly_achieved"
    hana.reload()
    expect(hana.get_by_test_id("closing-pdf-link")).to_be_visible()
    assert SheetArchive.objects.get(sheet=sheet, kind="closing").is_stored
