"""Each state of a sheet is held to one of its period's due dates; a signed sheet to none."""
import pytest

from goalsapp.models import SheetState
from reviews.workflow import stage_due_date
from tests.workflow_helpers import advance

pytestmark = pytest.mark.django_db

EXPECTED_FIELD = [
    (SheetState.DRAFTING, "goals_due"),
    (SheetState.EMPLOYEE_REVIEW, "answers_due"),
    (SheetState.SUPERVISOR_SIGNATURE, "signatures_due"),
    (SheetState.EMPLOYEE_SIGNATURE, "signatures_due"),
    (SheetState.HR_REVIEW, "hr_review_due"),
]


@pytest.mark.parametrize(("state", "field"), EXPECTED_FIELD)
def test_a_sheet_is_due_by_its_stage_date(state, field, sheet, hr):
    sheet = advance(sheet, state)
    assert stage_due_date(sheet) == getattr(sheet.period, field)


def test_a_signed_sheet_is_due_for_nothing(sheet, hr):
    assert stage_due_date(advance(sheet, SheetState.SIGNED)) is None
