"""The Django admin site, asking the one access policy who may enter it, and answering a post
with forged ids (selected rows, a related object) with a message instead of an error page."""

from functools import wraps

from django.contrib import messages
from django.contrib.admin import AdminSite
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

FORGED_IDS = ("Some of the rows or records sent are not ones Goalpost knows (an id that is not "
              "a number), so nothing was saved or done: open the page again and choose them "
              "there.")


class GoalpostAdminSite(AdminSite):
    site_header = "Goalpost administration"
    site_title = "Goalpost admin"

    def has_permission(self, request):
        from goalsapp.access import may_use_admin  # models load after this module

        return request.user.is_active and may_use_admin(request.user)

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @wraps(view)
        def guarded(request, *args, **kwargs):
            try:
                response = inner(request, *args, **kwargs)
                if request.method == "POST" and hasattr(response, "render"):
                    response.render()  # a refused form is drawn here, not after this block
                return response
            except (ValueError, ValidationError):
                # Django looks posted ids up as they come: an action's selected rows, or an
                # autocomplete field redrawn on a refused form, raise when one is not a number
                # (found by tests/security/). Nothing was saved: a saved form redirects.
                if request.method != "POST":
                    raise
                messages.error(request, FORGED_IDS)
                return HttpResponseRedirect(request.get_full_path())
        return guarded
