"""Sam picks a goal from the library into Emma's draft in Chromium, sees its SMART hints change
as he types the target and due date, and saves it without losing what he typed elsewhere."""

import pytest
from playwright.sync_api import expect

from goalsapp.models import Goal

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DSO_KPI = "Average days outstanding for overdue accounts"
EDITED = "Reduce DSO on the assigned portfolio from 52 to 44 days by June 30, 2027."


def test_pick_a_library_goal_into_a_sheet_and_see_its_hints(login, sheet, supervisor):
    _, sam = login("sam")
    sam.goto(f"/sheets/{sheet.pk}/edit/")
    rows = sam.get_by_test_id("goal-row")
    expect(rows).to_have_count(2)
    rows.nth(0).get_by_label("Goal*", exact=True).fill(EDITED)  # typed, not yet saved

    sam.get_by_text("Pick goals from the library").click()
    results = sam.get_by_test_id("library-results")
    expect(results).to_contain_text("60 entries")  # the default filter: Emma's title
    sam.get_by_label("Search").fill("days outstanding")
    entry = sam.get_by_test_id("library-entry").filter(has_text=DSO_KPI)
    expect(sam.get_by_test_id("library-entry")).to_have_count(1)
    entry.get_by_text("Preview").click()
    expect(entry).to_contain_text("Seed 004 · Collection Representative KPIs, KRA 1, KPI 3")
    entry.get_by_role("button", name="Add to sheet").click()

    expect(rows).to_have_count(3)
    added = rows.nth(2)
    expect(added.get_by_label("Goal*", exact=True)).to_have_value(DSO_KPI)
    expect(added.get_by_label("Unit")).to_have_value("days")
    hints = added.get_by_test_id("smart-hints")
    expect(hints.locator("[data-criterion=measurable]")).to_contain_text("No numeric target")
    # Due at the period's end until Sam says otherwise; the cursor waits on the target.
    expect(added.get_by_label("Due date")).to_have_value("2027-12-31")
    expect(hints.locator("[data-criterion=time_bound]")).to_contain_text("Due Dec 31, 2027")
    expect(added.get_by_label("Target")).to_be_focused()
    expect(hints.locator("[data-criterion=relevant]")).to_have_attribute("data-passes", "yes")

    added.get_by_label("Target").fill("40")
    added.get_by_label("Due date").fill("2027-09-30")
    added.get_by_label("Unit").click()  # leaving the date field fires its change
    expect(hints.locator("[data-criterion=measurable]")).to_contain_text(
        "It has a numeric target: 40 days.")
    expect(hints.locator("[data-criterion=time_bound]")).to_contain_text("Due Sep 30, 2027")
    expect(rows.nth(0).get_by_label("Goal*", exact=True)).to_have_value(EDITED)

    sam.get_by_role("button", name="Save goals").click()
    expect(sam.get_by_role("alert").filter(has_text="Goals saved.")).to_be_visible()
    goal = Goal.objects.get(sheet=sheet, text=DSO_KPI)
    assert goal.template.source_ref == "KRA 1, KPI 3"
    assert Goal.objects.filter(sheet=sheet, text=EDITED).exists()
