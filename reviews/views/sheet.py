"""The sheet page and its transitions: a GET shows what will happen, the POST does it."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from goalsapp.access import get_sheet_for_user, may_sign_in_with_password
from goalsapp.views.common import forbidden

from .. import esign, services
from ..forms import ConfirmForm, EmployeeSignForm, ReturnForm, SignForm
from ..workflow import ActionForbidden, StaleVersion, WorkflowError, require
from .common import sheet_context


@login_required
def sheet_detail(request, pk):
    sheet = get_sheet_for_user(request.user, pk)
    return render(request, "reviews/sheet_detail.html", sheet_context(request, sheet))


def signing_with(service, id_name: str):
    """How a transition page calls a signing service: the typed name, the acknowledgement, and
    the evidence of the request (reviews/esign.py)."""
    def run(*, document_id, actor, version, form):
        evidence = esign.evidence_from(form.request,
                                       gives_consent=form.cleaned_data.get("consent", False))
        return service(**{id_name: document_id}, actor=actor, version=version,
                       typed_name=form.cleaned_data["typed_name"], evidence=evidence,
                       acknowledged=form.cleaned_data.get("acknowledged", False))
    return run


def _signing(request) -> tuple[dict, dict]:
    """What the signing form asks besides the name (consent, password), and what the page
    shows with it (the consent text, a fresh single sign-on for those without a password)."""
    user = request.user
    stale = esign.needs_reauthentication(request)
    by_password = stale and user.has_usable_password() and may_sign_in_with_password(
        user.get_username())
    sso_url = None
    if stale and settings.OIDC_RP_CLIENT_ID:
        sso_url = reverse("oidc_reauthenticate") + "?" + urlencode({"next": request.path})
    ask_consent = esign.consent_on_file(user) is None
    form_kwargs = {"signer": user, "request": request, "ask_consent": ask_consent,
                   "ask_password": by_password}
    return form_kwargs, {"consent_text": esign.CONSENT_TEXT if ask_consent else "",
                         "reauth_minutes": esign.reauth_minutes() if stale else None,
                         "sso_reauth_url": sso_url, "sso_name": settings.SSO_PROVIDER_NAME}


def with_note(service, id_name: str = "sheet_id"):
    """How a transition page calls a service that takes an optional (or required) note."""
    def run(*, document_id, actor, version, form):
        return service(**{id_name: document_id}, actor=actor, version=version,
                       note=form.cleaned_data.get("note", ""))
    return run


_sign = signing_with(services.sheet_sign, "sheet_id")

# action name → (form class, how to call its service, what to tell the user afterwards)
TRANSITIONS = {
    "send_to_employee": (ConfirmForm, with_note(services.sheet_send_to_employee),
                         "Sent to the employee for their answers."),
    "submit_answers": (ConfirmForm, with_note(services.sheet_submit_answers),
                       "Your answers were sent to your supervisor."),
    "sign_supervisor": (SignForm, _sign, "Signed. The sheet now waits on the employee."),
    "sign_employee": (EmployeeSignForm, _sign, "Signed. The sheet now goes to HR for review."),
    "sign_hr": (SignForm, _sign, "Signed for HR. The sheet is final and locked."),
    "reopen": (ConfirmForm, with_note(services.sheet_reopen), "Reopened for changes."),
    "return_to_supervisor": (ReturnForm, with_note(services.sheet_return_to_supervisor),
                             "Returned to the supervisor; all signatures were voided."),
}


@login_required
def sheet_transition(request, pk, action):
    sheet = get_sheet_for_user(request.user, pk)
    return transition_page(request, sheet, sheet, action, TRANSITIONS, StaleVersion,
                           "reviews/transition.html")


def transition_page(request, sheet, document, action, transitions, stale, template):
    """A transition's confirmation page (GET) and the transition itself (POST), for either
    document of the sheet (the sheet, or its closing review): the table's `require` first,
    then the form, then the service."""
    if action not in transitions:
        raise Http404("No such action.")
    form_class, run, done = transitions[action]
    try:
        step = require(request.user, document, action)
    except ActionForbidden as error:
        return forbidden(request, str(error))
    except WorkflowError as refusal:
        message = str(refusal)
        if request.method == "POST" and request.POST.get("version") != str(document.version):
            # A second click on a page that is already out of date: say so, not "not possible".
            message = str(stale())
        messages.error(request, message)
        return redirect("sheet_detail", pk=sheet.pk)

    extra, signing = _signing(request) if issubclass(form_class, SignForm) else ({}, {})
    form = form_class(request.POST or None, initial={"version": document.version}, **extra)
    if request.method == "POST" and form.is_valid():
        try:
            run(document_id=document.pk, actor=request.user,
                version=form.cleaned_data["version"], form=form)
        except StaleVersion as error:
            messages.warning(request, str(error))
            return redirect("sheet_detail", pk=sheet.pk)
        except ActionForbidden as error:
            return forbidden(request, str(error))
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect("sheet_detail", pk=sheet.pk)
    return render(request, template, sheet_context(
        request, sheet, action=step, form=form, **signing))
