"""The demo department, as a newcomer meets it: everyone with something waiting opens it from
their inbox's next-step button and moves it on in the browser."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.browser.helpers import sign, state_badge

pytestmark = [pytest.mark.browser,
              pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def next_step(page: Page, employee_name: str, step: str) -> None:
    row = page.get_by_role("row").filter(has_text=employee_name)
    row.get_by_role("link", name=step).click()


def confirm(page: Page, button: str, state: str) -> None:
    page.get_by_role("button", name=button).click()
    expect(state_badge(page)).to_have_text(state)


def test_everyone_in_the_demo_can_move_their_sheet_on(login):
    call_command("demo", stdout=StringIO())

    _, hannah = login("hannah")
    next_step(hannah, "Hannah Novak", "Answer goals")
    for row in hannah.get_by_test_id("answer-row").all():  # ticked, carried by one submit
        row.get_by_label("Okay", exact=True).check()
    hannah.get_by_role("button", name="Submit answers…").click()
    confirm(hannah, "Submit answers", "Supervisor signature")

    _, samuel = login("samuel")
    next_step(samuel, "Samuel Osei", "Sign as employee")
    expect(samuel.get_by_test_id("acknowledgement")).to_contain_text("I acknowledge")
    samuel.get_by_label("I have read the acknowledgement above.").check()
    sign(samuel, "Sign as employee", "Samuel Osei")
    expect(state_badge(samuel)).to_have_text("HR review")

    _, marcus = login("marcus")
    next_step(marcus, "Rosa Delgado", "Write summary")
    marcus.get_by_role("button", name="Save and sign…").click()
    sign(marcus, "Sign as supervisor", "Marcus Bennett")
    expect(state_badge(marcus)).to_have_text("Employee signature")

    _, elena = login("elena")
    next_step(elena, "Luis Moreno", "Edit goals")
    clarification = elena.get_by_test_id("clarification")
    expect(clarification).to_contain_text("Luis Moreno asked for clarification")
    clarification.get_by_label("Your reply to the employee").fill(
        "Only accounts assigned to you this period count.")
    elena.get_by_role("button", name="Save and send to employee…").click()
    confirm(elena, "Send to employee", "Employee review")

    _, janet = login("janet")
    next_step(janet, "Daniel Kim", "SMART review")
    for row in janet.get_by_test_id("smart-row").all():
        for criterion in ("Specific", "Measurable", "Achievable", "Relevant", "Time-bound"):
            row.get_by_label(criterion, exact=True).check()
    janet.get_by_role("button", name="Save and sign for HR…").click()
    sign(janet, "Sign for HR", "Janet Cole")
    expect(state_badge(janet)).to_have_text("Signed")

    _, patricia = login("patricia")
    next_step(patricia, "Marcus Bennett", "Edit goals")
    patricia.get_by_role("button", name="Save and send to employee…").click()
    confirm(patricia, "Send to employee", "Employee review")
