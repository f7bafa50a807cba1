"""python manage.py restore_files FOLDER

Puts the files that ``backup_files`` copied into FOLDER back into the site's storages, under
the same names, through the storage API (local folders or S3 buckets alike), checking each
file's SHA-256 against the manifest first. Meant for fresh, empty storages: a file already there
with the same size is left alone; one that differs stops the restore unless ``--replace``.
Part of ``config/deploy/restore`` (README, "Past one machine").
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.management import filebackup


class Command(BaseCommand):
    help = "Put the files of a backup_files folder back into the site's storages."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--jobs",
            type=int,
            default=filebackup.JOBS,
            help=f"files copied at a time (default {filebackup.JOBS})",
        )
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Overwrite files that are already there with other content.",
        )

    def handle(self, *args, folder: Path, replace: bool, **options) -> None:
        self.verbose = options["verbosity"] >= 2
        try:
            counts = filebackup.folder_to_storages(
                folder, replace=replace, jobs=options["jobs"], log=self._log
            )
        except filebackup.RestoreError as error:
            raise CommandError(str(error)) from None
        for alias, (written, present) in counts.items():
            self.stdout.write(f"{alias}: {written} files restored, {present} already there")

    def _log(self, line: str) -> None:
        if self.verbose:
            self.stdout.write(line)
