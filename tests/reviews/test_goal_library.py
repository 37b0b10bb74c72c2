"""The goal library in the editor (search, preview, add a prefilled row, save with its link),
the SMART hints per row while drafting, and the hints next to HR's checklist."""

import pytest
from django.urls import reverse

from goalsapp.models import Goal, GoalSheet, GoalTemplate, JobTitle, SheetState
from reviews.models import SmartCheck
from tests.page_helpers import (
    HTMX,
    by_testid,
    editor,
    elements,
    form_values,
    login,
    page,
    text_of,
    texts,
)

pytestmark = pytest.mark.django_db

DSO_KPI = "Average days outstanding for overdue accounts"


def library(client, sheet, **params):
    return client.get(reverse("goal_library", args=[sheet.pk]),
                      {f"library-{k}": v for k, v in params.items()}, **HTMX)


def hints_of(response) -> str:
    return by_testid(response, "smart-hints").replace(" : ", ": ")


def entries(response) -> list[str]:
    return [text_of(e).split(" Preview")[0] for e in elements(page(response),
                                                                  data_testid="library-entry")]


def test_the_library_defaults_to_the_employees_title(client, sheet, supervisor):
    login(client, supervisor)
    response = client.get(reverse("goal_library", args=[sheet.pk]), **HTMX)
    # Emma is a Collections Specialist: the 20 form examples and the 40 KPIs suit her.
    assert "60 entries; the first 25 are shown" in by_testid(response, "library-results")
    assert not any("Achieve collection targets within set timelines." in e
                   for e in entries(response))


def test_a_title_no_entry_suits_opens_on_the_whole_library(client, sheet, supervisor):
    JobTitle.objects.create(name="AR Analyst")  # a known title, but no library entry lists it
    GoalSheet.objects.filter(pk=sheet.pk).update(title="AR Analyst")
    login(client, supervisor)
    response = client.get(reverse("goal_library", args=[sheet.pk]), **HTMX)
    active = GoalTemplate.objects.filter(is_active=True).count()
    assert f"{active} entries; the first 25 are shown" in by_testid(response, "library-results")


def test_searching_by_text_competency_and_title(client, sheet, supervisor):
    login(client, supervisor)
    found = entries(library(client, sheet, q="days outstanding", title=""))
    assert len(found) == 1 and DSO_KPI in found[0]
    by_competency = library(client, sheet, competency=GoalTemplate.objects.get(
        text=DSO_KPI).competency_id, title="Collection Representative")
    assert len(entries(by_competency)) == 4
    manager = library(client, sheet, title="Collection Manager", q="dunning")
    assert [e.split("Process Improvement ")[-1].split("Communication and Negotiation ")[-1]
            for e in entries(manager)] == ["Develop and implement an effective dunning process."]


def test_the_preview_shows_measure_titles_and_source(client, sheet, supervisor):
    login(client, supervisor)
    response = library(client, sheet, q="days outstanding")
    preview = by_testid(response, "library-entry")
    assert "Count · days · lower is better" in preview
    assert "Seed 004 · Collection Representative KPIs, KRA 1, KPI 3" in preview
    assert "Collection Representative, Collections Specialist" in preview


@pytest.mark.parametrize("params, message", [
    ({"competency": "999999"}, "Choose a competency from the list."),
    ({"title": "Astronaut"}, "Choose a title from the list."),
    ({"q": "x" * 201}, "Keep the search under 200 characters."),
])
def test_bad_search_input_says_why(client, sheet, supervisor, params, message):
    login(client, supervisor)
    response = library(client, sheet, **params)
    assert response.status_code == 200
    assert message in " ".join(texts(response, role="alert"))


def test_a_library_entry_becomes_a_prefilled_row(client, sheet, supervisor):
    entry = GoalTemplate.objects.get(text=DSO_KPI)
    login(client, supervisor)
    response = client.get(reverse("goal_row", args=[sheet.pk]),
                          {"goals-TOTAL_FORMS": "2", "template": entry.pk}, **HTMX)
    row = form_values(response)
    assert row["goals-2-text"] == DSO_KPI
    assert row["goals-2-template"] == str(entry.pk)
    assert row["goals-2-competency"] == str(entry.competency_id)
    assert (row["goals-2-measure_kind"], row["goals-2-unit"], row["goals-2-direction"]) == \
        ("count", "days", "lower")
    assert row["goals-2-target"] == ""  # the supervisor's part
    assert row["goals-2-due_on"] == "2027-12-31"  # the period's end until the supervisor says
    assert row["goals-TOTAL_FORMS"] == "3"
    hints = hints_of(response)
    assert "Measurable: fails — No numeric target is set" in hints
    assert "Relevant: passes" in hints
    assert "Specific: fails — It names a measure (“Average …”), not an action" in hints


