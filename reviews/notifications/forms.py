"""The notification settings form (each person's), and the reminder settings form (HR's)."""

from django import forms

from .models import NotificationSettings

DELIVERY_CHOICES = [
    ("single", "One e-mail for each reminder"),
    ("digest", "One daily digest of my reminders"),
]


class NotificationSettingsForm(forms.Form):
    delivery = forms.ChoiceField(label="Reminders", choices=DELIVERY_CHOICES,
                                 widget=forms.RadioSelect)


class ReminderSettingsForm(forms.ModelForm):
    """The three numbers reminders go by; the bounds are the model's validators, and each
    mistake says the field's range."""

    RANGES = {"lead_days": "Enter a whole number of days from 0 to 60.",
              "overdue_cadence_days": "Enter a whole number of days from 1 to 60.",
              "escalation_after_days": "Enter a whole number of days from 1 to 365."}

    class Meta:
        model = NotificationSettings
        fields = ("lead_days", "overdue_cadence_days", "escalation_after_days")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, message in self.RANGES.items():
            self.fields[name].error_messages.update(
                {code: message for code in ("required", "invalid", "min_value", "max_value")})
