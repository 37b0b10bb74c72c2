"""Shared fixtures: named personas, the 2027 review period and Emma's draft goal sheet.

The people, each line reporting upwards:

    maria (`manager`) ← sam (`supervisor`) ← emma (`employee`)
    otto (`other_supervisor`) ← oliver (`other_employee`)
    hana (`hr`): in the "HR" group, with an Employee record and no reports
    ada (`admin`): staff superuser, no Employee record

Every persona but `admin` is an Employee (log in with `persona.user`); `admin` is a User.
Every password is "goalpost-demo". Tests that flush the database (transaction=True, live_server)
should also ask for serialized_rollback=True so the migrated competencies and HR group return.
"""

import datetime
from decimal import Decimal

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import Group

from goalsapp import crypto, figures_cache
from goalsapp.access import HR_GROUP
from tests import workflow_helpers
from tests.factories import (
    EmployeeFactory,
    GoalFactory,
    GoalSheetFactory,
    ReviewPeriodFactory,
    UserFactory,
)

# One SSN key for the whole run: tests run with DEBUG off, where an unset key refuses to store.
TEST_SSN_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Hashing with the production hasher costs ~0.3 s a persona; tests only need it to verify.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _ssn_key(settings):
    settings.SSN_ENCRYPTION_KEYS = [TEST_SSN_KEY]
    crypto._fernet.cache_clear()  # the key set is cached for the process; start from settings
    yield
    crypto._fernet.cache_clear()


@pytest.fixture(autouse=True)
def _no_figures_kept():
    # Figures are kept per data version; a rolled-back test can leave SQLite's ids (and so the
    # version) where the next test starts with other data. Each test starts as a new process.
    figures_cache.forget_all()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Archive PDFs and exports are written to default storage: never into the project's media/.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def manager(db):
    return EmployeeFactory(
        user__username="maria",
        full_name="Maria Moreno",
        title="Collection Manager",
        employee_number="E-1001",
    )


@pytest.fixture
def supervisor(manager):
    return EmployeeFactory(
        user__username="sam",
        full_name="Sam Sutton",
        title="Collections Supervisor",
        employee_number="E-1002",
        supervisor=manager,
    )


@pytest.fixture
def employee(supervisor):
    return EmployeeFactory(
        user__username="emma",
        full_name="Emma Ellis",
        title="Collections Specialist",
        employee_number="E-1003",
        territory="Northeast",
        work_location="Boston, MA",
        supervisor=supervisor,
    )


@pytest.fixture
def other_supervisor(db):
    return EmployeeFactory(
        user__username="otto",
        full_name="Otto Olsen",
        title="Collections Supervisor",
        employee_number="E-2001",
    )


@pytest.fixture
def other_employee(other_supervisor):
    return EmployeeFactory(
        user__username="oliver",
        full_name="Oliver Owens",
        title="AR Analyst",
        employee_number="E-2002",
        territory="Midwest",
        work_location="Chicago, IL",
        supervisor=other_supervisor,
    )


@pytest.fixture
def hr(db):
    hana = EmployeeFactory(
        user__username="hana",
        full_name="Hana Hughes",
        title="HR Business Partner",
        employee_number="E-3001",
    )
    # The group comes from a data migration; get_or_create survives a flushed database.
    hana.user.groups.add(Group.objects.get_or_create(name=HR_GROUP)[0])
    return hana


@pytest.fixture
def admin(db):
    return UserFactory(
        username="ada", first_name="Ada", last_name="Admin", is_staff=True, is_superuser=True
    )


@pytest.fixture
def period(db):
    return ReviewPeriodFactory(name="2027")


@pytest.fixture
def sheet(employee, period):
    """Emma's draft sheet for 2027 with two valid goals, as her supervisor would write them."""
    draft = GoalSheetFactory(employee=employee, period=period)
    GoalFactory(
        sheet=draft,
        position=1,
        measure_kind="count",
        unit="days",
        direction="lower",
        text="Reduce DSO on the assigned portfolio from 52 to 45 days by June 30, 2027.",
        target=Decimal("45"),
        baseline=Decimal("52"),
        due_on=datetime.date(2027, 6, 30),
    )
    GoalFactory(
        sheet=draft,
        position=2,
        measure_kind="money",
        unit="USD",
        direction="higher",
        text="Collect $250,000 of balances over 90 days past due by December 15, 2027.",
        target=Decimal("250000"),
        baseline=None,
        due_on=datetime.date(2027, 12, 15),
    )
    return draft


@pytest.fixture
def advance(hr):
    """workflow_helpers.advance, with an HR member (hana) on hand to review and sign."""
    return workflow_helpers.advance


@pytest.fixture
def postgresql_only(db):
    """For tests of row locks and races: a missing PostgreSQL is a failure, never a skip."""
    from django.db import connection

    assert connection.vendor == "postgresql", (
        "These tests need PostgreSQL: set DATABASE_URL (scripts/test.sh does).")
