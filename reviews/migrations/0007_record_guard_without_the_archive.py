"""The signed record's trigger function no longer names the archive's table: the archive guards
its own rows with a function of its own (reviews/archive/migrations/0003). What both share is
the legal correction path, now a function of its own: a PostgreSQL superuser who names a reason
(`goalpost.correction_reason`) changes the row and it is logged in reviews_recordcorrection;
anyone else is refused. Migration 0005 stays as it was applied."""

import importlib

from django.db import migrations

CORRECT_OR_REFUSE = r"""
CREATE OR REPLACE FUNCTION goalpost_correct_or_refuse(
    tg_table text, tg_op text, row_before jsonb, row_after jsonb) RETURNS void AS $$
DECLARE
    reason text := coalesce(current_setting('goalpost.correction_reason', true), '');
BEGIN
    IF reason <> '' AND current_setting('is_superuser') = 'on' THEN
        INSERT INTO reviews_recordcorrection
               (at, db_user, reason, table_name, operation, row_before, row_after)
        VALUES (now(), session_user, reason, tg_table, tg_op, row_before, row_after);
        RETURN;
    END IF;
    RAISE EXCEPTION 'Goalpost refuses % on %: the row belongs to a signed record', tg_op,
        tg_table
        USING ERRCODE = 'restrict_violation',
              HINT = 'A legal correction: see "Correcting a signed record" in docs/operations.md.';
END
$$ LANGUAGE plpgsql;
"""

GUARD = r"""
CREATE OR REPLACE FUNCTION goalpost_guard_signed_record() RETURNS trigger AS $$
DECLARE
    locked boolean := false;
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
    END IF;
    IF coalesce(locked, false) THEN
        PERFORM goalpost_correct_or_refuse(
            TG_TABLE_NAME, TG_OP, to_jsonb(OLD),
            CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) END);
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Their RAISE holds % signs, not placeholders.
    schema_editor.execute(CORRECT_OR_REFUSE, params=None)
    schema_editor.execute(GUARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    applied = importlib.import_module("reviews.migrations.0005_record_triggers")
    schema_editor.execute(applied.FUNCTION, params=None)
    schema_editor.execute("DROP FUNCTION IF EXISTS goalpost_correct_or_refuse(text, text, jsonb, "
                          "jsonb);")


class Migration(migrations.Migration):

    dependencies = [("reviews", "0006_esignature_evidence")]

    operations = [migrations.RunPython(forward, backward)]
