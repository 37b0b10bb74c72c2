"""factory_boy factories for the goalsapp models: people, a 2027 period, sheets and valid goals."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from factory.django import DjangoModelFactory

from goalsapp import services as goal_services
from goalsapp.defaults import create_defaults
from goalsapp.models import Competency, Employee, Goal, GoalSheet, ReviewPeriod

DEMO_PASSWORD = "goalpost-demo"


def migrated_competencies() -> list[Competency]:
    """The 10 competencies the data migration creates, in order. A transactional test flushes
    the database afterwards, so put them back the way the migration does if they are gone."""
    if not Competency.objects.exists():
        create_defaults(Competency, Group)
    return list(Competency.objects.order_by("position", "name"))


def _nth_competency(n: int) -> Competency:
    competencies = migrated_competencies()
    return competencies[n % len(competencies)]


def _first_name(full_name: str) -> str:
    return full_name.split(" ", 1)[0]


def _last_name(full_name: str) -> str:
    return full_name.split(" ", 1)[1] if " " in full_name else ""


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    first_name = ""
    last_name = ""

    @factory.post_generation
    def password(user, create, extracted, **kwargs):
        user.set_password(extracted or DEMO_PASSWORD)
        if create:
            user.save(update_fields=["password"])

    @factory.post_generation
    def esign_consent(user, create, extracted, **kwargs):
        """Everyone made here has consented to sign electronically (reviews/esign.py), so a
        test signs without the consent step; `esign_consent=False` leaves it to be given."""
        if create and extracted is not False:
            from reviews.esign import consent_give

            consent_give(user, ip_address="127.0.0.1", user_agent="tests")


class EmployeeFactory(DjangoModelFactory):
    """An employee and their login; the full name is also the user's first and last name."""

    class Meta:
        model = Employee

    full_name = factory.Sequence(lambda n: f"Casey Collector{n}")
    user = factory.SubFactory(
        UserFactory,
        first_name=factory.LazyAttribute(lambda user: _first_name(user.factory_parent.full_name)),
        last_name=factory.LazyAttribute(lambda user: _last_name(user.factory_parent.full_name)),
    )
    employee_number = factory.Sequence(lambda n: f"E{n:05d}")
    title = "Collections Specialist"
    territory = "Northeast"
    work_location = "Boston, MA"
    performance_tier = Employee.Tier.CORE
    supervisor = None
    is_active = True


class ReviewPeriodFactory(DjangoModelFactory):
    class Meta:
        model = ReviewPeriod

    name = factory.Sequence(lambda n: f"2027 goals #{n}")
    starts_on = datetime.date(2027, 1, 1)
    ends_on = datetime.date(2027, 12, 31)
    goals_due = datetime.date(2027, 1, 31)
    answers_due = datetime.date(2027, 2, 14)
    signatures_due = datetime.date(2027, 2, 28)
    hr_review_due = datetime.date(2027, 3, 15)
    is_open = True


class GoalSheetFactory(DjangoModelFactory):
    """A draft sheet made the way the app makes one: the header is copied from the employee."""

    class Meta:
        model = GoalSheet

    employee = factory.SubFactory(EmployeeFactory)
    period = factory.SubFactory(ReviewPeriodFactory)

    @classmethod
    def _create(cls, model_class, *args, employee, period, **kwargs):
        sheet = goal_services.sheet_create(employee=employee, period=period)
        if kwargs:
            for name, value in kwargs.items():
                setattr(sheet, name, value)
            sheet.save()
        return sheet


class GoalFactory(DjangoModelFactory):
    """A goal that passes every rule: competency, text, numeric target, due date in the period."""

    class Meta:
        model = Goal

    sheet = factory.SubFactory(GoalSheetFactory)
    competency = factory.Sequence(lambda n: _nth_competency(n))
    text = factory.Sequence(
        lambda n: f"Resolve {20 + n} past-due accounts over 90 days by the end of each quarter."
    )
    measure_kind = Goal.MeasureKind.COUNT
    target = Decimal("20.00")
    unit = "accounts"
    direction = Goal.Direction.HIGHER
    baseline = Decimal("12.00")
    due_on = factory.LazyAttribute(
        lambda goal: min(
            goal.sheet.period.ends_on, goal.sheet.period.starts_on + datetime.timedelta(days=180)
        )
    )
    weight = None
    position = factory.Sequence(lambda n: n + 1)
