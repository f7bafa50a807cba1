"""The summary of every reported count per county and month (``Tally``, ``CountyTally``).

The apps above count their own records (``consultations.tallies``, ``outcomes.tallies``) and
hand the counts per workstation and month to ``tallies_replace``, in the transaction of the
write that changed them; this module stores them and sums each county's month into
``CountyTally``, applying whether each workstation is published — which is why publishing a
workstation only needs ``county_tallies_refresh``, no recount. ``outcomes.counts`` reads it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, Sum

from . import versions
from .models import Committee, CountyTally, Tally


def month_of(day: datetime.date | datetime.datetime) -> datetime.date:
    """The first day of the month ``day`` is in (a time counts in Beijing's calendar)."""
    if isinstance(day, datetime.datetime):
        from django.utils import timezone

        day = timezone.localdate(day)
    return day.replace(day=1)


@dataclass(frozen=True)
class TallyRow:
    committee_id: int
    workstation_id: int | None
    month: datetime.date
    key: str
    value: int
    published_value: int


def _lock(committee_ids: Iterable[int]) -> list[int]:
    """Serialise the refreshes of a county: two writers of one county-month take turns."""
    ids = sorted(set(committee_ids))
    list(Committee.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    return ids


def _scope(committee_ids, months, keys=None) -> Q:
    q = Q(committee_id__in=list(committee_ids))
    if months is not None:
        q &= Q(month__in=list(months))
    if keys is not None:
        q &= Q(key__in=list(keys))
    return q


@transaction.atomic
def tallies_replace(
    *,
    committee_ids: Iterable[int],
    months: Iterable[datetime.date] | None,
    keys: Sequence[str],
    rows: Iterable[TallyRow],
) -> None:
    """Replace the counts of ``keys`` for these committees and months (None: every month) by
    ``rows``, then sum the counties' months again. Rows of zero are not stored."""
    ids = _lock(committee_ids)
    months = None if months is None else {month_of(m) for m in months}
    Tally.objects.filter(_scope(ids, months, keys)).delete()
    Tally.objects.bulk_create(
        [
            Tally(
                committee_id=r.committee_id,
                workstation_id=r.workstation_id,
                month=r.month,
                key=r.key,
                value=r.value,
                published_value=r.published_value,
            )
            for r in rows
            if r.value or r.published_value
        ],
        batch_size=2000,
    )
    _sum_counties(ids, months)


@transaction.atomic
def county_tallies_refresh(
    *, committee_ids: Iterable[int], months: Iterable[datetime.date] | None = None
) -> None:
    """Sum the counties' ``Tally`` rows again (after a workstation was published or not)."""
    ids = _lock(committee_ids)
    _sum_counties(ids, None if months is None else {month_of(m) for m in months})


def _sum_counties(committee_ids: list[int], months: set[datetime.date] | None) -> None:
    shown = Q(workstation__isnull=True) | Q(workstation__is_published=True)
    CountyTally.objects.filter(_scope(committee_ids, months)).delete()
    sums = (
        Tally.objects.filter(_scope(committee_ids, months))
        .values("committee_id", "month", "key")
        .annotate(v=Sum("value"), p=Sum("published_value", filter=shown))
        .order_by()
    )
    CountyTally.objects.bulk_create(
        [
            CountyTally(
                committee_id=s["committee_id"],
                month=s["month"],
                key=s["key"],
                value=s["v"] or 0,
                public_value=s["p"] or 0,
            )
            for s in sums
        ],
        batch_size=2000,
    )
    versions.bump(committee_ids)
