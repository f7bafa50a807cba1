from django.db import migrations

from workstations.search import pairs_index_operations


class Migration(migrations.Migration):
    """The activities' list of pairs indexed through the costly function (``pairs_index_operations``)."""

    dependencies = [
        ("consultations", "0008_search_scope_tokens"),
        ("workstations", "0011_search_pairs_function"),
    ]

    operations = pairs_index_operations("consultations", "Activity")
