"""The SMART assistant: the 20 example goals of the paper form (seed 000) as the library holds
them, and each criterion's rules with their edge cases."""

import datetime
from decimal import Decimal

import pytest

from goalsapp import smart
from goalsapp.models import GoalTemplate
from goalsapp.seeds import form_example_goals
from goalsapp.selectors import title_competencies

START, END = datetime.date(2027, 1, 1), datetime.date(2027, 12, 31)
NO_TARGET = (False, "No numeric target is set")
NOT_JUDGED = (False, "Without a target there is nothing to judge")
SUITS = (True, "is a competency of “Collections Specialist”")
NO_DUE = (False, "No due date is set")

# Seed 000's goals as written: a text and (from the library) a competency, but no target, unit or
# due date. Expected Specific hint per goal; every one fails Measurable, Achievable and
# Time-bound as written, and passes Relevant for the title the form is for.
FORM_GOALS = [
    (1, "Learn to figure out", False, "It opens with “Learn”, a vague word"),
    (2, "Learn always to try", False, "It opens with “Learn”, a vague word"),
    (3, "Make sound decisions", False, "It opens with “Make”, a vague word"),
    (4, "Improve on my customer", False, "It opens with “Improve”, a vague word"),
    (5, "Always aim to develop", False, "It opens with “Always”, a vague word"),
    (6, "Learn to be empathetic", False, "It opens with “Learn”, a vague word"),
    (7, "Think creatively", False, "It opens with “Think”, a vague word"),
    (8, "Understand that the goals", False, "It opens with “Understand”, a vague word"),
    (9, "Grow creative ideas", False, "It opens with “Grow”, a vague word"),
    (10, "Be enthusiastic", False, "It opens with “Be”, a vague word"),
    (11, "Plan each day ahead", True, "It names a concrete action (“Plan”)"),
    (12, "Negotiate with each other", True, "It names a concrete action (“Negotiate”)"),
    (13, "Take new projects", True, "It names a concrete action (“Take”)"),
    (14, "Plan one's own time", True, "It names a concrete action (“Plan”)"),
    (15, "See the big picture", False, "It opens with “See”, a vague word"),
    (16, "Focus oneself", False, "It opens with “Focus”, a vague word"),
    (17, "Put extra effort", False, "It opens with “Put”, a vague word"),
    (18, "Encourage more colleagues", True, "It names a concrete action (“Encourage”)"),
    (19, "Show more willingness", False, "It opens with “Show”, a vague word"),
    (20, "Always assess whether", False, "It opens with “Always”, a vague word"),
]


def test_the_table_covers_all_twenty_example_goals():
    assert len(FORM_GOALS) == len(form_example_goals()) == 20


@pytest.mark.django_db
@pytest.mark.parametrize("number, opening, specific_passes, specific_reason", FORM_GOALS,
                         ids=[f"goal-{row[0]}" for row in FORM_GOALS])
def test_the_hints_for_each_example_goal_as_written(number, opening, specific_passes,
                                                     specific_reason):
    text = form_example_goals()[number - 1]
    assert text.startswith(opening)
    entry = GoalTemplate.objects.get(source="000", text=text)
    hints = smart.check(
        text=entry.text, target=None, unit=entry.unit, measure_kind=entry.measure_kind or "count",
        baseline=None, direction="higher", competency=entry.competency.name,
        title="Collections Specialist", suited=title_competencies("Collections Specialist"),
        due_on=None, starts_on=START, ends_on=END)
    expected = {"specific": (specific_passes, specific_reason), "measurable": NO_TARGET,
                "achievable": NOT_JUDGED, "relevant": SUITS, "time_bound": NO_DUE}
    for criterion, (passes, reason) in expected.items():
        assert hints[criterion].passes is passes, (criterion, hints[criterion])
        assert reason in hints[criterion].reason, (criterion, hints[criterion])
        assert hints[criterion].reason.endswith("."), "each hint is one sentence"


# Specific ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, passes", [
    ("Resolve 20 disputed invoices over 60 days by June 30.", True),
    ("Improve the right-party contact rate from 30% to 36%.", True),  # a number makes it concrete
    ("I will reduce DSO on the assigned portfolio.", True),  # "I will" is not the verb
    ("Always try harder.", False),
    ("Try to call more customers.", False),
    ("Be better at collections.", False),
    ("Call customers.", False),  # an action, but too short to say what it acts on
    ("Average days outstanding for overdue accounts", False),  # a KPI names a measure
    ("", False),
    ("   ", False),
])
def test_specific(text, passes):
    assert smart.specific(text).passes is passes


