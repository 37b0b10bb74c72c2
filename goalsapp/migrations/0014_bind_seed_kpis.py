"""Seed 004's KPIs that the AR ledger measures are bound to them (goalsapp.library)."""

from django.db import migrations


def bind(apps, schema_editor):
    from goalsapp.library import bind_seed_kpis

    bind_seed_kpis(apps.get_model("goalsapp", "GoalTemplate"))


def unbind(apps, schema_editor):
    from goalsapp.library import SEED_KPI_BINDINGS

    template = apps.get_model("goalsapp", "GoalTemplate")
    for (source, source_ref), code in SEED_KPI_BINDINGS.items():
        template.objects.filter(source=source, source_ref=source_ref, kpi=code).update(kpi="")


class Migration(migrations.Migration):
    dependencies = [("goalsapp", "0013_progress_from_ledger")]
    operations = [migrations.RunPython(bind, unbind)]
