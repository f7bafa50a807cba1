from django.db import migrations

from workstations.search import scope_backfill_operation


class Migration(migrations.Migration):
    """Each outcome's list of pairs also holds its committees' tokens."""

    dependencies = [
        ("outcomes", "0008_public_list_indexes"),
        ("workstations", "0010_search_scope_tokens"),
    ]

    operations = [scope_backfill_operation("outcomes", "Outcome")]
