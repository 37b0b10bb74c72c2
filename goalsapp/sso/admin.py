"""SSO identities: which subject is which login; deleting one lets the person bind anew."""

from django.contrib import admin

from .models import SsoIdentity


@admin.register(SsoIdentity)
class SsoIdentityAdmin(admin.ModelAdmin):
    list_display = ["user", "subject", "bound_at", "last_login_at"]
    search_fields = ["user__username", "user__email", "subject"]
    readonly_fields = ["user", "subject", "bound_at", "last_login_at"]
