"""Each dashboard in Chromium: the chart is drawn on its canvas and the table beside it holds the
numbers. Emma (collector), Sam (her supervisor) and Hana (HR) each look at theirs."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.helpers import PHONE
from tests.factories import ReviewPeriodFactory
from tests.progress_helpers import record, signed_sheet

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def numbers(employee, other_employee, hr):
    """A period around today; Emma at 40 and 30 of 100 accounts, Oliver at 90 on both."""
    today = timezone.localdate()
    period = ReviewPeriodFactory(
        name="Current", starts_on=today - datetime.timedelta(days=200),
        ends_on=today + datetime.timedelta(days=165),
        goals_due=today - datetime.timedelta(days=150),
        answers_due=today - datetime.timedelta(days=140),
        signatures_due=today - datetime.timedelta(days=130),
        hr_review_due=today - datetime.timedelta(days=120))
    as_of = today - datetime.timedelta(days=10)
    for person, actuals in ((employee, (40, 30)), (other_employee, (90, 90))):
        sheet = signed_sheet(person, period)
        for goal, actual in zip(sheet.goals.order_by("position"), actuals, strict=True):
            record(goal, actual, as_of=as_of, today=today)
    return period


def expect_chart(page: Page, chart_id: str) -> None:
    canvas = page.locator(f'canvas[data-chart="{chart_id}"]')
    expect(canvas).to_have_attribute("data-rendered", "true")
    drawn = page.evaluate(
        "id => { const c = document.querySelector(`canvas[data-chart=\"${id}\"]`);"
        " const chart = window.Chart.getChart(c);"
        " return chart ? chart.data.datasets[0].data.length : -1; }", chart_id)
    assert drawn > 0
    assert canvas.bounding_box()["width"] > 100


def test_the_collector_sees_her_goals_charted_beside_the_table(login, numbers):
    _context, page = login("emma")
    page.get_by_role("link", name="Dashboards").click()
    expect(page.get_by_role("heading", name="My dashboard")).to_be_visible()
    expect_chart(page, "chart-attainment")
    expect_chart(page, "chart-over-time")
    table = page.get_by_test_id("goals-table")
    expect(table).to_contain_text("40 accounts")
    expect(table).to_contain_text("40 %")
    expect(table).to_contain_text("30 %")
    status = table.locator("[data-status]").first
    expect(status).to_have_attribute("title", re.compile("Expected progress"))


def test_the_dashboards_fit_a_phone(login, numbers):
    _context, page = login("emma", viewport=PHONE)
    page.goto("/dashboards/me/")
    expect_chart(page, "chart-attainment")
    expect(page.get_by_test_id("goals-table")).to_contain_text("40 %")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]


def test_the_supervisor_sees_the_team_and_drills_down(login, numbers):
    _context, page = login("sam")
    page.goto("/dashboards/team/")
    expect_chart(page, "chart-team")
    table = page.get_by_test_id("group-table")
    expect(table).to_contain_text("Emma Ellis")
    expect(table).to_contain_text("35 %")
    expect(table).not_to_contain_text("Oliver")
    table.get_by_role("link", name="Emma Ellis").click()
    expect(page.get_by_role("heading", name="Emma Ellis")).to_be_visible()
    expect(page.get_by_test_id("goals-table")).to_contain_text("30 %")


def test_hr_compares_territories_and_reads_the_workflow(login, numbers):
    _context, page = login("hana")
    page.goto("/dashboards/department/?group_by=territory")
    expect_chart(page, "chart-department")
    rows = page.get_by_test_id("group-table").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Midwest")
    expect(rows.nth(0)).to_contain_text("90 %")
    expect(rows.nth(1)).to_contain_text("Northeast")
    expect(rows.nth(1)).to_contain_text("35 %")
    page.get_by_label("Group by").select_option("tier")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"group_by=tier"))
    expect(page.get_by_test_id("group-table")).to_contain_text("63 %")
    page.get_by_role("link", name="Workflow").click()
    expect_chart(page, "chart-workflow")
    expect(page.get_by_test_id("workflow-table")).to_contain_text("Current")
    expect(page.get_by_test_id("workflow-table").locator("tbody tr").first).to_contain_text("2")


LONG_GOAL = ("Reduce the number of accounts more than ninety days past due across the whole "
             "assigned portfolio by calling each customer weekly, agreeing payment plans, "
             "escalating disputes within two days and recording every promise to pay in the "
             "collections system, so that the aged balance falls month after month.")


def test_a_long_goal_is_clamped_to_two_lines_on_the_collectors_dashboard(login, employee):
    from decimal import Decimal

    from goalsapp.models import GoalSheet, SheetState
    from tests.factories import GoalFactory, GoalSheetFactory

    today = timezone.localdate()
    period = ReviewPeriodFactory(name="Current", starts_on=today - datetime.timedelta(days=30),
                                 ends_on=today + datetime.timedelta(days=300))
    sheet = GoalSheetFactory(employee=employee, period=period)
    GoalFactory(sheet=sheet, position=1, text=LONG_GOAL, target=Decimal(100), baseline=None,
                direction="higher", measure_kind="count", unit="accounts",
                due_on=period.ends_on)
    GoalSheet.objects.filter(pk=sheet.pk).update(state=SheetState.SIGNED,
                                                 locked_at=timezone.now())
    _context, page = login("emma")
    page.goto("/dashboards/me/")
    cell = page.get_by_test_id("goals-table").locator(".goal-clamp").first
    expect(cell).to_have_attribute("title", LONG_GOAL)  # the whole text on hover
    box = cell.bounding_box()
    line_height = cell.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
    assert box["height"] <= 2 * line_height + 2, (box, line_height)
    assert cell.evaluate("el => el.scrollHeight > el.clientHeight")  # more text than shown
