"""python manage.py backup_files FOLDER

Copies every file of the site's storages (``STORAGES`` but the static files, which
``collectstatic`` makes again: ``default``, the public photos and logos, and ``private``) into
``FOLDER/<alias>/<name>``, through the storage API, so it reads local folders and S3 buckets
alike, and writes ``FOLDER/manifest.json`` with each file's size and SHA-256 for
``restore_files`` to check. Part of ``config/deploy/backup`` (README, "Past one machine").
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.management import filebackup


class Command(BaseCommand):
    help = "Copy every file of the site's storages (public and private) into a folder."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--jobs",
            type=int,
            default=filebackup.JOBS,
            help=f"files copied at a time (default {filebackup.JOBS})",
        )
        parser.add_argument("folder", type=Path, help="an empty or missing folder")

    def handle(self, *args, folder: Path, **options) -> None:
        self.verbose = options["verbosity"] >= 2
        if folder.exists() and any(folder.iterdir()):
            raise CommandError(f"{folder} is not empty: back up into a new folder")
        manifest = filebackup.storages_to_folder(folder, jobs=options["jobs"], log=self._log)
        (folder / filebackup.MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        for alias, files in manifest["storages"].items():
            size = sum(f["size"] for f in files.values())
            self.stdout.write(f"{alias}: {len(files)} files, {size / 1e6:.1f} MB")

    def _log(self, line: str) -> None:
        if self.verbose:
            self.stdout.write(line)
