from django.db import migrations

from workstations.search import scope_backfill_operation


class Migration(migrations.Migration):
    """Each workstation's list of pairs also holds its committees' tokens (``@12``), so that a
    search within a committee is one lookup in the list's index."""

    dependencies = [
        ("workstations", "0009_public_list_indexes"),
    ]

    operations = [scope_backfill_operation("workstations", "Workstation")]
