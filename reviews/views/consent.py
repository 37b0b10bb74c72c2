"""A person's own consent to sign electronically: when and what they agreed to, with the
signatures made under it, and withdrawing it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import esign
from ..models import ESignatureConsent


@login_required
@require_http_methods(["GET", "POST"])
def esign_consent(request):
    if request.method == "POST":
        if esign.consent_withdraw(request.user):
            messages.success(request, "Your consent is withdrawn. Goalpost asks for it again "
                                      "before your next signature; your signatures so far stand.")
        return redirect("esign_consent")
    consents = (ESignatureConsent.objects.filter(user=request.user)  # one's own, nobody else's
                .prefetch_related("signatures__sheet"))
    return render(request, "reviews/esign_consent.html", {
        "consents": consents, "current": esign.consent_on_file(request.user),
        "consent_text": esign.CONSENT_TEXT})
