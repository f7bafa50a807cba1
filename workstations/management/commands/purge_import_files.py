"""python manage.py purge_import_files [--hours 24]

An import's preview keeps the uploaded file in the media storage until it is confirmed, so that
any app server can finish it. A preview never confirmed leaves its file behind: run this daily
(cron) to remove the ones older than a day.
"""

from __future__ import annotations

import datetime

from django.core.files.storage import storages
from django.core.management.base import BaseCommand
from django.utils import timezone

FOLDER = "django-import-export"


class Command(BaseCommand):
    help = "Remove pending import files (previews never confirmed) older than --hours."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=24.0)

    def handle(self, *args, hours: float, **options):
        storage = (
            storages["import_export"]
            if "import_export" in storages.backends
            else storages["default"]
        )
        cutoff = timezone.now() - datetime.timedelta(hours=hours)
        try:
            _folders, files = storage.listdir(FOLDER)
        except FileNotFoundError:
            files = []
        removed = 0
        for name in files:
            path = f"{FOLDER}/{name}"
            if storage.get_modified_time(path) < cutoff:
                storage.delete(path)
                removed += 1
        self.stdout.write(f"{removed} pending import file(s) removed, {len(files) - removed} kept.")
