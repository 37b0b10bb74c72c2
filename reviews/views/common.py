"""Helpers every workflow view shares: the 403 page with a reason, and the sheet page context."""

from django.shortcuts import render

from goalsapp.seeds import form_acknowledgement
from goalsapp.selectors import is_hr

from ..selectors import sheet_view
from ..workflow import NEXT_ACTOR, ROLE_NAMES, actions_for, roles_of


def forbidden(request, reason: str):
    return render(request, "forbidden.html", {"reason": reason}, status=403)


def sheet_context(request, sheet, view=None, **extra) -> dict:
    view = view or sheet_view(sheet)
    actions = actions_for(request.user, sheet)
    next_role = NEXT_ACTOR[sheet.state]
    return {
        "sheet": sheet,
        "view": view,
        "actions": actions,
        "transitions": [a for a in actions if a.is_transition],
        "steps": [a for a in actions if not a.is_transition],
        "my_roles": roles_of(request.user, sheet),
        "waiting_on": ROLE_NAMES[next_role] if next_role else None,
        "show_full_ssn": is_hr(request.user),
        "acknowledgement": form_acknowledgement(),
        **extra,
    }
