"""Creates the default competencies (the 10 KRAs of seed 004) and the HR group."""

from django.db import migrations


def create_defaults(apps, schema_editor):
    from goalsapp.defaults import create_defaults

    create_defaults(apps.get_model("goalsapp", "Competency"), apps.get_model("auth", "Group"))


class Migration(migrations.Migration):
    dependencies = [
        ("goalsapp", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
