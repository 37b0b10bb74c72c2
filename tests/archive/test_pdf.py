"""The archival PDF itself: what it says, page by page, and what makes it archival (PDF/A-3u,
embedded fonts, metadata, the JSON attachment, no fetch outside the static files)."""

import datetime
import re
from decimal import Decimal

import pytest

from goalsapp.models import SheetState
from goalsapp.seeds import form_acknowledgement
from reviews.archive.pdf import StaticFilesOnly, render_sheet_pdf
from reviews.canonical import content_hash, sheet_canonical
from reviews.models import ReviewEvent, Signature
from tests.archive import archive_helpers
from tests.archive.archive_helpers import (
    QUESTION,
    SMART_NOTE,
    archive_of,
    embedded_json,
    page_texts,
    pdf_reader,
    pdf_text,
    pdfa_identification,
    stored_bytes,
)
from tests.factories import GoalFactory, GoalSheetFactory
from tests.workflow_helpers import REPLY, SUMMARY

pytestmark = pytest.mark.django_db

signed_sheet = archive_helpers.signed_sheet


@pytest.fixture
def archived_pdf(signed_sheet) -> bytes:
    return stored_bytes(archive_of(signed_sheet))


def test_the_pdf_reads_like_the_paper_form(signed_sheet, archived_pdf):
    text = pdf_text(archived_pdf)

    for expected in (
        "Employee Performance Goals",
        "Employee's Name: Emma Ellis", "Collections Specialist", "E-1003", "Boston, MA",
        "Supervisor's Name: Sam Sutton", "01/01/2027 to 12/31/2027",
        "Reduce DSO on the assigned portfolio from 52 to 45 days by June 30, 2027.",
        "Collect $250,000 of balances over 90 days past due by December 15, 2027.",
        "Due: 06/30/2027", "Due: 12/15/2027",
        "Round 1: Okay — “Fine by me.”",
        f"Round 1: Needs Clarification — “{QUESTION}”",
        f"Supervisor's reply: “{REPLY}”", "Round 2: Okay",
        SUMMARY["estimated_total_time"], SUMMARY["milestones"],
        "Goal 1: Specific ✓ pass · Measurable ✓ pass · Achievable ✓ pass · Relevant ✓ pass · "
        "Time-bound ✓ pass",
        f"Goal 2: Specific ✓ pass · Measurable ✓ pass · Achievable ✓ pass · Relevant ✓ pass · "
        f"Time-bound ✓ pass — {SMART_NOTE}",
        form_acknowledgement(),
        "Supervisor: Sam Sutton", "Employee: Emma Ellis", "Human Resources: Hana Hughes",
        f"Content SHA-256 of this sheet: {content_hash(signed_sheet)}",
    ):
        assert expected in text, expected
    # Goals grouped under their competency, as on paper.
    for goal in signed_sheet.goals.select_related("competency"):
        assert goal.competency.name in text
    assert text.count("✓ pass") == 10  # five criteria, two goals
    assert "DRAFT" not in text


def test_every_signature_shows_its_date_and_hash(signed_sheet, archived_pdf):
    text = pdf_text(archived_pdf)

    signatures = Signature.objects.filter(sheet=signed_sheet, voided_at__isnull=True)
    assert signatures.count() == 3
    for signature in signatures:
        assert f"Date: {signature.signed_at:%m/%d/%Y %H:%M}" in text
        assert text.count(f"Content SHA-256 when signed: {signature.content_hash}") == 3


def test_the_pdf_is_pdf_a_3u_with_metadata_and_embedded_fonts(archived_pdf):
    reader = pdf_reader(archived_pdf)

    assert pdfa_identification(archived_pdf) == ("3", "U")
    assert reader.metadata.title == "Employee Performance Goals: Emma Ellis, 2027"
    assert reader.metadata.author == "Sam Sutton"
    assert "Emma Ellis (E-1003)" in reader.metadata.subject
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts[font["/BaseFont"]] = "/FontFile2" in descriptor
    assert fonts and all(fonts.values()), fonts  # every font carried inside the file
    assert all("Goalpost-Sans" in name for name in fonts)


