"""The sign-in form: Django's, refusing a user name no account could have before it is tried."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    def clean_username(self):
        # Django sets the length limit after the field is built, so it is never validated, and
        # the login throttle (django-axes) then fails storing a name longer than its column.
        username = self.cleaned_data["username"]
        if len(username) > self.fields["username"].max_length:
            raise forms.ValidationError(
                "No account has a user name that long: check what you typed.")
        return username
