"""People kept in sync from the HRIS export: the preview names what changes and what is wrong,
applying saves it in one go through the API's own service, leavers are deactivated (never
deleted) and their open sheets listed, and the same file applied again changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goalsapp.models import Employee
from goalsapp.people_sync import sync
from tests.factories import GoalSheetFactory

pytestmark = pytest.mark.django_db

HEADER = ",".join(sync.COLUMNS)


def _csv(*lines: str) -> bytes:
    return "\n".join([HEADER, *lines]).encode()


def _plan(*lines: str) -> sync.Plan:
    return sync.plan(sync.read(_csv(*lines)))


def test_the_preview_sorts_people_into_new_changed_lines_and_leavers(supervisor, employee,
                                                                     other_supervisor):
    plan = _plan(
        "E-5001,Nia Novak,nia@example.com,Collections Specialist,West,Denver,new,E-1002,yes",
        "E-1003,Emma Ellis,,Collections Specialist,Northeast,\"Boston, MA\",high,E-2001,yes",
        "E-2001,Otto Olsen,,Collections Supervisor,,,core,,no",
        "E-1002,Sam Sutton,,Collections Supervisor,Northeast,\"Boston, MA\",core,E-1001,yes")
    assert [row.number for row in plan.new] == ["E-5001"]
    assert [row.number for row in plan.leavers] == ["E-2001"]
    assert [row.number for row in plan.unchanged] == ["E-1002"]
    # Emma moves to Otto, who leaves in the same file: refused, named.
    assert [(row.number, row.errors) for row in plan.errors] == [
        ("E-1003", ["The supervisor E-2001 has left."])]


def test_rows_with_errors_are_named(supervisor, employee):
    plan = _plan("E-6001,A,,T,,,core,E-404,yes",
                 "E-6002,B,,T,,,core,E-6003,yes",
                 "E-6003,C,,T,,,core,E-6002,yes",
                 "E-6004,D,not-an-email,T,,,boss,,maybe",
                 "E-6001,A again,,T,,,core,,yes",
                 "E-1002,Sam Sutton,,Collections Supervisor,,,core,E-1003,yes")
    errors = {row.line: " ".join(row.errors) for row in plan.errors}
    assert errors == {
        2: "Unknown supervisor number “E-404”.",
        3: "Reporting to E-6003 would make a loop.",
        4: "Reporting to E-6002 would make a loop.",
        5: "“not-an-email” is not an e-mail address. Unknown tier “boss”: use new, core, high. "
           "“maybe” is not yes or no.",
        6: "Line 2 already gives E-6001.",
        7: "Reporting to E-1003 would make a loop.",  # Emma reports to Sam already
    }


def test_applying_saves_everything_once_and_again_changes_nothing(hr, supervisor, employee):
    rows = sync.read(_csv(
        "E-5001,Nia Novak,nia@example.com,Collections Specialist,West,Denver,new,E-5002,yes",
        "E-5002,Noor Nasser,noor@example.com,Collections Supervisor,West,Denver,core,,yes",
        "E-1003,Emma Ellis,,Collections Specialist,Northeast,\"Boston, MA\",core,E-1002,no"))
    result = sync.apply(rows, actor=hr.user)
    assert len(result.new) == 2 and len(result.leavers) == 1
    nia = Employee.objects.get(employee_number="E-5001")
    assert nia.supervisor.employee_number == "E-5002" and nia.user.email == "nia@example.com"
    employee.refresh_from_db()
    assert employee.is_active is False and employee.user.is_active is False
    assert employee.history.first().history_user == hr.user
    histories = Employee.history.count()
    again = sync.apply(sync.read(_csv(
        "E-5001,Nia Novak,nia@example.com,Collections Specialist,West,Denver,new,E-5002,yes",
        "E-5002,Noor Nasser,noor@example.com,Collections Supervisor,West,Denver,core,,yes",
        "E-1003,Emma Ellis,,Collections Specialist,Northeast,\"Boston, MA\",core,E-1002,no")),
        actor=hr.user)
    assert len(again.unchanged) == 3 and not again.new and not again.changed
    assert Employee.history.count() == histories


def test_the_pages_preview_apply_and_list_leavers_open_sheets(client, hr, employee, period):
    GoalSheetFactory(employee=employee, period=period)
    client.force_login(hr.user)
    upload = SimpleUploadedFile("people.csv", _csv(
        "E-1003,Emma Ellis,,Collections Specialist,Northeast,\"Boston, MA\",core,E-1002,no",
        "E-7001,Zed,,T,,,core,E-404,yes"))
    response = client.post(reverse("people_sync"), {"file": upload})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert b"Unknown supervisor number" in preview.content
    assert Employee.objects.get(employee_number="E-1003").is_active  # nothing saved yet
    applied = client.post(response["Location"])
    assert b"1 deactivated" in applied.content and b"1 left out" in applied.content
    assert b"Emma Ellis (E-1003)" in applied.content  # her open sheet, for HR to decide
    assert not Employee.objects.filter(employee_number="E-7001").exists()


def test_only_hr_and_admins_sync(client, supervisor):
    client.force_login(supervisor.user)
    assert client.get(reverse("people_sync")).status_code == 403


def test_a_file_that_cannot_be_read_is_refused_on_the_field(client, hr):
    client.force_login(hr.user)
    response = client.post(reverse("people_sync"),
                           {"file": SimpleUploadedFile("x.csv", b"name,title\nA,B")})
    assert b"Missing columns: employee_number, full_name" in response.content
