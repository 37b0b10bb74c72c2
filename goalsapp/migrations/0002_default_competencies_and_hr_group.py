"""Creates the default competencies (the 10 KRAs of seed 004) and the HR group."""

from django.db import migrations


def create_defaults(apps, schema_editor):
    from goalsapp.seeds import responsibility_areas

    Competency = apps.get_model("goalsapp", "Competency")
    for area in responsibility_areas():
        Competency.objects.update_or_create(
            name=area.name,
            defaults={"description": area.description,
                      "short_description": area.short_description,
                      "position": area.number},
        )
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name="HR")


class Migration(migrations.Migration):
    dependencies = [
        ("goalsapp", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
