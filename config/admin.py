"""The Django admin site, asking the one access policy who may enter it."""

from django.contrib.admin import AdminSite


class GoalpostAdminSite(AdminSite):
    site_header = "Goalpost administration"
    site_title = "Goalpost admin"

    def has_permission(self, request):
        from goalsapp.access import may_use_admin  # models load after this module

        return request.user.is_active and may_use_admin(request.user)