def test_specific_names_the_vague_opening():
    assert "“Learn”" in smart.specific("Learn new collection techniques.").reason


# Measurable --------------------------------------------------------------------------------------

def test_measurable_needs_a_target():
    hint = smart.measurable(None, "calls", "count")
    assert not hint.passes and "No numeric target" in hint.reason


def test_a_count_needs_its_unit():
    hint = smart.measurable(Decimal(40), "  ", "count")
    assert not hint.passes and "no unit" in hint.reason


@pytest.mark.parametrize("kind, shown", [("percent", "95 %"), ("money", "95 in money")])
def test_percent_and_money_carry_their_unit(kind, shown):
    hint = smart.measurable(Decimal(95), "", kind)
    assert hint.passes and shown in hint.reason


def test_measurable_says_the_target():
    assert smart.measurable(Decimal("45.00"), "days", "count").reason == \
        "It has a numeric target: 45 days."


# Achievable --------------------------------------------------------------------------------------

@pytest.mark.parametrize("target, baseline, direction, kind, passes, says", [
    (Decimal(45), Decimal(52), "lower", "count", True, "13% change"),
    (Decimal(20), Decimal(52), "lower", "count", False, "62% change"),
    (Decimal(60), Decimal(40), "higher", "count", True, "50% change"),  # the edge: exactly 50%
    (Decimal("60.01"), Decimal(40), "higher", "count", False, "more than 50%"),
    (Decimal(30), Decimal(40), "higher", "count", False, "worse than the baseline"),
    (Decimal(60), Decimal(40), "lower", "count", False, "although lower is better"),
    (Decimal(40), Decimal(40), "higher", "count", True, "0% change"),
    (Decimal(10), Decimal(0), "higher", "count", True, "baseline is 0"),
    (Decimal(120), None, "higher", "percent", False, "between 0 and 100"),
    (Decimal(-1), None, "lower", "percent", False, "between 0 and 100"),
    (Decimal(100), None, "higher", "percent", True, "No baseline"),
    (None, Decimal(10), "higher", "count", False, "Without a target"),
])
def test_achievable(target, baseline, direction, kind, passes, says):
    hint = smart.achievable(target, baseline, direction, kind)
    assert hint.passes is passes
    assert says in hint.reason


# Relevant ----------------------------------------------------------------------------------------

SUITED = frozenset({"Target Achievement", "Quality Assurance"})


@pytest.mark.parametrize("competency, title, suited, passes, says", [
    ("Target Achievement", "AR Analyst", SUITED, True, "is a competency of “AR Analyst”"),
    ("Team Collaboration", "AR Analyst", SUITED, False, "is not among the competencies"),
    (None, "AR Analyst", SUITED, False, "No competency is set"),
    ("Target Achievement", "Astronaut", None, False, "not a known job title"),
    ("Target Achievement", "AR Analyst", frozenset(), False, "No competencies are listed"),
    ("Target Achievement", "", SUITED, False, "has no job title"),
])
def test_relevant(competency, title, suited, passes, says):
    hint = smart.relevant(competency, title, suited)
    assert hint.passes is passes
    assert says in hint.reason


# Time-bound --------------------------------------------------------------------------------------

@pytest.mark.parametrize("due_on, passes, says", [
    (datetime.date(2027, 6, 30), True, "Due Jun 30, 2027, inside the review period."),
    (START, True, "inside"),
    (END, True, "inside"),
    (datetime.date(2028, 1, 1), False, "falls outside the review period"),
    (datetime.date(2026, 12, 31), False, "falls outside"),
    (None, False, "No due date is set."),
])
def test_time_bound(due_on, passes, says):
    hint = smart.time_bound(due_on, START, END)
    assert hint.passes is passes
    assert says in hint.reason


@pytest.mark.django_db
def test_a_titles_competencies_tell_no_such_title_from_a_title_listing_none():
    from goalsapp.models import Competency, JobTitle

    listing = JobTitle.objects.create(name="Dispute Analyst")
    listing.competencies.set(Competency.objects.filter(name__in=["Quality Assurance",
                                                                 "Relationship Building"]))
    JobTitle.objects.create(name="Trainee")

    assert title_competencies("Dispute Analyst") == {"Quality Assurance", "Relationship Building"}
    assert title_competencies("Trainee") == frozenset()  # known, suits no competency yet
    assert title_competencies("Astronaut") is None  # no such title: Relevant is not judged
