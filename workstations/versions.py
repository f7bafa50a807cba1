"""A version per committee, in the shared cache, bumped whenever something it shows changes.

Cached public pages and cached figures are stored under the versions of their committee and of
the committees above it (a province's page rolls up its counties), so a bump makes every stale
copy unreachable at once: no resident sees a page from before staff published. The services
bump after their transaction commits (a reader who started earlier stores its copy under the
old version, which nobody asks for any more). A cache that forgets a version simply starts it
again, which only costs a recomputation.
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from django.core.cache import cache
from django.db import transaction

PREFIX = "committee-version"
CHANGED = "committee-changed"
# Bumped with every committee: the list of brands on the home page.
SITE = 0


def _key(committee_id: int) -> str:
    return f"{PREFIX}:{committee_id}"


def versions(committee_ids: Iterable[int]) -> dict[int, int]:
    """The current version of each committee (1 for one never bumped), in one cache call."""
    ids = list(committee_ids)
    found = cache.get_many([_key(i) for i in ids])
    return {i: found.get(_key(i), 1) for i in ids}


def changed_within(committee_ids: Iterable[int], seconds: float) -> bool:
    """Whether any of these committees changed in the last ``seconds`` (a read replica may not
    have the change yet)."""
    since = time.time() - seconds
    found = cache.get_many([f"{CHANGED}:{i}" for i in committee_ids])
    return any(at > since for at in found.values())


def _bump_now(committee_ids: Iterable[int]) -> None:
    ids = {*committee_ids, SITE}
    now = time.time()
    cache.set_many({f"{CHANGED}:{i}": now for i in ids}, timeout=60 * 60)
    for committee_id in ids:
        key = _key(committee_id)
        if not cache.add(key, 2, timeout=None):
            try:
                cache.incr(key)
            except ValueError:  # evicted between add and incr
                cache.set(key, 2, timeout=None)


def bump(committee_ids: Iterable[int], *, with_ancestors: bool = True) -> None:
    """Bump the versions of these committees (and, by default, of the committees above them)
    now and once more when the current transaction commits: a reader who read the old records
    meanwhile stored its copy under the version in between, which nobody asks for after the
    commit."""
    ids = set(committee_ids)
    if with_ancestors and ids:
        from .models import Committee

        parents = set(
            Committee.objects.filter(pk__in=ids).values_list("parent_id", "parent__parent_id")
        )
        ids |= {i for pair in parents for i in pair if i}
    _bump_now(ids)
    transaction.on_commit(lambda: _bump_now(ids))
