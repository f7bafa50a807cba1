"""Reads about outcomes that the public pages and the figures share."""

from __future__ import annotations

from django.db.models import Q

from .models import Outcome, OutcomeQuerySet


def public_outcomes() -> OutcomeQuerySet:
    """Published outcomes that name no unpublished workstation.

    ``Outcome.objects.published()`` does not look at the workstation; an outcome of a
    workstation that is not (or no longer) published stays off the public pages, so that the
    workstation's name never appears there.
    """
    return Outcome.objects.published().filter(
        Q(workstation__isnull=True) | Q(workstation__is_published=True)
    )
