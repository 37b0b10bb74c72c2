"""The goal library as data: loaded from the seeds by the migration, counted against them,
each entry with a competency, titles, a suggested measure where the text implies one, and its
source; retired entries stay on the sheets that used them."""

import pytest
from django.db.models import ProtectedError

from goalsapp import library, measures, seeds
from goalsapp.models import Competency, GoalTemplate, JobTitle
from tests.factories import GoalFactory

pytestmark = pytest.mark.django_db


def test_seed_001_holds_80_goals_not_the_78_its_readme_claims():
    # The file has 80 non-empty lines after its heading, each one goal: no wrapped line, no
    # sub-heading, no duplicate. The README's "78" is a miscount; we load what the file holds.
    lines = (seeds.SEED_DIR / seeds.MANAGER_GOALS_SEED).read_text().splitlines()
    body = [line for line in lines[lines.index("Collection Manager Goals and Objectives Examples")
                                   + 1:] if line.strip()]
    assert len(body) == 80
    assert len(set(body)) == 80
    assert len(seeds.manager_goals()) == 80


@pytest.mark.parametrize("source, count", [("000", 20), ("001", 80), ("004", 40)])
def test_the_library_holds_every_goal_and_kpi_of_the_seeds(source, count):
    assert GoalTemplate.objects.filter(source=source).count() == count


def test_the_kras_are_competencies_not_entries():
    assert GoalTemplate.objects.count() == 140
    kra_names = [area.name for area in seeds.responsibility_areas()]
    assert not GoalTemplate.objects.filter(text__in=kra_names).exists()
    assert list(Competency.objects.order_by("position").values_list("name", flat=True)) == \
        kra_names


def test_texts_are_read_from_the_seeds_verbatim():
    assert set(GoalTemplate.objects.filter(source="001").values_list("text", flat=True)) == \
        set(seeds.manager_goals())
    kpis = {kpi for area in seeds.responsibility_areas() for kpi in area.kpis}
    assert set(GoalTemplate.objects.filter(source="004").values_list("text", flat=True)) == kpis


def test_a_kpi_sits_under_its_kra_with_a_reference():
    entry = GoalTemplate.objects.get(text="Average days outstanding for overdue accounts")
    assert entry.competency.name == "Customer Account Management"
    assert entry.source_ref == "KRA 1, KPI 3"
    assert (entry.measure_kind, entry.unit, entry.direction) == ("count", "days", "lower")
    assert set(entry.titles.values_list("name", flat=True)) == {
        "Collection Representative", "Collections Specialist"}


def test_a_manager_goal_names_its_line_and_suits_a_manager():
    entry = GoalTemplate.objects.get(text="Achieve collection targets within set timelines.")
    assert entry.source_ref == "line 5"
    assert list(entry.titles.values_list("name", flat=True)) == ["Collection Manager"]
    assert entry.competency.name == "Target Achievement"


def test_every_entry_has_a_competency_and_a_title():
    assert not GoalTemplate.objects.filter(titles__isnull=True).exists()
    assert GoalTemplate.objects.filter(competency__isnull=True).count() == 0


def test_the_seed_titles_are_suited_by_the_ten_kras():
    for name in library.SEED_TITLES:
        assert JobTitle.objects.get(name=name).competencies.count() == 10


def test_loading_again_creates_nothing_twice():
    library.load_library(GoalTemplate, JobTitle, Competency)
    assert GoalTemplate.objects.count() == 140
    assert JobTitle.objects.filter(name__in=library.SEED_TITLES).count() == 3


def test_the_loader_adds_titles_already_held_by_employees(employee):
    from goalsapp.models import Employee

    employee.title = "Recovery Lead"
    employee.save()
    library.load_library(GoalTemplate, JobTitle, Competency, Employee)
    assert JobTitle.objects.filter(name="Recovery Lead").exists()


def test_a_retired_entry_stays_on_the_sheet_that_used_it(sheet):
    entry = GoalTemplate.objects.get(source_ref="KRA 6, KPI 1")
    goal = GoalFactory(sheet=sheet, template=entry)
    entry.is_active = False
    entry.save()
    goal.refresh_from_db()
    assert goal.template == entry
    with pytest.raises(ProtectedError):
        entry.delete()


@pytest.mark.parametrize("text, kind, unit, direction", [
    ("Percentage of accounts with timely payments", "percent", "%", "higher"),
    ("Reduction in average collection cycle time", "count", "days", "lower"),
    ("Reduction in outstanding payment volume", "money", "USD", "lower"),
    ("Number of successful negotiated payment plans", "count", "plans", "higher"),
    ("Feedback rating on training effectiveness", "count", "points out of 5", "higher"),
    ("Reduce delinquency rates by improving customer service.", "percent", "%", "lower"),
])
def test_the_suggested_measure_and_why(text, kind, unit, direction):
    suggestion = measures.suggest_measure(text)
    assert (suggestion.kind, suggestion.unit, suggestion.direction) == (kind, unit, direction)
    assert suggestion.because


def test_no_measure_is_suggested_where_the_text_implies_none():
    assert measures.suggest_measure("Be enthusiastic to learn new truths") is None
    assert GoalTemplate.objects.filter(source="000", measure_kind="").count() == 20
