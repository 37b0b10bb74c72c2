"""What every workflow page shares: the sheet page's context (the 403 page with a reason is
goalsapp.views.common.forbidden, one for both apps)."""

from goalsapp.seeds import form_acknowledgement

from ..selectors import sheet_view
from ..workflow import NEXT_ACTOR, ROLE_NAMES, actions_for, roles_of


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
        "acknowledgement": form_acknowledgement(),
        **extra,
    }
