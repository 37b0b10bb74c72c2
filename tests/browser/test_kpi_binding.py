"""Sam adds a library KPI that the AR ledger measures to Emma's draft in Chromium: the row
arrives bound to its KPI, he measures it on the team's accounts, and the saved goal keeps it."""

import pytest
from playwright.sync_api import expect

from goalsapp.models import Goal

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DSO_KPI = "Average days outstanding for overdue accounts"


def test_a_library_kpi_arrives_bound_and_is_saved_with_its_scope(login, sheet, supervisor):
    _, sam = login("sam")
    sam.goto(f"/sheets/{sheet.pk}/edit/")
    rows = sam.get_by_test_id("goal-row")
    expect(rows).to_have_count(2)
    sam.get_by_text("Pick goals from the library").click()
    sam.get_by_label("Search").fill("days outstanding")
    entry = sam.get_by_test_id("library-entry").filter(has_text=DSO_KPI)
    expect(sam.get_by_test_id("library-entry")).to_have_count(1)
    entry.get_by_role("button", name="Add to sheet").click()

    expect(rows).to_have_count(3)
    added = rows.nth(2)
    expect(added.get_by_label("KPI", exact=True)).to_have_value("add")
    expect(added.get_by_label("KPI measured on")).to_have_value("collector")
    added.get_by_label("KPI measured on").select_option("team")
    added.get_by_label("Target").fill("12")
    sam.get_by_role("button", name="Save goals").click()
    expect(sam.get_by_role("alert").filter(has_text="Goals saved.")).to_be_visible()
    goal = Goal.objects.get(sheet=sheet, text=DSO_KPI)
    assert (goal.kpi, goal.kpi_scope) == ("add", "team")
