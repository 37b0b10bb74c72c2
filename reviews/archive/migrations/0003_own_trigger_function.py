"""A stored archive guards itself with a trigger function of its own, so the core's
(reviews/migrations/0007) need not name this table: a row whose PDF is stored is refused UPDATE
and DELETE, except as a logged legal correction (the core's goalpost_correct_or_refuse)."""

from django.db import migrations

TABLE = "reviews_sheetarchive"

FUNCTION = r"""
CREATE OR REPLACE FUNCTION goalpost_guard_stored_archive() RETURNS trigger AS $$
BEGIN
    IF OLD.file <> '' THEN
        PERFORM goalpost_correct_or_refuse(
            TG_TABLE_NAME, TG_OP, to_jsonb(OLD),
            CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) END);
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""


def _trigger(function: str) -> str:
    return (f"DROP TRIGGER IF EXISTS goalpost_guard ON {TABLE}; "
            f"CREATE TRIGGER goalpost_guard BEFORE UPDATE OR DELETE ON {TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}();")


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    schema_editor.execute(_trigger("goalpost_guard_stored_archive"))


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(_trigger("goalpost_guard_signed_record"))
    schema_editor.execute("DROP FUNCTION IF EXISTS goalpost_guard_stored_archive();")


class Migration(migrations.Migration):

    dependencies = [
        ("archive", "0002_stored_archive_trigger"),
        ("reviews", "0007_record_guard_without_the_archive"),
    ]

    operations = [migrations.RunPython(forward, backward)]