def test_the_embedded_json_holds_the_signed_content_and_the_timeline(signed_sheet,
                                                                      archived_pdf):
    data = embedded_json(archived_pdf)

    assert data["format"] == "goalpost-sheet-archive/1"
    assert data["canonical"] == sheet_canonical(signed_sheet)
    assert data["content_hash"] == content_hash(signed_sheet)
    assert {s["role"]: s["typed_name"] for s in data["signatures"]} == {
        "supervisor": "Sam Sutton", "employee": "Emma Ellis", "hr": "Hana Hughes"}
    events = list(ReviewEvent.objects.filter(sheet=signed_sheet))
    assert [e["action"] for e in data["events"]] == [e.action for e in events]
    assert data["events"][-1]["to_state"] == "signed"
    assert [c["note"] for c in data["smart_checks"]] == ["", SMART_NOTE]


@pytest.fixture
def long_sheet(employee, period):
    """Forty goals with long comments: the kind of sheet that must break across pages."""
    sheet = GoalSheetFactory(employee=employee, period=period,
                             additional_comments="A long comment. " * 120)
    for number in range(1, 41):
        GoalFactory(sheet=sheet, position=number, target=Decimal(number),
                    due_on=datetime.date(2027, 6, 30),
                    text=f"Goal number {number}: " + "resolve overdue accounts " * 12
                    + f"(end of goal {number})")
    return sheet


def test_a_forty_goal_sheet_breaks_across_pages_with_name_and_page_numbers(long_sheet):
    pages = page_texts(render_sheet_pdf(long_sheet, draft=True))

    assert len(pages) >= 5
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "Emma Ellis" in text
        assert "DRAFT" in text
    every_page = " ".join(pages)
    assert all(f"Goal {number}." in every_page for number in range(1, 41))


def test_a_goal_is_kept_on_one_page(long_sheet):
    pages = page_texts(render_sheet_pdf(long_sheet, draft=True))

    for number in range(1, 41):
        holding = [page for page in pages if re.search(rf"Goal {number}\. Goal number", page)]
        assert len(holding) == 1
        assert f"(end of goal {number})" in holding[0]


def test_a_preview_is_stamped_draft_on_every_page(sheet):
    pages = page_texts(render_sheet_pdf(sheet, draft=True))

    assert pages and all("DRAFT — not the signed record" in page for page in pages)
    assert "is in “Drafting”" in pages[0]


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/evil.css",
    "https://example.com/font.ttf",
    "file:///etc/passwd",
    "data:text/css,body{color:red}",
])
def test_the_renderer_fetches_nothing_outside_the_static_files(url):
    with pytest.raises(ValueError, match="only reads static files"):
        StaticFilesOnly().fetch(url)


def test_the_renderer_refuses_a_path_that_climbs_out_of_static(settings):
    static = StaticFilesOnly().roots[0]
    climbing = f"{static.as_uri()}/../pyproject.toml"

    with pytest.raises(ValueError, match="only reads static files"):
        StaticFilesOnly().fetch(climbing)
    assert StaticFilesOnly().fetch(f"{static.as_uri()}/pdf/sheet.css").content_type == "text/css"


def test_a_sheet_in_any_state_renders(sheet, advance):
    advance(sheet, SheetState.EMPLOYEE_SIGNATURE)

    text = pdf_text(render_sheet_pdf(sheet, draft=True))

    assert "Supervisor: Sam Sutton" in text
    assert "Human Resources: not signed" in text


def test_the_record_of_events_shows_each_signatures_evidence(signed_sheet, archived_pdf):
    text = pdf_text(archived_pdf)
    record = text[text.index("Record of events"):]

    for signature in Signature.objects.filter(sheet=signed_sheet, voided_at__isnull=True):
        consent = signature.consent
        assert (f"Electronic signature of {signature.typed_name} "
                f"({signature.get_role_display().lower()}): consent to sign electronically "
                f"given {consent.given_at:%m/%d/%Y %H:%M}") in record
        assert f"signed in {signature.authenticated_at:%m/%d/%Y %H:%M}" in record
    assert record.count("from 127.0.0.1; browser “Goalpost tests”") == 3


def test_the_embedded_json_keeps_each_signatures_evidence(signed_sheet, archived_pdf):
    data = embedded_json(archived_pdf)

    for entry in data["signatures"]:
        signature = Signature.objects.get(sheet=signed_sheet, role=entry["role"],
                                          voided_at__isnull=True)
        assert entry["consent"]["text"] == signature.consent.text
        assert entry["consent"]["text_sha256"] == signature.consent.text_sha256
        assert entry["consent"]["given_at"] == signature.consent.given_at.isoformat()
        assert entry["authenticated_at"] == signature.authenticated_at.isoformat()
        assert (entry["ip_address"], entry["user_agent"]) == ("127.0.0.1", "Goalpost tests")

