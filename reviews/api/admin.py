"""Admins create, scope and revoke API tokens; the secret is shown once, on creation."""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone

from .models import ApiToken
from .tokens import token_create, token_revoke


class ApiTokenForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(choices=ApiToken.Scope.choices,
                                       widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ApiToken
        fields = ["name", "acts_as", "scopes"]
        help_texts = {"acts_as": "The token sees and changes exactly what this user may: "
                                 "an HR service user for an HRIS, a supervisor for one team."}


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    form = ApiTokenForm
    list_display = ["name", "prefix", "acts_as", "scopes", "created_at", "last_used_at",
                    "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    readonly_fields = ["prefix", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_readonly_fields(self, request, obj=None):
        # A token's scopes and user are what it was issued with: revoke and issue anew.
        return [*self.readonly_fields, "name", "acts_as", "scopes"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if change:
            return
        token, raw = token_create(name=form.cleaned_data["name"],
                                  acts_as=form.cleaned_data["acts_as"],
                                  scopes=form.cleaned_data["scopes"], created_by=request.user)
        obj.pk = token.pk
        obj.__dict__.update(ApiToken.objects.filter(pk=token.pk).values().first())
        messages.warning(request, f"The token for “{token.name}” is {raw} — copy it now: it is "
                                  "stored hashed and cannot be shown again.")

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: last use stays on record

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at=None):
            token_revoke(token)
        self.message_user(request, f"Revoked at {timezone.now():%Y-%m-%d %H:%M}.")
