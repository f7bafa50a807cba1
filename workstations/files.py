"""Where uploaded files live: the public storage or the private one, told by the stored name.

Two storages hold the uploads (``STORAGES``, see ``config.engines.storages``): ``default`` is
public (its files have addresses anyone may fetch: published photos, logos) and ``private`` is
not (its files are fetched only through ``config.files``, which checks the user's right and
then redirects to a short-lived signed address).

A file field whose file is private for some records and public for others (an activity's
photo is private until the activity is approved) stores through ``RoutedStorage``: a stored
name under ``private/`` is the file of that name, less the prefix, in the private storage;
any other name is in the public one. The stored name alone says where the file is, so a page
gets the right address from ``field.url`` whatever the record's state, and moving a file is a
copy under the other name, the row updated, and the old copy deleted (``file_move``).

Each field decides where a new file goes with its ``upload_to``, from the record's state
(``placed_name``); a thumbnail made later goes beside its photo (``name_beside``).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.files.storage import Storage, storages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from .tenancy import visible_committee_ids

PRIVATE_PREFIX = "private/"
# The address name of the view that serves private files (config.files.private_file).
PRIVATE_FILE_URL_NAME = "private_file"


def is_private(name: str) -> bool:
    """Whether a name stored through ``RoutedStorage`` is a file of the private storage."""
    return name.startswith(PRIVATE_PREFIX)


def placed_name(name: str, *, private: bool) -> str:
    """The stored name of the file ``name`` once placed in the private or the public storage."""
    bare = name[len(PRIVATE_PREFIX) :] if is_private(name) else name
    return PRIVATE_PREFIX + bare if private else bare


def dated_name(folder: str, filename: str, *, private: bool) -> str:
    """A new file's stored name in ``folder`` (strftime codes allowed, like ``upload_to``)."""
    return placed_name(timezone.now().strftime(folder) + filename, private=private)


def name_beside(photo_name: str, subfolder: str, filename: str) -> str:
    """A name for a file that belongs with ``photo_name`` (its thumbnail): in the same storage
    and folder, under ``subfolder``."""
    return f"{posixpath.dirname(photo_name)}/{subfolder}/{filename}"


def private_file_url(private_name: str) -> str:
    """The address of the view that checks the right to a private file and sends on to it
    (``private_name`` is its name in the private storage, without ``private/``)."""
    return reverse(PRIVATE_FILE_URL_NAME, kwargs={"name": private_name})


@deconstructible(path="workstations.files.RoutedStorage")
class RoutedStorage(Storage):
    """Names under ``private/`` in ``storages["private"]``, all others in ``storages["default"]``.

    The two storages are looked up on every call, never kept, so a change of ``STORAGES`` (the
    tests' ``override_settings``) is seen at once.
    """

    def route(self, name: str) -> tuple[Storage, str]:
        """The storage that holds ``name`` and the file's name in it."""
        if is_private(name):
            return storages["private"], name[len(PRIVATE_PREFIX) :]
        return storages["default"], name

    def save(self, name, content, max_length=None):
        if name is None:
            name = content.name
        private = is_private(name)
        backend, inner = self.route(name)
        if max_length is not None and private:
            max_length -= len(PRIVATE_PREFIX)
        saved = backend.save(inner, content, max_length=max_length)
        return PRIVATE_PREFIX + saved if private else saved

    def _open(self, name, mode="rb"):
        backend, inner = self.route(name)
        return backend.open(inner, mode)

    def delete(self, name):
        backend, inner = self.route(name)
        backend.delete(inner)

    def exists(self, name):
        backend, inner = self.route(name)
        return backend.exists(inner)

    def size(self, name):
        backend, inner = self.route(name)
        return backend.size(inner)

    def path(self, name):
        backend, inner = self.route(name)
        return backend.path(inner)

    def listdir(self, path):
        backend, inner = self.route(path)
        return backend.listdir(inner)

    def get_modified_time(self, name):
        backend, inner = self.route(name)
        return backend.get_modified_time(inner)

    def get_created_time(self, name):
        backend, inner = self.route(name)
        return backend.get_created_time(inner)

    def get_accessed_time(self, name):
        backend, inner = self.route(name)
        return backend.get_accessed_time(inner)

    def url(self, name):
        """A public file's public address; for a private one, the address of the view that
        checks the right to it (``config.files``): never the private storage's own."""
        if is_private(name):
            return private_file_url(name[len(PRIVATE_PREFIX) :])
        return storages["default"].url(name)


routed_storage = RoutedStorage()


# --- Moving files between the two storages ------------------------------------------------------


