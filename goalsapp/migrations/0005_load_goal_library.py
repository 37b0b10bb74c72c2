"""Loads the goal library from the seeds (000, 001, 004) and the job titles, through
goalsapp.library so the text is read from the seed files, never retyped."""

from django.db import migrations


def load(apps, schema_editor):
    from goalsapp.library import load_library

    load_library(apps.get_model("goalsapp", "GoalTemplate"), apps.get_model("goalsapp", "JobTitle"),
                 apps.get_model("goalsapp", "Competency"), apps.get_model("goalsapp", "Employee"))


class Migration(migrations.Migration):
    dependencies = [("goalsapp", "0004_goal_library")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
