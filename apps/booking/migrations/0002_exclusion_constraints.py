"""PostgreSQL only: holding bookings (pending, confirmed) of one tutor, or of one student, never overlap.

Half-open ranges [start, end), so back-to-back lessons are allowed. SQLite has no exclusion constraints;
there the booking services serialise writes and re-check inside the transaction.
"""

from django.db import migrations

CONSTRAINTS = {
    "bk_tutor_no_overlap": "tutor_id",
    "bk_student_no_overlap": "student_id",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for name, column in CONSTRAINTS.items():
        schema_editor.execute(
            f"ALTER TABLE booking_booking ADD CONSTRAINT {name} EXCLUDE USING gist "
            f"({column} WITH =, tstzrange(start, \"end\", '[)') WITH &&) "
            "WHERE (status IN ('pending', 'confirmed'))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE booking_booking DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("booking", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
