from django.db import migrations

from workstations.search import scope_backfill_operation


class Migration(migrations.Migration):
    """Each activity's list of pairs also holds its workstation's committees' tokens."""

    dependencies = [
        ("consultations", "0007_private_files"),
        ("workstations", "0010_search_scope_tokens"),
    ]

    operations = [scope_backfill_operation("consultations", "Activity", "workstations.Workstation")]
