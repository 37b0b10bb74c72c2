"""Two people acting on the same sheet at the same moment: one wins, the other is told, nothing
is lost. Real threads, real connections, real row locks: PostgreSQL only."""


import pytest

from goalsapp.models import GoalSheet, SheetState
from reviews import services
from reviews.models import ReviewEvent, Signature
from reviews.workflow import StaleVersion, WorkflowError
from tests.concurrency_helpers import race
from tests.workflow_helpers import signing_evidence

# Threads see only committed rows; the flush afterwards must bring back migrated data.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True),
              pytest.mark.usefixtures("postgresql_only")]


def test_two_simultaneous_supervisor_signatures_make_exactly_one(sheet, supervisor, advance):
    advance(sheet, SheetState.SUPERVISOR_SIGNATURE)
    services.sheet_save_summary(
        sheet_id=sheet.pk,
        actor=supervisor.user,
        version=GoalSheet.objects.get(pk=sheet.pk).version,
        values={"estimated_total_time": "A year", "action_plans": "Calls", "milestones": "Q1-Q4"},
    )
    version = GoalSheet.objects.get(pk=sheet.pk).version

    def sign():
        return services.sheet_sign(
            sheet_id=sheet.pk, actor=supervisor.user, version=version, typed_name="Sam Sutton",
            evidence=signing_evidence(),
        )

    outcomes = race(sign, sign)

    signatures = [o for o in outcomes if isinstance(o, Signature)]
    refusals = [o for o in outcomes if isinstance(o, WorkflowError)]
    assert len(signatures) == 1, outcomes
    assert len(refusals) == 1, outcomes
    if isinstance(refusals[0], StaleVersion):
        assert "changed meanwhile" in str(refusals[0])
    assert Signature.objects.filter(sheet=sheet).count() == 1
    assert GoalSheet.objects.get(pk=sheet.pk).state == SheetState.EMPLOYEE_SIGNATURE
    assert ReviewEvent.objects.filter(sheet=sheet, action="sign_supervisor").count() == 1


def test_two_simultaneous_draft_saves_keep_one_and_refuse_the_other(sheet, supervisor):
    version = GoalSheet.objects.get(pk=sheet.pk).version

    def save(values):
        return lambda: services.sheet_save_draft(
            sheet_id=sheet.pk,
            actor=supervisor.user,
            version=version,
            sheet_values=values,
            rows=[],
            replies={},
        )

    first = {"action_plans": "Plan from the first tab."}
    second = {"milestones": "Milestones from the second tab."}
    outcomes = race(save(first), save(second))

    saved = [i for i, o in enumerate(outcomes) if isinstance(o, GoalSheet)]
    stale = [o for o in outcomes if isinstance(o, StaleVersion)]
    assert len(saved) == 1, outcomes
    assert len(stale) == 1, outcomes
    assert "changed meanwhile" in str(stale[0])
    stored = GoalSheet.objects.get(pk=sheet.pk)
    assert stored.version == version + 1
    # The winner's change is there, whole; the loser's never overwrote it.
    winner, loser = (first, second) if saved == [0] else (second, first)
    for name, value in winner.items():
        assert getattr(stored, name) == value
    for name in loser:
        assert getattr(stored, name) == ""
