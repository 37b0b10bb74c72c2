"""SSO identities: which subject is which login; deleting one lets the person bind anew."""

from django.contrib import admin

from .models import SsoIdentity


@admin.register(SsoIdentity)
class SsoIdentityAdmin(admin.ModelAdmin):
    list_display = ["user", "subject", "bound_at", "last_login_at"]
    search_fields = ["user__username", "user__email", "subject"]
    readonly_fields = ["user", "subject", "bound_at", "last_login_at"]

    def has_add_permission(self, request):
        # An identity is bound at the person's first single sign-on; an add page with every
        # field read-only saved a row without a user (a 500, found by tests/security/).
        return False
