"""python manage.py purge_pending_photos [--hours 48]

Photos a member sent with an activity's form wait on the server until the form is saved
(``PendingPhoto``), so that nothing is lost when a field needs fixing. A form never saved leaves
its photos behind: run this daily (cron) to remove those older than two days, with their files.
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from consultations.services.photos import PENDING_PHOTO_LIFETIME, pending_photos_purge


class Command(BaseCommand):
    help = "Remove photos waiting for a form that was never saved, older than --hours."

    def add_arguments(self, parser):
        parser.add_argument(
            "--hours", type=float, default=PENDING_PHOTO_LIFETIME.total_seconds() / 3600
        )

    def handle(self, *args, hours: float, **options):
        if hours < 1:
            raise CommandError("--hours must be at least 1: the form may still be open.")
        removed = pending_photos_purge(older_than=datetime.timedelta(hours=hours))
        self.stdout.write(f"{removed} photo(s) waiting for an abandoned form removed.")