@pytest.mark.parametrize("template", ["999999", "abc", "retired"])
def test_a_missing_or_retired_entry_answers_404(client, sheet, supervisor, template):
    if template == "retired":
        entry = GoalTemplate.objects.get(text=DSO_KPI)
        entry.is_active = False
        entry.save()
        template = str(entry.pk)
    login(client, supervisor)
    response = client.get(reverse("goal_row", args=[sheet.pk]),
                          {"goals-TOTAL_FORMS": "2", "template": template}, **HTMX)
    assert response.status_code == 404


def test_saving_keeps_the_library_link(client, sheet, supervisor):
    entry = GoalTemplate.objects.get(text=DSO_KPI)
    login(client, supervisor)
    values = editor(client, sheet)
    row = form_values(client.get(reverse("goal_row", args=[sheet.pk]),
                                 {"goals-TOTAL_FORMS": "2", "template": entry.pk}, **HTMX))
    values |= row | {"goals-2-target": "40", "goals-2-due_on": "2027-09-30", "save": ""}
    response = client.post(reverse("sheet_edit", args=[sheet.pk]), values)
    assert response.status_code == 302
    goal = Goal.objects.get(sheet=sheet, text=DSO_KPI)
    assert goal.template == entry and goal.unit == "days" and goal.direction == "lower"


def test_a_forged_library_link_is_refused_next_to_the_row(client, sheet, supervisor):
    login(client, supervisor)
    values = editor(client, sheet) | {"goals-0-template": "999999", "save": ""}
    response = client.post(reverse("sheet_edit", args=[sheet.pk]), values)
    assert response.status_code == 200
    assert "That library entry does not exist" in response.content.decode()
    assert not Goal.objects.filter(sheet=sheet, template__isnull=False).exists()


def test_the_editor_shows_each_rows_hints(client, sheet, supervisor):
    login(client, supervisor)
    response = client.get(reverse("sheet_edit", args=[sheet.pk]))
    rows = elements(page(response), data_testid="smart-hints")
    assert len(rows) == 2
    first = text_of(rows[0]).replace(" : ", ": ")
    assert "Specific: passes" in first and "Measurable: passes — It has a numeric target: 45 " \
        "days." in first
    assert "Achievable: passes — The target is a 13% change from the baseline (52 → 45)" in first
    assert "Time-bound: passes — Due Jun 30, 2027, inside the review period." in first


def test_the_hints_follow_what_is_typed(client, sheet, supervisor):
    login(client, supervisor)
    response = client.get(reverse("goal_hints", args=[sheet.pk]), {
        "row": "goals-4", "goals-4-text": "Always try harder", "goals-4-target": "lots",
        "goals-4-due_on": "2029-01-01", "goals-4-measure_kind": "count"}, **HTMX)
    hints = hints_of(response)
    assert "Specific: fails — It opens with “Always”" in hints
    assert "Measurable: fails — No numeric target is set" in hints
    assert "Relevant: fails — No competency is set" in hints
    assert "Time-bound: fails — The due date Jan 1, 2029 falls outside the review period" in hints


def test_a_bad_row_name_answers_404(client, sheet, supervisor):
    login(client, supervisor)
    response = client.get(reverse("goal_hints", args=[sheet.pk]), {"row": "evil"}, **HTMX)
    assert response.status_code == 404


def test_an_outsider_gets_404_from_the_library_and_the_hints(client, sheet, other_supervisor):
    login(client, other_supervisor)
    assert client.get(reverse("goal_library", args=[sheet.pk])).status_code == 404
    assert client.get(reverse("goal_hints", args=[sheet.pk])).status_code == 404


# HR's checklist -----------------------------------------------------------------------------------

