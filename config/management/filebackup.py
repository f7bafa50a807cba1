"""The files of a backup: every storage of the site copied to a folder and back, through the
storage API (``manage.py backup_files`` and ``restore_files``).

A folder holds ``<alias>/<name>`` for each file of each storage and ``manifest.json`` with the
size and SHA-256 of each, so a restore checks what it puts back and a drill can compare two
backups file by file. The static files are left out: ``collectstatic`` makes them from the code.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages

MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
# Files copied at a time.
JOBS = 8
Log = Callable[[str], None]


class RestoreError(Exception):
    pass


def file_aliases() -> list[str]:
    """The storages that hold uploads; an alias configured exactly as an earlier one (the same
    place under another name) is left out, so no file is copied twice."""
    seen, aliases = [], []
    for alias, config in settings.STORAGES.items():
        if alias == "staticfiles" or config in seen:
            continue
        seen.append(config)
        aliases.append(alias)
    return aliases


def walk(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in ``storage`` under ``folder``, depth first."""
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:  # a local storage whose folder was never made
        return
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for directory in sorted(directories):
        yield from walk(storage, posixpath.join(folder, directory) if folder else directory)


def _copy(source, target) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    while chunk := source.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        target.write(chunk)
    return size, digest.hexdigest()


def storages_to_folder(folder: Path, *, jobs: int = JOBS, log: Log = lambda _line: None) -> dict:
    """Copy every file of every upload storage into ``folder``; return the manifest. ``jobs``
    files at a time: a bucket answers each request after a round trip, not a disk seek."""
    manifest: dict = {"storages": {}}
    for alias in file_aliases():
        storage = storages[alias]

        def copy(name: str, alias=alias, storage=storage) -> tuple[str, dict]:
            target = folder / alias / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with storage.open(name, "rb") as source, target.open("wb") as out:
                size, sha256 = _copy(source, out)
            log(f"{alias}: {name} ({size} bytes)")
            return name, {"size": size, "sha256": sha256}

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            manifest["storages"][alias] = dict(pool.map(copy, list(walk(storage))))
    return manifest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def folder_to_storages(
    folder: Path, *, replace: bool = False, jobs: int = JOBS, log: Log = lambda _line: None
) -> dict[str, tuple[int, int]]:
    """Put the files of ``folder`` back into the storages of the same aliases. Returns, per
    alias, how many files were written and how many were already there."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise RestoreError(f"{folder / MANIFEST} is missing: not a backup_files folder") from None
    unknown = set(manifest["storages"]) - set(settings.STORAGES)
    if unknown:
        raise RestoreError(f"the backup has storages this site lacks: {', '.join(unknown)}")
    counts = {}
    for alias, files in manifest["storages"].items():
        storage = storages[alias]

        def put(item: tuple[str, dict], alias=alias, storage=storage) -> bool:
            """Whether the file was written (False: it was there already)."""
            name, facts = item
            path = folder / alias / name
            if not path.is_file() or _sha256(path) != facts["sha256"]:
                raise RestoreError(f"{path} is missing or differs from the manifest")
            if storage.exists(name):
                if storage.size(name) == facts["size"] and not replace:
                    return False
                if not replace:
                    raise RestoreError(
                        f"{alias}: {name} is already there with other content (--replace)"
                    )
                storage.delete(name)
            with path.open("rb") as f:
                saved = storage.save(name, File(f, name=name))
            if saved != name:
                raise RestoreError(f"{alias}: {name} was stored as {saved}")
            log(f"{alias}: {name}")
            return True

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            written = sum(pool.map(put, files.items()))
        counts[alias] = (written, len(files) - written)
    return counts
