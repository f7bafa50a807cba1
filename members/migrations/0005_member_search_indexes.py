from django.db import migrations

from workstations.search import pairs_index_operations, search_index_operations

_backfill, create_indexes = search_index_operations("members", "member", ("name",))


class Migration(migrations.Migration):
    """The trigram index of members' names and the index of their pairs (PostgreSQL)."""

    dependencies = [("members", "0004_member_search_grams")]

    operations = [create_indexes, *pairs_index_operations("members", "Member")]
