"""Puts the signed-in person and the access policy's answers (`can`) in every template."""

from .access import Can, employee_of


def access(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"me": employee_of(user), "can": Can(user)}
