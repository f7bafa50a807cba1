"""Private files: who may fetch one, and the address that fetches it.

Files in ``storages["private"]`` (draft activities' photos, photos waiting for their form,
consultation attachments, standards evidence, exports; see ``workstations.files``) have no
public address. A page links ``private_url(name)``, this module's view: it asks the rule
registered for the name's prefix whether the signed-in user may have the file, answers 404 when
not (the same as for a file that does not exist, so that nothing is learnt by trying names),
and otherwise redirects (302) to a short-lived signed address of the file: on S3 the private
bucket's presigned URL, on local storage an address of this site signed with Django's
``TimestampSigner`` that streams the file. Neither answer may be cached by anyone.

The API other modules use, kept stable:

``private_rule(prefix)``
    A decorator that registers ``rule(user, name) -> bool`` for the private files whose names
    (in ``storages["private"]``, e.g. ``exports/2025/ledger.xlsx``) start with ``prefix``
    (e.g. ``"exports/"``). ``user`` may be anonymous. The longest registered prefix that
    matches decides; a name no rule covers is a 404 for everyone. Superusers pass every rule.
    Register at import time of a module loaded at start (this one, or an ``AppConfig.ready``).

``private_url(name) -> str``
    The address of the view for the private file ``name`` (``/files/<name>``). A file field
    stored through ``workstations.files.RoutedStorage`` gives the same address as its ``.url``.

``PrivateFileSystemStorage``
    The local private storage (``PRIVATE_ROOT``): its ``url(name)`` is the signed streaming
    address, valid ``SIGNED_SECONDS``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable

from django.core import signing
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.deconstruct import deconstructible
from django.views.decorators.http import require_GET

from consultations import files as consultation_files
from workstations import files as workstation_files
from workstations.files import PRIVATE_FILE_URL_NAME, PRIVATE_PREFIX

Rule = Callable[[object, str], bool]

_RULES: dict[str, Rule] = {}
SIGNED_URL_NAME = "private_file_signed"
# The signed address is followed at once by the browser that was redirected to it.
SIGNED_SECONDS = 60
_SIGNER_SALT = "config.files"


def private_rule(prefix: str) -> Callable[[Rule], Rule]:
    """Register ``rule(user, name) -> bool`` for private file names under ``prefix``."""
    if not prefix or prefix.startswith("/") or prefix.startswith("signed/"):
        raise ValueError(f"not a prefix of private file names: {prefix!r}")

    def register(rule: Rule) -> Rule:
        _RULES[prefix] = rule
        return rule

    return register


def private_url(name: str) -> str:
    """The address of the view that checks the right to the private file ``name``."""
    return reverse(PRIVATE_FILE_URL_NAME, kwargs={"name": name})


def rule_for(name: str) -> Rule | None:
    """The rule of the longest registered prefix of ``name``, or None."""
    matching = [prefix for prefix in _RULES if name.startswith(prefix)]
    return _RULES[max(matching, key=len)] if matching else None


def may_fetch(user, name: str) -> bool:
    """Whether ``user`` may fetch the private file ``name`` (the view's question)."""
    rule = rule_for(name)
    if rule is None:
        return False
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return bool(rule(user, name))


def _never_stored(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True, max_age=0)
    return response


def _clean(name: str) -> str:
    """``name`` as stored, or 404 for one that could not be (absolute, with ``..``)."""
    normal = posixpath.normpath(name)
    if name.startswith("/") or normal != name or normal.startswith(".."):
        raise Http404
    return name


@require_GET
def private_file(request: HttpRequest, name: str) -> HttpResponse:
    """``/files/<name>``: 302 to a short-lived signed address of the private file ``name`` for
    a user its rule lets have it; 404 for everyone else, as for a file that does not exist."""
    name = _clean(name)
    if not may_fetch(request.user, name):
        raise Http404
    storage = storages["private"]
    # The rules find the file's record; a superuser passes without one, so ask the storage.
    if getattr(request.user, "is_superuser", False) and not storage.exists(name):
        raise Http404
    return _never_stored(HttpResponseRedirect(storage.url(name)))


@require_GET
def signed_file(request: HttpRequest, token: str) -> HttpResponse:
    """The file behind a signed address that ``PrivateFileSystemStorage.url`` made, streamed
    while the signature is fresh; 404 once it is stale or when it was never ours."""
    try:
        name = signing.TimestampSigner(salt=_SIGNER_SALT).unsign_object(
            token, max_age=SIGNED_SECONDS
        )
    except signing.BadSignature:
        raise Http404 from None
    try:
        handle = storages["private"].open(_clean(name), "rb")
    except (FileNotFoundError, SuspiciousFileOperation):
        raise Http404 from None
    return _never_stored(FileResponse(handle, filename=posixpath.basename(name)))


@deconstructible(path="config.files.PrivateFileSystemStorage")
class PrivateFileSystemStorage(FileSystemStorage):
    """Private files in a local folder served at no address of its own (``PRIVATE_ROOT``):
    ``url(name)`` is a signed address of ``signed_file``, valid ``SIGNED_SECONDS``, which only
    ``private_file`` hands out after the user's right was checked."""

    def url(self, name: str) -> str:
        token = signing.TimestampSigner(salt=_SIGNER_SALT).sign_object(name)
        return reverse(SIGNED_URL_NAME, kwargs={"token": token})


# --- The rules of the files the domain keeps private -------------------------------------------


@private_rule("activities/")
def _activity_photos(user, name: str) -> bool:
    return consultation_files.photo_readable_by(user, PRIVATE_PREFIX + name)


@private_rule("consultations/")
def _step_attachments(user, name: str) -> bool:
    return consultation_files.attachment_readable_by(user, PRIVATE_PREFIX + name)


@private_rule("standards/")
def _standards_evidence(user, name: str) -> bool:
    return workstation_files.evidence_readable_by(user, PRIVATE_PREFIX + name)


# Pending import sheets (``django-import-export/``) have no rule: the server alone reads them.
