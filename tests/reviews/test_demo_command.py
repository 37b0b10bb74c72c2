"""`manage.py demo`: a department with sheets in every state, built through the real services."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from goalsapp import crypto
from goalsapp.access import HR_GROUP
from goalsapp.models import Employee, Goal, GoalSheet, ReviewPeriod, SheetState
from goalsapp.seeds import responsibility_areas
from reviews.closing_models import ClosingReview
from reviews.closing_states import ClosingState
from reviews.models import GoalAnswer, ReviewEvent, Signature, SmartCheck
from reviews.services import name_matches

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture(autouse=True)
def ssn_key(settings):
    """Tests run with DEBUG off, where storing an SSN needs a configured key."""
    settings.SSN_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    crypto._fernet.cache_clear()
    yield
    crypto._fernet.cache_clear()


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = (User, Employee, ReviewPeriod, GoalSheet, Goal, GoalAnswer, SmartCheck, Signature,
              ReviewEvent, ClosingReview)
    return {model.__name__: model.objects.count() for model in models}


def test_demo_builds_a_department_with_every_state():
    output = run_demo()

    assert User.objects.count() >= 13
    period = ReviewPeriod.objects.get(is_open=True)
    current = GoalSheet.objects.filter(period=period)
    states = set(current.values_list("state", flat=True))
    assert states == set(SheetState.values)

    hr = User.objects.filter(groups__name=HR_GROUP)
    assert hr.count() == 1 and hr.get().employee.title == "HR Officer"
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert Employee.objects.filter(title="Collection Manager").count() == 1
    supervisors = Employee.objects.filter(title="Collections Supervisor")
    assert supervisors.count() == 2
    for supervisor in supervisors:
        assert supervisor.reports.count() == 4
        # Someone in each team is left without a sheet, so "start a sheet" can be tried.
        assert supervisor.reports.exclude(sheets__period=period).exists()

    for employee in Employee.objects.select_related("user"):
        assert employee.user.check_password("goalpost-demo")
        assert employee.user.username == employee.full_name.split()[0].lower()
        assert name_matches(employee.full_name, employee.user)
        assert employee.user.get_full_name() == employee.full_name
    assert sum(1 for e in Employee.objects.all() if e.ssn) == 2

    assert period.contains(timezone.localdate())
    for due in (period.goals_due, period.answers_due, period.signatures_due,
                period.hr_review_due):
        assert period.contains(due)

    kpis = {kpi for area in responsibility_areas() for kpi in area.kpis}
    for sheet in GoalSheet.objects.select_related("period").prefetch_related("goals"):
        goals = list(sheet.goals.all())
        assert 3 <= len(goals) <= 6
        assert all(goal.text in kpis and sheet.period.contains(goal.due_on) for goal in goals)
        weights = [goal.weight for goal in goals]
        assert all(w is None for w in weights) or sum(weights) == 100

    signed = current.get(state=SheetState.SIGNED)
    assert signed.locked_at is not None
    signatures = list(signed.signatures.filter(voided_at__isnull=True))
    assert {s.role for s in signatures} == set(Signature.Role.values)
    assert len({s.content_hash for s in signatures}) == 1
    assert all(check.passes for check in SmartCheck.objects.filter(goal__sheet=signed))

    clarification = GoalAnswer.objects.get(answer=GoalAnswer.Answer.NEEDS_CLARIFICATION)
    assert clarification.comment and not clarification.reply
    assert clarification.goal.sheet.state == SheetState.DRAFTING
    assert ReviewEvent.objects.filter(sheet=clarification.goal.sheet,
                                      action="submit_answers").exists()

    for username in User.objects.values_list("username", flat=True):
        assert username in output
    assert "goalpost-demo" in output


def test_demo_leaves_last_period_closed_for_one_and_in_closing_for_another():
    output = run_demo()
    previous = ReviewPeriod.objects.get(is_open=False)
    assert previous.ends_on < timezone.localdate()
    reviews = {r.sheet.employee.user.username: r for r in ClosingReview.objects.filter(
        sheet__period=previous).select_related("sheet__employee__user")}
    assert {name: r.state for name, r in reviews.items()} == {
        "kevin": ClosingState.CLOSED, "samuel": ClosingState.SELF_ASSESSMENT}
    assert reviews["kevin"].signatures.filter(voided_at__isnull=True).count() == 3
    assert reviews["kevin"].rating is not None
    # Grades vary, so the next sheet has goals to write in and goals to carry forward.
    assert {r.grade for r in reviews["kevin"].results.all()} >= {"achieved", "not_achieved"}
    assert "closing review (write self-assessment)" in output
    assert "Kevin Walsh (kevin): Closed" in output


def test_demo_twice_creates_nothing_new():
    run_demo()
    before = counts()
    output = run_demo()
    assert counts() == before
    for username in User.objects.values_list("username", flat=True):
        assert username in output


def test_demo_signatures_carry_the_signers_consent_and_a_sign_in_time():
    run_demo()

    signatures = Signature.objects.select_related("consent")
    assert signatures.exists()
    for signature in signatures:
        assert signature.consent is not None and signature.consent.user_id == signature.signer_id
        assert signature.authenticated_at is not None
        assert signature.user_agent == "manage.py demo"
