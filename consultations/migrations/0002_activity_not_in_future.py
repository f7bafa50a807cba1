"""The database refuses an activity dated after today in Beijing.

Django's CheckConstraint cannot say "today" portably (SQLite forbids non-deterministic functions
in CHECK), so this is a CHECK on PostgreSQL and a trigger on SQLite. Activity.clean() gives the
user-facing message; this guard catches every other path (raw SQL, bulk writes, bugs).
"""

from django.db import migrations

PG_ADD = """
ALTER TABLE consultations_activity ADD CONSTRAINT activity_not_in_future
CHECK (date <= (now() AT TIME ZONE 'Asia/Shanghai')::date)
"""
PG_DROP = "ALTER TABLE consultations_activity DROP CONSTRAINT activity_not_in_future"
SQLITE_TRIGGERS = [
    f"""
CREATE TRIGGER activity_not_in_future_{event}
BEFORE {event} ON consultations_activity
WHEN NEW.date > date('now', '+8 hours')
BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: activity_not_in_future'); END
"""
    for event in ("INSERT", "UPDATE")
]


def add_guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_ADD)
    elif vendor == "sqlite":
        for sql in SQLITE_TRIGGERS:
            schema_editor.execute(sql)


def drop_guard(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif vendor == "sqlite":
        for event in ("INSERT", "UPDATE"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS activity_not_in_future_{event}")


class Migration(migrations.Migration):
    dependencies = [("consultations", "0001_initial")]
    operations = [migrations.RunPython(add_guard, drop_guard)]
