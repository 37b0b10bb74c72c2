"""Puts the signed-in person's roles in every template, for the navigation."""

from .selectors import (
    employee_of,
    is_hr,
    is_supervisor,
    may_export_archives,
    may_verify_archives,
)


def roles(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    me = employee_of(user)
    return {
        "me": me,
        "is_hr": is_hr(user),
        "is_supervisor": is_supervisor(user),
        "may_verify_archives": may_verify_archives(user),
        "may_export_archives": may_export_archives(user),
    }
