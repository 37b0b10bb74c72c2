"""What every workflow page shares: the answer to "may I take this step now?" as a response,
and the sheet page's context. The 403 page itself is goalsapp.views.common.forbidden."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from goalsapp.seeds import form_acknowledgement
from goalsapp.views.common import forbidden

from ..closing import CLOSING_ACKNOWLEDGEMENT
from ..closing_selectors import closing_of, closing_view, may_open_closing
from ..panels import sheet_panels, version_cells
from ..selectors import sheet_view
from ..workflow import (
    NEXT_ACTOR,
    ROLE_NAMES,
    ActionForbidden,
    WorkflowError,
    actions_for,
    require,
    roles_of,
)


def refusal(request, sheet, action, document=None):
    """None if the user may take `action` now on `document` (the sheet, or its closing review);
    otherwise the response that says why not, back on the sheet's page."""
    try:
        require(request.user, document or sheet, action)
    except ActionForbidden as error:
        return forbidden(request, str(error))
    except WorkflowError as error:
        messages.error(request, str(error))
        if request.htmx:  # a row form must not swap a whole page into itself
            return HttpResponseClientRedirect(reverse("sheet_detail", args=[sheet.pk]))
        return redirect("sheet_detail", pk=sheet.pk)
    return None


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
        "sheet_panels": sheet_panels(),
        "version_cells": version_cells(),
        **closing_context(request, sheet),
        **extra,
    }


def closing_context(request, sheet) -> dict:
    """The closing review's section of the sheet page (only a signed sheet has one)."""
    if not sheet.is_signed:
        return {}
    review = closing_of(sheet)
    if review is None:
        return {"may_open_closing": may_open_closing(request.user, sheet)}
    actions = actions_for(request.user, review)
    next_role = NEXT_ACTOR[review.state]
    return {
        "closing": review,
        "closing_view": closing_view(review),
        "closing_steps": [a for a in actions if not a.is_transition],
        "closing_transitions": [a for a in actions if a.is_transition],
        "closing_waiting_on": ROLE_NAMES[next_role] if next_role else None,
        "closing_acknowledgement": CLOSING_ACKNOWLEDGEMENT,
    }
