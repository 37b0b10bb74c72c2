"""Calibration in Chromium: Hana (HR) opens the calibration page, reads the distribution against
the target, adjusts Emma's rating with a reason (refused in place without one), finds the
adjustment in the sheet's timeline, and releases the review for signatures."""

import pytest
from playwright.sync_api import expect

from reviews import calibration
from reviews.closing_models import RatingScale
from tests.browser.helpers import assert_accessible
from tests.calibration_helpers import review_in_calibration

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def in_calibration(employee, period, hr):
    review = review_in_calibration(employee, period, proposed=3, hr_user=hr.user)
    levels = RatingScale.active().levels.order_by("value")
    calibration.calibration_targets_save(
        actor=hr.user, shares={lvl.pk: s for lvl, s in zip(levels, [0, 10, 60, 30, 0],
                                                             strict=True)})
    return review


def test_hr_calibrates_a_rating_and_releases_the_review(login, in_calibration):
    _context, page = login("hana")
    page.get_by_role("link", name="Dashboards").click()
    page.get_by_role("navigation", name="Dashboards").get_by_role(
        "link", name="Calibration").click()
    expect(page.get_by_role("heading", name="Calibration · 2027")).to_be_visible()

    distribution = page.get_by_test_id("distribution")
    everyone = distribution.get_by_test_id("distribution-row").first
    expect(everyone).to_contain_text("Everyone")
    expect(everyone.get_by_test_id("level-3")).to_contain_text("1 (100.0 %)")
    expect(everyone.get_by_test_id("level-3")).to_contain_text("target 60 %")
    expect(everyone.get_by_test_id("against-target")).to_have_text("Off target")
    assert_accessible(page, "calibration")

    row = page.get_by_test_id("review-row").filter(has_text="Emma Ellis")
    row.get_by_text("Adjust", exact=True).click()
    row.get_by_label("New rating").select_option(label="4 — Exceeds expectations")
    row.get_by_role("button", name="Save adjustment").click()
    # Refused in place (htmx), the choice kept.
    expect(row.get_by_text("Say why you adjust the rating.")).to_be_visible()
    expect(row.get_by_label("New rating")).to_have_value(
        str(RatingScale.active().levels.get(value=4).pk))

    row.get_by_label("Reason (kept in the timeline)").fill("Cleared the 90+ bucket a month early.")
    row.get_by_role("button", name="Save adjustment").click()
    expect(page.get_by_role("alert").filter(has_text="now stands at 4")).to_be_visible()
    row = page.get_by_test_id("review-row").filter(has_text="Emma Ellis")
    expect(row.get_by_test_id("current-rating")).to_contain_text("4 — Exceeds expectations")
    expect(row.get_by_test_id("proposed-rating")).to_have_text("3 — Meets expectations")
    level_4 = page.get_by_test_id("distribution-row").first.get_by_test_id("level-4")
    expect(level_4.get_by_test_id("current")).to_have_text("1 (100.0 %)")

    row.get_by_role("link", name="Emma Ellis").click()
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("adjusted the rating in calibration")
    expect(timeline).to_contain_text(
        "3 — Meets expectations → 4 — Exceeds expectations: Cleared the 90+ bucket a month "
        "early.")

    page.get_by_role("link", name="Release for signatures").click()
    page.get_by_role("button", name="Release for signatures").click()
    expect(page.get_by_role("alert").filter(has_text="Released")).to_be_visible()
    expect(page.get_by_test_id("closing-state")).to_have_text("Closing: supervisor signature")


def test_the_closing_dashboard_and_the_target_form_read_well(login, in_calibration):
    _context, page = login("hana")
    page.get_by_role("link", name="Dashboards").click()
    page.get_by_role("navigation", name="Dashboards").get_by_role(
        "link", name="Closing results").click()
    table = page.get_by_test_id("closing-table")
    expect(table).to_contain_text("Sam Sutton")
    expect(table.get_by_test_id("final-attainment")).to_have_text("100 %")
    assert_accessible(page, "closing dashboard")

    page.goto("/closing/calibration/")
    page.get_by_role("link", name="Set the target distribution").click()
    page.get_by_label("3 — Meets expectations (%)").fill("70")
    page.get_by_role("button", name="Save target distribution").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The shares total 110 %; they must total 100 %.")
    expect(page.get_by_label("3 — Meets expectations (%)")).to_have_value("70")
    assert_accessible(page, "target distribution with an error")
