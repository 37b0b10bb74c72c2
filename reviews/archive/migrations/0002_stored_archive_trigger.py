"""A stored archive (its PDF's file name and SHA-256) is refused UPDATE and DELETE by the
database too, with the signed record's trigger function (reviews/migrations/0005)."""

from django.db import migrations

TABLE = "reviews_sheetarchive"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"DROP TRIGGER IF EXISTS goalpost_guard ON {TABLE}; "
        f"CREATE TRIGGER goalpost_guard BEFORE UPDATE OR DELETE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION goalpost_guard_signed_record();")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS goalpost_guard ON {TABLE};")


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0001_initial"),
        ("reviews", "0005_record_triggers"),
    ]

    operations = [migrations.RunPython(create, drop)]
