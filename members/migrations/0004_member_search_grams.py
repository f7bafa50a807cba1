from django.db import migrations, models

from workstations.search import scope_backfill_operation, search_index_operations

# The pairs written for the members there are (the indexes follow in 0005: PostgreSQL builds no
# index on a table whose rows this transaction has just changed).
backfill_pairs, _indexes = search_index_operations("members", "member", ("name",))


class Migration(migrations.Migration):
    """Members are searched by name through the index of pairs of characters and the
    committees' tokens, as the other searchable records (``workstations.search``)."""

    dependencies = [
        ("members", "0003_list_indexes"),
        ("workstations", "0012_workstation_updated_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="member",
            name="search_grams",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        backfill_pairs,
        scope_backfill_operation("members", "Member"),
    ]
