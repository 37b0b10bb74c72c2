"""The signed record refused below the ORM: PostgreSQL triggers refuse UPDATE and DELETE of rows
of a signed sheet (the sheet, its goals, answers, SMART checks, signatures) and of any review
event, so raw SQL is refused too. A PostgreSQL superuser lifts them for one transaction for a
legal correction (docs/operations.md, "Correcting a signed record"): every row changed then is
written to reviews_recordcorrection with the reason. Other databases rely on the ORM's refusals."""

from django.db import migrations, models

GUARDED = ("goalsapp_goalsheet", "goalsapp_goal", "reviews_goalanswer", "reviews_smartcheck",
           "reviews_signature", "reviews_reviewevent")

FUNCTION = r"""
CREATE OR REPLACE FUNCTION goalpost_guard_signed_record() RETURNS trigger AS $$
DECLARE
    locked boolean := false;
    reason text := coalesce(current_setting('goalpost.correction_reason', true), '');
BEGIN
    IF TG_TABLE_NAME = 'reviews_reviewevent' THEN
        locked := true;
    ELSIF TG_TABLE_NAME = 'goalsapp_goalsheet' THEN
        locked := OLD.state = 'signed';
    ELSIF TG_TABLE_NAME IN ('goalsapp_goal', 'reviews_signature') THEN
        SELECT sheet.state = 'signed' INTO locked
          FROM goalsapp_goalsheet sheet WHERE sheet.id = OLD.sheet_id;
    ELSIF TG_TABLE_NAME IN ('reviews_goalanswer', 'reviews_smartcheck') THEN
        SELECT sheet.state = 'signed' INTO locked
          FROM goalsapp_goal goal JOIN goalsapp_goalsheet sheet ON sheet.id = goal.sheet_id
         WHERE goal.id = OLD.goal_id;
    ELSIF TG_TABLE_NAME = 'reviews_sheetarchive' THEN
        locked := OLD.file <> '';
    END IF;
    IF NOT coalesce(locked, false) THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    IF reason <> '' AND current_setting('is_superuser') = 'on' THEN
        INSERT INTO reviews_recordcorrection
               (at, db_user, reason, table_name, operation, row_before, row_after)
        VALUES (now(), session_user, reason, TG_TABLE_NAME, TG_OP, to_jsonb(OLD),
                CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) END);
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'Goalpost refuses % on %: the row belongs to a signed record', TG_OP,
        TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation',
              HINT = 'A legal correction: see "Correcting a signed record" in docs/operations.md.';
END
$$ LANGUAGE plpgsql;
"""


def trigger_sql(table: str) -> str:
    return (f"DROP TRIGGER IF EXISTS goalpost_guard ON {table}; "
            f"CREATE TRIGGER goalpost_guard BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION goalpost_guard_signed_record();")


def drop_trigger_sql(table: str) -> str:
    return f"DROP TRIGGER IF EXISTS goalpost_guard ON {table};"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)  # its RAISE holds % signs, not placeholders
    for table in GUARDED:
        schema_editor.execute(trigger_sql(table))


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in GUARDED:
        schema_editor.execute(drop_trigger_sql(table))
    schema_editor.execute("DROP FUNCTION IF EXISTS goalpost_guard_signed_record() CASCADE;")


class Migration(migrations.Migration):

    dependencies = [
        ("goalsapp", "0007_locked_exactly_when_signed"),
        ("reviews", "0004_archive_and_notifications_are_apps"),
    ]

    operations = [
        migrations.CreateModel(
            name="RecordCorrection",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("at", models.DateTimeField()),
                ("db_user", models.CharField(max_length=150)),
                ("reason", models.TextField()),
                ("table_name", models.CharField(max_length=100)),
                ("operation", models.CharField(max_length=10)),
                ("row_before", models.JSONField()),
                ("row_after", models.JSONField(null=True)),
            ],
            options={"ordering": ["-at", "-id"]},
        ),
        migrations.RunPython(create, drop),
    ]
