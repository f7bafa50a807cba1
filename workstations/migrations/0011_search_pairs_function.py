from django.db import migrations

from workstations.search import pairs_index_operations


class Migration(migrations.Migration):
    """The index of the list of pairs reads it through a function PostgreSQL knows to be costly, so
    that a search reads the index rather than checking every row (``pairs_index_operations``)."""

    dependencies = [
        ("workstations", "0010_search_scope_tokens"),
    ]

    operations = pairs_index_operations("workstations", "Workstation")
