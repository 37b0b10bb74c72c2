"""Pages around the workflow: the sheet list's pages and the error pages people may meet."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import EmployeeFactory, GoalSheetFactory, ReviewPeriodFactory

pytestmark = pytest.mark.django_db


def test_it_pages_a_long_sheet_list_and_keeps_the_filters(client, hr, period):
    for _ in range(55):
        GoalSheetFactory(period=period, employee=EmployeeFactory())
    client.force_login(hr.user)

    first = client.get(reverse("sheet_list"), {"state": "drafting", "period": period.pk})
    second = client.get(reverse("sheet_list"),
                        {"state": "drafting", "period": period.pk, "page": 2})

    assert "Page 1 of 2 · 55 sheets" in first.content.decode()
    assert f"period={period.pk}&amp;state=drafting&amp;page=2" in first.content.decode()
    assert len(re.findall(r'href="/sheets/\d+/"', second.content.decode())) == 5
    assert "Page 2 of 2 · 55 sheets" in second.content.decode()
    # A page past the end (or below 1) shows the last one, and a page that is no number the first.
    for last in ("999", "-3"):
        shown = client.get(reverse("sheet_list"), {"page": last}).content.decode()
        assert "Page 2 of 2 · 55 sheets" in shown
    assert "Page 1 of 2" in client.get(reverse("sheet_list"), {"page": "two"}).content.decode()


def test_an_unknown_page_is_a_friendly_404(client, employee, settings):
    settings.DEBUG = False
    client.force_login(employee.user)

    response = client.get("/no/such/page/")

    assert response.status_code == 404
    assert "There is nothing here, or nothing you may see." in response.content.decode()


def test_a_form_sent_without_its_csrf_token_says_nothing_was_saved(sheet, supervisor):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(supervisor.user)

    response = browser.post(reverse("sheet_edit", args=[sheet.pk]), {"version": sheet.version})

    assert response.status_code == 403
    assert "Nothing was saved" in response.content.decode()


def test_the_inbox_links_each_sheet_to_the_next_step_of_whoever_reads_it(
        client, sheet, employee, supervisor, advance):
    client.force_login(supervisor.user)
    drafting = client.get(reverse("inbox")).content.decode()
    advance(sheet, "employee_review")
    client.force_login(employee.user)
    answering = client.get(reverse("inbox")).content.decode()

    assert f'href="{reverse("sheet_edit", args=[sheet.pk])}">Edit goals</a>' in drafting
    assert f'href="{reverse("sheet_answers", args=[sheet.pk])}">Answer goals</a>' in answering


def test_an_hr_member_who_supervises_the_employee_is_not_asked_to_review_the_sheet(
        client, sheet, supervisor, hr, advance):
    hr_group = hr.user.groups.get()
    supervisor.user.groups.add(hr_group)
    advance(sheet, "hr_review", hr_user=hr.user)
    client.force_login(supervisor.user)

    inbox = client.get(reverse("inbox")).content.decode()

    assert "Nothing is waiting on you" in inbox


def test_the_sheet_page_says_whether_the_signatures_match_the_content(
        client, sheet, supervisor, employee, advance):
    advance(sheet, "hr_review")
    client.force_login(employee.user)
    signed = client.get(reverse("sheet_detail", args=[sheet.pk])).content.decode()
    # Someone changes a goal behind the workflow's back (the admin, a script).
    sheet.goals.filter(position=1).update(target=40)
    tampered = client.get(reverse("sheet_detail", args=[sheet.pk])).content.decode()

    assert "every signature above matches it" in signed
    assert signed.count("✓ matches") == 2
    assert "every signature above matches it" not in tampered
    assert tampered.count("the content changed after this signature") == 2


@pytest.mark.parametrize("filters", [{}, {"state": "drafting"}, {"period": "P"},
                                     {"period": "P", "state": "drafting"}])
def test_each_viewer_lists_their_own_line_whatever_the_filters(
        client, supervisor, employee, other_supervisor, other_employee, hr, period, filters):
    # The first page's query is built once per shape of the list and run again with each
    # viewer's own values: every viewer still sees exactly their line.
    other_period = ReviewPeriodFactory(name="2028")
    mine = [GoalSheetFactory(employee=employee, period=period),
            GoalSheetFactory(employee=employee, period=other_period, state="sent")]
    theirs = [GoalSheetFactory(employee=other_employee, period=period),
              GoalSheetFactory(employee=other_employee, period=other_period)]
    params = {name: period.pk if value == "P" else value for name, value in filters.items()}

    def listed(viewer):
        client.force_login(viewer.user)
        page = client.get(reverse("sheet_list"), params).content.decode()
        return {int(pk) for pk in re.findall(r'href="/sheets/(\d+)/"', page)}

    def expected(sheets):
        return {s.pk for s in sheets if (not filters.get("state") or s.state == "drafting")
                and (not filters.get("period") or s.period_id == period.pk)}

    assert listed(supervisor) == expected(mine)
    assert listed(other_supervisor) == expected(theirs)
    assert listed(supervisor) == expected(mine)
    assert listed(hr) == expected(mine + theirs)
    assert listed(employee) == expected(mine)
