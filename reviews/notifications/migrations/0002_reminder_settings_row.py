"""The reminder settings row exists from the start, with its defaults, so HR sees and can change
the numbers in force before the first reminder sweep has run."""

from django.db import migrations


def create_row(apps, schema_editor):
    settings = apps.get_model("notifications", "NotificationSettings")
    settings.objects.get_or_create(pk=1)  # NotificationSettings.SINGLETON_PK; field defaults


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
