"""The notification settings form."""

from django import forms

DELIVERY_CHOICES = [
    ("single", "One e-mail for each reminder"),
    ("digest", "One daily digest of my reminders"),
]


class NotificationSettingsForm(forms.Form):
    delivery = forms.ChoiceField(label="Reminders", choices=DELIVERY_CHOICES,
                                 widget=forms.RadioSelect)
