"""python manage.py purge_spreadsheet_jobs [--days N]

The exports and imports done in the background stay on their owner's downloads page, with
their workbooks in the private storage, for ``EXPORT_KEEP_DAYS``. Run this daily (cron, or
Celery beat's ``purge-spreadsheet-jobs``) to remove the older ones and their files.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand

from workstations.spreadsheets.jobs import jobs_purge


class Command(BaseCommand):
    help = "Remove background exports and imports older than --days, with their workbooks."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="default EXPORT_KEEP_DAYS")

    def handle(self, *args, days: int | None, **options):
        days = settings.EXPORT_KEEP_DAYS if days is None else days
        removed = jobs_purge(older_than=datetime.timedelta(days=days))
        self.stdout.write(f"{removed} background job(s) older than {days} days removed.")
