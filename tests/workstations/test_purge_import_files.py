import io
import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command


@pytest.mark.django_db
def test_old_pending_import_files_are_removed_and_recent_ones_kept():
    default_storage = storages["import_export"]  # the private storage
    old = default_storage.save("django-import-export/old", ContentFile(b"x"))
    new = default_storage.save("django-import-export/new", ContentFile(b"y"))
    two_days_ago = time.time() - 48 * 3600
    os.utime(default_storage.path(old), (two_days_ago, two_days_ago))
    out = io.StringIO()
    call_command("purge_import_files", stdout=out)
    assert not default_storage.exists(old)
    assert default_storage.exists(new)
    assert out.getvalue().startswith("1 ")


@pytest.mark.django_db
def test_background_jobs_older_than_the_keep_days_go_with_their_workbooks(settings):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import UserFactory
    from workstations.models import SpreadsheetJob

    settings.EXPORT_KEEP_DAYS = 7
    private = storages["private"]
    staff = UserFactory()
    old_file = private.save("exports/old.xlsx", ContentFile(b"old"))
    new_file = private.save("exports/new.xlsx", ContentFile(b"new"))
    old = SpreadsheetJob.objects.create(
        task_id="old", kind="export", title="old.xlsx", requested_by=staff, file=old_file
    )
    SpreadsheetJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    SpreadsheetJob.objects.create(
        task_id="new", kind="export", title="new.xlsx", requested_by=staff, file=new_file
    )
    out = io.StringIO()
    call_command("purge_spreadsheet_jobs", stdout=out)
    assert list(SpreadsheetJob.objects.values_list("task_id", flat=True)) == ["new"]
    assert not private.exists(old_file) and private.exists(new_file)
    assert out.getvalue().startswith("1 ")
