"""Sam builds a goal set in place in Chromium: "Add a goal" appends a row where he is, the
library adds an entry that keeps its link, guidance only guides, and saving keeps it all."""

import pytest
from playwright.sync_api import expect

from goalsapp.models import GoalSet
from tests.browser.helpers import assert_accessible

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DSO_KPI = "Average days outstanding for overdue accounts"


def test_a_set_is_built_in_place_with_the_library(login, employee):  # Sam supervises Emma
    _, sam = login("sam")
    sam.goto("/goal-sets/new/")
    rows = sam.get_by_test_id("set-item")
    expect(rows).to_have_count(1)
    sam.get_by_label("Name").fill("Quarter basics")
    rows.nth(0).get_by_label("Competency").select_option(label="Target Achievement")
    rows.nth(0).get_by_label("Goal*", exact=True).fill("Collect 95 % of balances due this month.")
    rows.nth(0).get_by_label("Target").fill("95")

    sam.get_by_role("button", name="+ Add a goal").click()
    expect(rows).to_have_count(2)
    expect(rows.nth(1).get_by_label("Competency")).to_be_focused()
    expect(sam.locator("#announcer")).to_have_text("Goal 2 added.")

    sam.get_by_text("Pick goals from the library").click()
    sam.get_by_label("Search").fill("days outstanding")
    entry = sam.get_by_test_id("library-entry").filter(has_text=DSO_KPI)
    expect(sam.get_by_test_id("library-entry")).to_have_count(1)
    entry.get_by_role("button", name="Add to set").click()
    expect(rows).to_have_count(3)
    added = rows.nth(2)
    expect(added.get_by_label("Goal*", exact=True)).to_have_value(DSO_KPI)
    expect(added.get_by_test_id("from-library")).to_be_visible()
    expect(added.get_by_label("Target")).to_be_focused()
    added.get_by_label("Target").fill("40")

    sam.get_by_label("Search").fill("must be measurable")
    guidance = sam.get_by_test_id("library-entry").first
    expect(guidance.get_by_test_id("guidance-badge")).to_be_visible()
    expect(guidance.get_by_role("button", name="Add to set")).to_have_count(0)
    sam.evaluate("window.scrollTo(0, 0)")
    assert_accessible(sam, "the set editor with the library open")

    sam.get_by_role("button", name="Save goal set").click()
    expect(sam.get_by_role("heading", name="Apply “Quarter basics”")).to_be_visible()
    goal_set = GoalSet.objects.get(name="Quarter basics")
    items = list(goal_set.items.order_by("position"))
    assert [item.text for item in items] == ["Collect 95 % of balances due this month.", DSO_KPI]
    assert items[0].template is None
    assert items[1].template.text == DSO_KPI  # the link to the library entry is kept
