"""Section 3 of the paper form is the employee's: goals completed since the last feedback and
their comments, written while answering, part of what everyone signs, on the sheet page and in
the archived PDF; sheets signed before the comments existed still verify."""

import pytest
from django.urls import reverse

from goalsapp.models import SheetState as S
from reviews import services
from reviews.canonical import content_hash, sheet_canonical
from reviews.models import Signature
from tests.archive.archive_helpers import pdf_text
from tests.page_helpers import by_testid, field_error, form_values, fresh, login

pytestmark = pytest.mark.django_db

DONE = "Cleared the 2026 backlog of 120 accounts."
COMMENTS = "I would like a mid-year check-in on the DSO goal."


@pytest.fixture
def answering(client, sheet, employee, advance):
    advance(sheet, S.EMPLOYEE_REVIEW)
    login(client, employee)
    return sheet


def test_the_employee_writes_their_section_with_the_answers(client, answering):
    sheet = answering
    ticks = {f"goal-{goal.pk}-answer": "okay" for goal in sheet.goals.all()}

    response = client.post(reverse("sheet_answers", args=[sheet.pk]), {
        **ticks, "employee-goals_completed_since_last": DONE,
        "employee-employee_comments": COMMENTS, "submit_answers": ""})

    assert response.status_code == 302
    stored = fresh(sheet)
    assert (stored.goals_completed_since_last, stored.employee_comments) == (DONE, COMMENTS)
    section = by_testid(client.get(reverse("sheet_detail", args=[sheet.pk])), "employee-section")
    assert DONE in section and COMMENTS in section


def test_too_long_a_comment_is_marked_and_every_choice_kept(client, answering):
    sheet = answering
    first = sheet.goals.order_by("position").first()

    response = client.post(reverse("sheet_answers", args=[sheet.pk]), {
        f"goal-{first.pk}-answer": "okay", "employee-employee_comments": "x" * 5000})

    assert response.status_code == 200
    assert field_error(response, "id_employee-employee_comments").startswith("Keep this under")
    values = form_values(response, form_id="answers-form")
    assert values[f"goal-{first.pk}-answer"] == "okay"
    assert values["employee-employee_comments"] == "x" * 5000
    assert fresh(sheet).employee_comments == ""


def test_the_supervisors_editor_no_longer_writes_the_employees_section(client, sheet, supervisor):
    login(client, supervisor)
    response = client.get(reverse("sheet_edit", args=[sheet.pk]))
    assert "goals_completed_since_last" not in form_values(response, form_id="goal-editor")


def test_the_comments_are_signed_content(answering, employee):
    sheet = answering
    before = content_hash(sheet)
    services.sheet_save_employee_section(sheet_id=sheet.pk, actor=employee.user,
                                         values={"employee_comments": COMMENTS})
    assert sheet_canonical(fresh(sheet))["employee_comments"] == COMMENTS
    assert content_hash(fresh(sheet)) != before


def test_a_sheet_without_comments_keeps_its_former_canonical_form(sheet, advance):
    """Sheets signed before issue 13 have no comments: their content, and so their three
    signature hashes, are exactly what they were."""
    signed = advance(sheet, S.SIGNED)
    assert "employee_comments" not in sheet_canonical(signed)
    hashes = set(Signature.objects.filter(sheet=signed).values_list("content_hash", flat=True))
    assert hashes == {content_hash(signed)}


def test_only_the_employee_writes_the_section_and_only_while_answering(sheet, supervisor,
                                                                      employee):
    from reviews.workflow import WorkflowError

    with pytest.raises(WorkflowError):
        services.sheet_save_employee_section(sheet_id=sheet.pk, actor=employee.user,
                                             values={"employee_comments": COMMENTS})
    assert fresh(sheet).employee_comments == ""


def test_the_archived_pdf_carries_the_employees_section(answering, employee):
    from reviews.archive.pdf import render_sheet_pdf

    services.sheet_save_employee_section(
        sheet_id=answering.pk, actor=employee.user,
        values={"goals_completed_since_last": DONE, "employee_comments": COMMENTS})

    text = pdf_text(render_sheet_pdf(fresh(answering), draft=True))

    assert DONE in text and "Employee comments" in text and COMMENTS in text
