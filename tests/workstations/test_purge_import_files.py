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
