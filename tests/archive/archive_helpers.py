"""Fixtures and readers shared by the archive tests: a sheet signed through the real services with
its after-commit hooks run (so the archive task runs, eagerly), and a PDF read as a person or an
archivist would read it (its text, its XMP identification, its embedded JSON).

Use a fixture in a test module by naming it there: `signed_sheet = archive_helpers.signed_sheet`.
"""

import hashlib
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader

from goalsapp.models import GoalSheet, SheetState
from reviews import services
from reviews.archive.models import SheetArchive
from reviews.models import GoalAnswer
from tests.workflow_helpers import ALL_PASS

PDFAID = "{http://www.aiim.org/pdfa/ns/id/}"
QUESTION = "Does the $250,000 include balances already on a payment plan?"
SMART_NOTE = "Clear, dated and measured in dollars."


def sheet_with_history(sheet, advance, hr) -> GoalSheet:
    """Emma's sheet taken to HR review with a clarification round (her question, Sam's reply) and
    a SMART note from Hana on goal 2: everything the PDF must show besides the signatures."""
    advance(sheet, SheetState.EMPLOYEE_REVIEW)
    first, second = sheet.goals.order_by("position")
    employee = sheet.employee.user
    services.goal_answer(goal_id=first.pk, actor=employee, answer="okay", comment="Fine by me.")
    services.goal_answer(goal_id=second.pk, actor=employee,
                         answer=GoalAnswer.Answer.NEEDS_CLARIFICATION, comment=QUESTION)
    sheet = GoalSheet.objects.get(pk=sheet.pk)
    services.sheet_submit_answers(sheet_id=sheet.pk, actor=employee, version=sheet.version)
    advance(sheet, SheetState.HR_REVIEW)
    services.goal_smart_check(goal_id=first.pk, actor=hr.user, verdicts=ALL_PASS, note="")
    services.goal_smart_check(goal_id=second.pk, actor=hr.user, verdicts=ALL_PASS,
                              note=SMART_NOTE)
    return GoalSheet.objects.get(pk=sheet.pk)


def sign_for_hr(sheet, advance, capture) -> GoalSheet:
    """HR signs; the after-commit hooks run, as they would after the real commit."""
    with capture(execute=True):
        advance(sheet, SheetState.SIGNED)
    return GoalSheet.objects.get(pk=sheet.pk)


@pytest.fixture
def signed_sheet(sheet, advance, hr, django_capture_on_commit_callbacks) -> GoalSheet:
    """Emma's sheet, signed by all three after a clarification round, its PDF archived."""
    return sign_for_hr(sheet_with_history(sheet, advance, hr), advance,
                       django_capture_on_commit_callbacks)


def archive_of(sheet) -> SheetArchive:
    return SheetArchive.objects.get(sheet=sheet)


def stored_bytes(archive: SheetArchive) -> bytes:
    with default_storage.open(archive.file.name, "rb") as stored:
        return stored.read()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pdf_reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def page_texts(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in pdf_reader(data).pages]


def pdf_text(data: bytes) -> str:
    return " ".join(page_texts(data))


def pdfa_identification(data: bytes) -> tuple[str, str]:
    """(part, conformance) from the XMP metadata, as a PDF/A validator reads it."""
    xmp = pdf_reader(data).trailer["/Root"]["/Metadata"].get_data()
    for element in ET.fromstring(xmp).iter():
        if f"{PDFAID}part" in element.attrib:
            return element.attrib[f"{PDFAID}part"], element.attrib[f"{PDFAID}conformance"]
        if element.tag == f"{PDFAID}part":
            conformance = next(e.text for e in ET.fromstring(xmp).iter()
                               if e.tag == f"{PDFAID}conformance")
            return element.text, conformance
    raise AssertionError("No PDF/A identification in the XMP metadata.")


def embedded_json(data: bytes) -> dict:
    attachments = pdf_reader(data).attachments
    assert list(attachments) == ["goal-sheet.json"], list(attachments)
    return json.loads(attachments["goal-sheet.json"][0])
