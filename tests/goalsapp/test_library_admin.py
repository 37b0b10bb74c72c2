"""Admins manage the goal library, job titles and goal sets: add, edit and retire entries (an
entry on a sheet is retired, never deleted), and pick an employee's title from the job titles."""

import pytest
from django.urls import reverse

from goalsapp.models import Competency, Employee, GoalTemplate, JobTitle
from tests.admin_helpers import employee_post
from tests.factories import GoalFactory

pytestmark = pytest.mark.django_db

DSO_KPI = "Average days outstanding for overdue accounts"


@pytest.fixture
def staff_client(client, admin):
    client.force_login(admin)
    return client


def test_an_admin_adds_an_entry(staff_client):
    competency = Competency.objects.get(name="Quality Assurance")
    title = JobTitle.objects.get(name="Collections Specialist")
    response = staff_client.post(reverse("admin:goalsapp_goaltemplate_add"), {
        "text": "Post every payment on the day it arrives.", "competency": competency.pk,
        "titles": [title.pk], "measure_kind": "percent", "unit": "%", "direction": "higher",
        "source": "admin", "source_ref": "", "is_active": "on"})
    assert response.status_code == 302
    entry = GoalTemplate.objects.get(text="Post every payment on the day it arrives.")
    assert list(entry.titles.all()) == [title]


def test_an_entry_without_text_or_competency_is_refused(staff_client):
    response = staff_client.post(reverse("admin:goalsapp_goaltemplate_add"), {
        "text": "", "competency": "", "source": "admin", "is_active": "on"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors.keys() >= {"text", "competency"}


def test_retiring_hides_an_entry_from_the_library_but_not_from_sheets(staff_client, sheet):
    entry = GoalTemplate.objects.get(text=DSO_KPI)
    goal = GoalFactory(sheet=sheet, template=entry)
    response = staff_client.post(reverse("admin:goalsapp_goaltemplate_changelist"), {
        "action": "retire_templates", "_selected_action": [entry.pk]}, follow=True)
    assert "1 library entry retired." in response.content.decode()
    entry.refresh_from_db()
    assert not entry.is_active
    goal.refresh_from_db()
    assert goal.template_id == entry.pk


def test_an_entry_in_use_cannot_be_deleted(staff_client, sheet):
    entry = GoalTemplate.objects.get(text=DSO_KPI)
    GoalFactory(sheet=sheet, template=entry)
    response = staff_client.post(reverse("admin:goalsapp_goaltemplate_delete", args=[entry.pk]),
                                 {"post": "yes"}, follow=True)
    assert "cannot be deleted: untick “Active” to retire it" in response.content.decode()
    assert GoalTemplate.objects.filter(pk=entry.pk).exists()


def test_the_library_filters_by_competency_title_source_and_active(staff_client):
    changelist = reverse("admin:goalsapp_goaltemplate_changelist")
    title = JobTitle.objects.get(name="Collection Manager")
    assert staff_client.get(changelist, {"titles__id__exact": title.pk}) \
        .context["cl"].result_count == 80
    assert staff_client.get(changelist, {"source": "004"}).context["cl"].result_count == 40
    assert staff_client.get(changelist, {"is_active__exact": "0"}).context["cl"] \
        .result_count == 0


def test_the_employee_form_offers_the_active_job_titles(staff_client, employee):
    JobTitle.objects.create(name="Retired Title", is_active=False)
    response = staff_client.get(reverse("admin:goalsapp_employee_change", args=[employee.pk]))
    choices = [value for value, _ in response.context["adminform"].form.fields["title"].choices]
    assert "Collection Manager" in choices and "Collections Specialist" in choices
    assert "Retired Title" not in choices


def test_a_retired_current_title_is_kept(staff_client, employee):
    JobTitle.objects.filter(name=employee.title).update(is_active=False)
    response = staff_client.post(reverse("admin:goalsapp_employee_change", args=[employee.pk]),
                                 employee_post(employee, territory="West"))
    assert response.status_code == 302
    employee.refresh_from_db()
    assert (employee.title, employee.territory) == ("Collections Specialist", "West")


def test_an_unknown_title_is_refused_next_to_the_field(staff_client, employee):
    response = staff_client.post(reverse("admin:goalsapp_employee_change", args=[employee.pk]),
                                 employee_post(employee, title="Astronaut"))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["title"] == [
        "Choose one of the active job titles."]
    assert Employee.objects.get(pk=employee.pk).title == "Collections Specialist"


def test_an_admin_lists_the_competencies_of_a_title(staff_client):
    title = JobTitle.objects.create(name="AR Analyst")
    competency = Competency.objects.get(name="Data Analysis and Reporting")
    response = staff_client.post(reverse("admin:goalsapp_jobtitle_change", args=[title.pk]), {
        "name": "AR Analyst", "is_active": "on", "competencies": [competency.pk]})
    assert response.status_code == 302
    assert list(title.competencies.all()) == [competency]
