"""The API's sheets, amended: the list holds one sheet a person and period (the newest version,
as the sheet list), the detail names what it amends, and the earlier version stays readable."""

import pytest

from goalsapp.models import SheetState
from tests.amendment_helpers import REASON, signed_and_amended
from tests.api_helpers import token_client

pytestmark = pytest.mark.django_db


def test_the_list_shows_the_newest_version_and_the_detail_what_it_amends(sheet, advance, hr):
    first, second = signed_and_amended(sheet, advance)
    client, _ = token_client(hr.user)

    listed = client.get("/api/sheets/").json()["results"]
    assert [(s["id"], s["edition"], s["amends"], s["state"]) for s in listed] == [
        (second.pk, 2, first.pk, SheetState.DRAFTING)]

    detail = client.get(f"/api/sheets/{second.pk}/").json()
    assert detail["amendment_reason"] == REASON
    originals = {g.pk for g in first.goals.all()}
    assert {g["carried_from"] for g in detail["goals"]} == originals

    earlier = client.get(f"/api/sheets/{first.pk}/").json()
    assert (earlier["edition"], earlier["amends"], earlier["state"]) == (
        1, None, SheetState.SIGNED)


def test_an_employee_reads_both_versions_of_their_own_sheet_only(sheet, advance, employee,
                                                                  other_employee):
    first, second = signed_and_amended(sheet, advance)
    mine, _ = token_client(employee.user)
    theirs, _ = token_client(other_employee.user)
    assert [s["id"] for s in mine.get("/api/sheets/").json()["results"]] == [second.pk]
    assert mine.get(f"/api/sheets/{first.pk}/").status_code == 200
    assert theirs.get(f"/api/sheets/{first.pk}/").status_code == 404
    assert theirs.get(f"/api/sheets/{second.pk}/").status_code == 404
