"""The default rating scale (1–5, in words a collections department uses; HR may edit it) and
the closing record refused below the ORM: once HR signs a closing review, PostgreSQL refuses
UPDATE and DELETE of the review, its goal results and its signatures, with the same legal
correction path as the signed goals (goalpost_correct_or_refuse, migration 0007). The goals'
own guard (goalpost_guard_signed_record) is left exactly as it is."""

from django.db import migrations

LEVELS = (
    (1, "Unsatisfactory",
     "Most goals were not achieved: collections, promises kept or accuracy fell well short of "
     "what the role requires, and improvement is needed at once."),
    (2, "Needs improvement",
     "Some goals were met, but key targets (cash collected, past-due balances, follow-up "
     "discipline) were missed; a development plan is expected for the next period."),
    (3, "Meets expectations",
     "The goals were achieved as agreed: a reliable, accurate and compliant handling of the "
     "portfolio throughout the period."),
    (4, "Exceeds expectations",
     "Every goal achieved and several beaten: collections ahead of target, disputes resolved "
     "faster, and a help to colleagues."),
    (5, "Outstanding",
     "Exceptional results across every goal, well beyond target, with a visible effect on the "
     "department's cash flow and practice."),
)

GUARD = r"""
CREATE OR REPLACE FUNCTION goalpost_guard_closed_review() RETURNS trigger AS $$
DECLARE
    locked boolean := false;
BEGIN
    IF TG_TABLE_NAME = 'reviews_closingreview' THEN
        locked := OLD.state = 'closed';
    ELSE
        SELECT review.state = 'closed' INTO locked
          FROM reviews_closingreview review WHERE review.id = OLD.review_id;
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

GUARDED = ("reviews_closingreview", "reviews_goalresult", "reviews_closingsignature")


def seed_scale(apps, schema_editor):
    RatingScale = apps.get_model("reviews", "RatingScale")
    RatingLevel = apps.get_model("reviews", "RatingLevel")
    if RatingScale.objects.exists():
        return
    scale = RatingScale.objects.create(name="Performance rating 1–5", is_active=True)
    RatingLevel.objects.bulk_create(
        RatingLevel(scale=scale, value=value, label=label, description=description,
                    position=value) for value, label, description in LEVELS)


def create_guard(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(GUARD, params=None)  # its body holds % signs, not placeholders
    for table in GUARDED:
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS goalpost_guard ON {table}; "
            f"CREATE TRIGGER goalpost_guard BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION goalpost_guard_closed_review();")


def drop_guard(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in GUARDED:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS goalpost_guard ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS goalpost_guard_closed_review() CASCADE;")


class Migration(migrations.Migration):

    dependencies = [("reviews", "0008_closing_review")]

    operations = [
        migrations.RunPython(seed_scale, migrations.RunPython.noop),
        migrations.RunPython(create_guard, drop_guard),
    ]
