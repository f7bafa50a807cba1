"""Helpers of the workstation register's import that are about workstations themselves."""

from __future__ import annotations

from django.utils.text import slugify
from pypinyin import lazy_pinyin

SLUG_MAX_LENGTH = 60


def workstation_slug(name: str, taken: set[str]) -> str:
    """A web address for a workstation from the pinyin of its name, not yet in ``taken``.

    ``taken`` holds the committee's slugs in use; the new one is added to it.
    """
    base = slugify("".join(lazy_pinyin(name)))[: SLUG_MAX_LENGTH - 4].strip("-") or "workstation"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug
