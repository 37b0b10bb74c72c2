"""Shared by the admin tests: what the Employee change form posts."""

from goalsapp.models import Employee


def employee_post(employee: Employee, **changes) -> dict:
    values = {
        "user": employee.user_id,
        "employee_number": employee.employee_number,
        "full_name": employee.full_name,
        "title": employee.title,
        "territory": employee.territory,
        "work_location": employee.work_location,
        "performance_tier": employee.performance_tier,
        "supervisor": employee.supervisor_id or "",
        "is_active": "on" if employee.is_active else "",
        "ssn": "",
        "_save": "Save",
    }
    values.update(changes)
    return values
