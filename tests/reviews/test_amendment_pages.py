"""What people see of an amended sheet: one row a person in the lists, both versions on the sheet
page with links between them, the editor saying what version 2 amends and why."""

import pytest
from django.urls import reverse

from goalsapp.models import SheetState
from tests.amendment_helpers import REASON, signed_and_amended
from tests.page_helpers import by_testid, login, sheet_links, texts

pytestmark = pytest.mark.django_db
S = SheetState


@pytest.fixture
def versions(sheet, advance):
    return signed_and_amended(sheet, advance)


@pytest.mark.parametrize("persona", ["employee", "supervisor", "manager", "hr"])
def test_the_sheet_list_shows_one_row_the_newest_version(client, request, versions, persona):
    first, second = versions
    login(client, request.getfixturevalue(persona))
    response = client.get(reverse("sheet_list"))
    assert sheet_links(response) == {second.pk}
    assert by_testid(response, "version-tag") == "version 2"


def test_the_team_page_shows_the_version_under_way(client, supervisor, versions):
    first, second = versions
    login(client, supervisor)
    assert sheet_links(client.get(reverse("team"))) == {second.pk}


def test_the_inbox_offers_version_2_to_draft_and_never_version_1(client, supervisor, versions):
    first, second = versions
    login(client, supervisor)
    assert sheet_links(client.get(reverse("inbox"))) == {second.pk}


def test_the_workflow_overview_counts_the_person_once(client, hr, versions, period):
    login(client, hr)
    response = client.get(reverse("workflow_overview"))
    # One person drafting; every other column (the goals' and the closing review's stages) empty.
    assert response.context["table"] == [(period.name, [1, *[0] * 12], 1)]


def test_the_editor_says_what_version_2_amends_and_why(client, supervisor, versions):
    first, second = versions
    login(client, supervisor)
    response = client.get(reverse("sheet_edit", args=[second.pk]))
    signed_on = first.locked_at.strftime("%b %-d, %Y")
    assert by_testid(response, "version-note") == (
        f"Version 2 — amends version 1 signed on {signed_on}, reason: {REASON}")


def test_version_1s_page_says_it_is_in_force_and_then_replaced(client, hr, versions, advance):
    first, second = versions
    login(client, hr)
    response = client.get(reverse("sheet_detail", args=[first.pk]))
    assert by_testid(response, "version-note") == (
        "Version 1 — in force while version 2 is under way.")
    assert "progress-link" in response.content.decode()
    rows = texts(response, data_testid="version-row")
    assert rows[0].startswith("Version 1 (this page) Signed")
    assert rows[1].startswith("Version 2 Drafting — " + REASON[:40])

    advance(second, S.SIGNED)
    response = client.get(reverse("sheet_detail", args=[first.pk]))
    assert by_testid(response, "version-note").startswith(
        "Version 1 — replaced by version 2 signed on")
    assert "progress-link" not in response.content.decode()
    assert "Start an amendment" not in response.content.decode()
    response = client.get(reverse("sheet_detail", args=[second.pk]))
    assert "Start an amendment" in response.content.decode()