@dataclass
class Placed:
    """What placing files did: how many went to the public storage, how many to the private
    one, how many were missing (left as they were) and how many were already in place."""

    to_public: int = 0
    to_private: int = 0
    missing: int = 0
    in_place: int = 0

    def __iadd__(self, other: Placed) -> Placed:
        self.to_public += other.to_public
        self.to_private += other.to_private
        self.missing += other.missing
        self.in_place += other.in_place
        return self

    @property
    def moved(self) -> int:
        return self.to_public + self.to_private


def _copy(name: str, *, private: bool, placed: Placed) -> tuple[str, bool]:
    """Copy the file ``name`` into the private or the public storage: (the name the row must
    now store, whether a new copy was written). ``name`` itself when the file is already in
    place, or missing (counted; left as it is). A copy that an earlier, interrupted placement
    left under the new name is taken as it is."""
    if is_private(name) == private:
        placed.in_place += 1
        return name, False
    target = placed_name(name, private=private)
    if not routed_storage.exists(name):
        if not routed_storage.exists(target):
            placed.missing += 1
            return name, False
        saved, copied = target, False
    else:
        with routed_storage.open(name, "rb") as source:
            saved, copied = routed_storage.save(target, source), True
    if private:
        placed.to_private += 1
    else:
        placed.to_public += 1
    return saved, copied


def file_move(instance, fields: Iterable[str], *, private: bool) -> Placed:
    """Place the files of ``fields`` of one row in the private or the public storage.

    Each file is copied under its new name, the row saved with the new names, and the old
    copies deleted once the transaction commits. When a copy or the save fails, the copies
    already made are deleted, the row keeps its old names (whose files are all still there)
    and the error is raised: nothing is half-moved. Should an outer transaction roll back
    after this, the new copies are left unused, never the row without its files.
    """
    placed = Placed()
    before = {name: getattr(instance, name).name or "" for name in fields}
    after, copies = {}, []
    try:
        for name, stored in before.items():
            if not stored:
                continue
            new, copied = _copy(stored, private=private, placed=placed)
            if copied:
                copies.append(new)
            if new != stored:
                after[name] = new
        for name, new in after.items():
            getattr(instance, name).name = new
        if after:
            with transaction.atomic():
                instance.save(update_fields=list(after))
    except BaseException:
        for name in after:
            getattr(instance, name).name = before[name]
        for copy in copies:
            routed_storage.delete(copy)
        raise
    old = [before[name] for name in after]
    if old:
        transaction.on_commit(lambda: [routed_storage.delete(name) for name in old])
    return placed


def in_batches(queryset, size: int = 200):
    """Rows of ``queryset`` by primary key, a batch at a time (rows change as they are placed,
    so the query is asked afresh from the last key rather than iterated)."""
    last = 0
    while batch := list(queryset.filter(pk__gt=last).order_by("pk")[:size]):
        yield from batch
        last = batch[-1].pk


def rows_place(queryset, fields: list[str], *, private: bool) -> Placed:
    """Place the files of ``fields`` of every row of ``queryset`` (``file_move``, a row at a
    time, each its own transaction): for the files whose rule never changes, put where they
    belong by ``manage.py place_files``."""
    placed = Placed()
    for row in in_batches(queryset):
        with transaction.atomic():
            placed += file_move(row, fields, private=private)
    return placed


# --- Standards evidence: staff only -------------------------------------------------------------


def evidence_name(instance, filename: str) -> str:
    """A standard check's evidence photo: seen by the office only, so always private."""
    return dated_name("standards/%Y/", filename, private=True)


# --- Pending import sheets ----------------------------------------------------------------------

# Where django-import-export keeps the sheet of a preview until it is confirmed (MediaStorage).
IMPORT_FOLDER = "django-import-export"


def import_sheets_place() -> Placed:
    """Move pending import sheets (ID numbers, mobiles) that an earlier version kept in the
    public storage into ``storages["import_export"]`` (the private one); a preview waiting on
    them still finds them there. Nothing to do when there is no such storage."""
    placed = Placed()
    if "import_export" not in storages.backends:
        return placed
    public, private = storages["default"], storages["import_export"]
    try:
        _folders, names = public.listdir(IMPORT_FOLDER)
    except FileNotFoundError:
        return placed
    for name in names:
        path = f"{IMPORT_FOLDER}/{name}"
        if not private.exists(path):
            with public.open(path, "rb") as source:
                private.save(path, source)
        public.delete(path)
        placed.to_private += 1
    return placed


def evidence_readable_by(user, stored_name: str) -> bool:
    """Whether ``user`` may fetch a standards evidence photo: the office of the workstation's
    county or of a committee above it."""
    from .models import StandardCheck  # this module is imported by the models

    check = StandardCheck.objects.filter(evidence=stored_name).select_related("workstation").first()
    if check is None:
        return False
    ids = visible_committee_ids(user)
    return ids is None or check.workstation.committee_id in ids