def test_hr_sees_the_hints_beside_unticked_boxes_and_nothing_is_recorded(
        client, sheet, hr, advance):
    goal = sheet.goals.order_by("position").first()
    goal.unit = ""
    goal.save()
    advance(sheet, SheetState.HR_REVIEW)
    login(client, hr)
    response = client.get(reverse("sheet_smart", args=[sheet.pk]))
    hints = texts(response, data_testid="smart-criterion")
    assert len(hints) == 10
    assert hints[1].startswith("Measurable — hint: fails. The target has no unit")
    assert hints[0].startswith("Specific — hint: passes.")
    values = form_values(response, having=f"goal-{goal.pk}-note")
    # HR ticks each criterion themselves: a passing hint ticks nothing.
    assert not any(f"goal-{goal.pk}-{name}" in values for name in SmartCheck.CRITERIA)
    assert "the hints only suggest" in by_testid(response, "prefilled-note")
    assert not SmartCheck.objects.exists()


def test_hrs_own_decision_is_what_is_recorded(client, sheet, hr, advance):
    advance(sheet, SheetState.HR_REVIEW)
    goal = sheet.goals.order_by("position").first()
    login(client, hr)
    client.post(reverse("goal_smart", args=[sheet.pk, goal.pk]), {
        f"goal-{goal.pk}-specific": "on", f"goal-{goal.pk}-measurable": "on",
        f"goal-{goal.pk}-relevant": "on", f"goal-{goal.pk}-time_bound": "on",
        f"goal-{goal.pk}-note": "Too ambitious for a new collector."})
    check = SmartCheck.objects.get(goal=goal)
    assert not check.achievable and check.specific  # the hint said achievable; HR said no
    response = client.get(reverse("sheet_smart", args=[sheet.pk]))
    values = form_values(response, having=f"goal-{goal.pk}-note")
    assert f"goal-{goal.pk}-achievable" not in values


# Guidance: lines of the paper form that advise on goals (issue 13, item 7) ---------------------

GUIDANCE = ("Understand that the goals must be measurable ensuring proper accountability to the "
            "supervisors")


def test_guidance_is_marked_with_what_a_measurable_version_needs(db):
    guidance = GoalTemplate.objects.get(text=GUIDANCE)
    assert guidance.is_guidance
    assert "needs a number and a deadline" in guidance.advice
    assert GoalTemplate.objects.filter(is_guidance=True).count() == 2
    assert not GoalTemplate.objects.filter(is_guidance=True).exclude(source="000").exists()


def test_the_picker_shows_guidance_with_its_advice_and_no_add_button(client, sheet, supervisor):
    login(client, supervisor)
    response = library(client, sheet, q="must be measurable", title="")
    entry = by_testid(response, "library-entry")
    assert "Guidance, not a goal" in entry
    assert "needs a number and a deadline" in entry
    assert "Add to sheet" not in entry
    assert "Write a measurable goal" in entry


def test_guidance_is_never_added_as_a_goal(client, sheet, supervisor):
    guidance = GoalTemplate.objects.get(text=GUIDANCE)
    login(client, supervisor)
    url = reverse("goal_row", args=[sheet.pk])
    assert client.get(url, {"template": guidance.pk, "goals-TOTAL_FORMS": 2},
                      **HTMX).status_code == 404
    row = client.get(url, {"guidance": guidance.pk, "goals-TOTAL_FORMS": 2}, **HTMX)
    assert row.status_code == 200
    assert "needs a number and a deadline" in by_testid(row, "guidance-hint")
    values = form_values(row)
    assert values["goals-2-text"] == ""
    assert values["goals-2-template"] == ""  # not linked: the supervisor writes a new goal
    assert values["goals-2-competency"] == str(guidance.competency_id)
    assert values["goals-2-due_on"] == "2027-12-31"


def test_a_goal_is_not_asked_for_as_guidance(client, sheet, supervisor):
    goal_entry = GoalTemplate.objects.get(text=DSO_KPI)
    login(client, supervisor)
    response = client.get(reverse("goal_row", args=[sheet.pk]),
                          {"guidance": goal_entry.pk}, **HTMX)
    assert response.status_code == 404


def test_guidance_without_advice_is_refused_by_the_admin_form(db):
    from django.core.exceptions import ValidationError

    entry = GoalTemplate.objects.get(text=DSO_KPI)
    entry.is_guidance = True
    with pytest.raises(ValidationError, match="measurable version"):
        entry.full_clean()
