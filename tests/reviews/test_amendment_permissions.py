"""Who may open what about an amended sheet: the amendment page over every persona and every
state, and both versions' pages, which show exactly to whoever may see the sheet.

As everywhere (tests/reviews/test_permissions.py): a sheet you may not see answers 404 byte for
byte like a missing one; a role that may never amend answers 403 with the reason; a state that
does not allow it sends you back to the sheet with the reason; nothing changes on a refusal."""

import pytest
from django.urls import reverse

from goalsapp.models import GoalSheet, SheetState
from reviews.amendments import REASON_REQUIRED, REASON_TOO_LONG
from reviews.models import ReviewEvent
from tests.amendment_helpers import REASON, amend
from tests.page_helpers import alerts, by_testid, field_error, form_values, fresh, texts
from tests.permission_helpers import LOGIN, PERSONAS, page_without_csrf, sign_in

pytestmark = pytest.mark.django_db
S = SheetState
MAY_AMEND = ("supervisor", "hr")
SEES_EMMA = ("employee", "supervisor", "manager", "hr", "admin")


def person_of(request, persona):
    return None if persona == "anonymous" else request.getfixturevalue(persona)


def footprint() -> tuple:
    return (GoalSheet.objects.count(), ReviewEvent.objects.count(),
            sorted(GoalSheet.objects.values_list("version", flat=True)))


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_amending_a_signed_sheet(client, request, sheet, advance, persona, method):
    signed = advance(sheet, S.SIGNED)
    sign_in(client, person_of(request, persona))
    before = footprint()
    path = reverse("sheet_amend", args=[signed.pk])

    response = client.post(path, {"reason": REASON}) if method == "post" else client.get(path)

    if persona == "anonymous":
        assert response.status_code == 302 and response.url.startswith(f"{LOGIN}?next=")
    elif persona not in SEES_EMMA:
        missing_path = reverse("sheet_amend", args=[signed.pk + 10_000])
        missing = (client.post(missing_path, {"reason": REASON}) if method == "post"
                   else client.get(missing_path))
        assert response.status_code == missing.status_code == 404
        assert page_without_csrf(response.content) == page_without_csrf(missing.content)
        assert b"Emma" not in response.content
    elif persona in MAY_AMEND:
        if method == "get":
            assert response.status_code == 200
            assert by_testid(response, "amend-title") == "Start an amendment: version 2"
        else:
            second = GoalSheet.objects.get(amends=signed)
            assert response.status_code == 302
            assert response.url == reverse(
                "sheet_edit" if persona == "supervisor" else "sheet_detail", args=[second.pk])
            return
    else:
        assert response.status_code == 403
        assert by_testid(response, "forbidden-reason") == (
            "Only the employee's supervisor or Human Resources may “start an amendment” on "
            "this sheet.")
    assert footprint() == before


@pytest.mark.parametrize("state", [S.DRAFTING, S.EMPLOYEE_REVIEW, S.SUPERVISOR_SIGNATURE,
                                   S.EMPLOYEE_SIGNATURE, S.HR_REVIEW])
@pytest.mark.parametrize("persona", MAY_AMEND)
def test_a_sheet_not_signed_yet_is_not_amended(client, request, sheet, advance, state, persona):
    advance(sheet, state)
    sign_in(client, person_of(request, persona))
    before = footprint()

    response = client.post(reverse("sheet_amend", args=[sheet.pk]), {"reason": REASON},
                           follow=True)

    assert response.redirect_chain[-1][0] == reverse("sheet_detail", args=[sheet.pk])
    assert "“Start an amendment” is not possible now" in alerts(response)
    assert footprint() == before


@pytest.mark.parametrize("persona", MAY_AMEND)
def test_a_sheet_under_amendment_is_not_amended_twice(client, request, sheet, advance, persona):
    signed = advance(sheet, S.SIGNED)
    amend(signed, signed.employee.supervisor.user)
    sign_in(client, person_of(request, persona))
    before = footprint()

    page = client.get(reverse("sheet_detail", args=[signed.pk]))
    response = client.post(reverse("sheet_amend", args=[signed.pk]), {"reason": REASON},
                           follow=True)

    assert "Start an amendment" not in page.content.decode()
    assert "Version 2 of this sheet is already under way" in alerts(response)
    assert footprint() == before


@pytest.mark.parametrize("reason, message", [("", REASON_REQUIRED), ("  ", REASON_REQUIRED),
                                             ("x" * 4001, REASON_TOO_LONG)])
def test_a_missing_or_overlong_reason_is_said_at_the_field(client, supervisor, sheet, advance,
                                                           reason, message):
    signed = advance(sheet, S.SIGNED)
    sign_in(client, supervisor)
    response = client.post(reverse("sheet_amend", args=[signed.pk]), {"reason": reason})
    assert response.status_code == 200
    assert field_error(response, "id_reason") == message
    if reason.strip():  # what was typed is kept
        assert form_values(response, having="reason")["reason"] == reason
    assert GoalSheet.objects.count() == 1


@pytest.mark.parametrize("version", [1, 2])
@pytest.mark.parametrize("persona", PERSONAS)
def test_both_versions_show_to_exactly_who_sees_the_sheet(client, request, sheet, advance,
                                                          persona, version):
    first = advance(sheet, S.SIGNED)
    second = amend(first, first.employee.supervisor.user)
    shown = {1: first, 2: second}[version]
    sign_in(client, person_of(request, persona))

    response = client.get(reverse("sheet_detail", args=[shown.pk]))

    if persona == "anonymous":
        assert response.status_code == 302
    elif persona in SEES_EMMA:
        assert response.status_code == 200
        assert len(texts(response, data_testid="version-row")) == 2
    else:
        missing = client.get(reverse("sheet_detail", args=[shown.pk + 10_000]))
        assert response.status_code == missing.status_code == 404
        assert page_without_csrf(response.content) == page_without_csrf(missing.content)


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_supervisor_edits_version_2(client, request, sheet, advance, persona):
    first = advance(sheet, S.SIGNED)
    second = amend(first, first.employee.supervisor.user)
    sign_in(client, person_of(request, persona))

    response = client.get(reverse("sheet_edit", args=[second.pk]))

    expected = {"anonymous": 302, "supervisor": 200, "other_supervisor": 404,
                "other_employee": 404}.get(persona, 403)
    assert response.status_code == expected
    if expected == 200:
        assert by_testid(response, "version-note").startswith("Version 2 — amends version 1")
    assert fresh(first).state == S.SIGNED
