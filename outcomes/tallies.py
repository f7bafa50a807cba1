"""What this app counts in the figures' summary (``workstations.tallies``), per workstation (or
the committee itself, for an outcome that names no workstation) and month, and the function
every write that changes it calls (``tallies_refresh``).

- ``outcomes``: submitted outcomes, by the day they were submitted;
- ``transformed``: those of them put into effect or that solved their problem (at any date);
- ``endorsements``: leaders' endorsements, by their date;
- ``solved``: "problem solved" entries of the trails, by their date.
Published: those of published outcomes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, DateField, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth

from consultations.tallies import in_months
from workstations.tallies import TallyRow, month_of, tallies_replace

from .models import Endorsement, Outcome, OutcomeEvent

KEYS = ("outcomes", "transformed", "endorsements", "solved")
PUBLISHED = Q(is_published=True) & ~Q(status=Outcome.Status.DRAFT)


def _grouped(queryset, *, month: str, outcome: str, keys: dict) -> list[TallyRow]:
    prefix = f"{outcome}__" if outcome else ""
    aggregates = {}
    for key, (value, published) in keys.items():
        aggregates[f"{key}__v"], aggregates[f"{key}__p"] = value, published
    grouped = (
        queryset.annotate(m=TruncMonth(month, output_field=DateField()))
        .values(f"{prefix}committee_id", f"{prefix}workstation_id", "m")
        .annotate(**aggregates)
        .order_by()
    )
    return [
        TallyRow(
            g[f"{prefix}committee_id"],
            g[f"{prefix}workstation_id"],
            g["m"],
            key,
            g[f"{key}__v"] or 0,
            g[f"{key}__p"] or 0,
        )  # fmt: skip
        for g in grouped
        for key in keys
    ]


def tally_rows(committee_ids: Iterable[int], months=None) -> list[TallyRow]:
    """The counts of ``KEYS`` per workstation and month, from the records (aggregate queries)."""
    ids = list(committee_ids)
    months = None if months is None else sorted({month_of(m) for m in months})
    transformed = Exists(
        OutcomeEvent.objects.filter(
            outcome=OuterRef("pk"),
            kind__in=[OutcomeEvent.Kind.IMPLEMENTED, OutcomeEvent.Kind.SOLVED],
        )
    )
    on_published = Q(outcome__is_published=True) & ~Q(outcome__status=Outcome.Status.DRAFT)
    return [
        *_grouped(
            Outcome.objects.in_committees(ids)
            .filter(status=Outcome.Status.SUBMITTED)
            .filter(in_months("submitted_on", months))
            .annotate(transformed=transformed),
            month="submitted_on",
            outcome="",
            keys={
                "outcomes": (Count("pk"), Count("pk", filter=PUBLISHED)),
                "transformed": (
                    Count("pk", filter=Q(transformed=True)),
                    Count("pk", filter=Q(transformed=True) & PUBLISHED),
                ),
            },
        ),
        *_grouped(
            Endorsement.objects.in_committees(ids).filter(in_months("date", months)),
            month="date",
            outcome="outcome",
            keys={"endorsements": (Count("pk"), Count("pk", filter=on_published))},
        ),
        *_grouped(
            OutcomeEvent.objects.in_committees(ids)
            .filter(kind=OutcomeEvent.Kind.SOLVED)
            .filter(in_months("date", months)),
            month="date",
            outcome="outcome",
            keys={"solved": (Count("pk"), Count("pk", filter=on_published))},
        ),
    ]


def tallies_refresh(*, committee_ids: Iterable[int], months=None) -> None:
    """Count this app's keys again for these committees and months (None: every month), in
    the caller's transaction."""
    ids = list(committee_ids)
    tallies_replace(committee_ids=ids, months=months, keys=KEYS, rows=tally_rows(ids, months))


def scope_of(objects: Iterable) -> set[tuple[int, datetime.date]]:
    """The (committee id, day) pairs whose months these outcomes, trail entries or endorsements
    are counted in: an outcome's submission and the dates of its trail (read them before a
    change or a deletion, and after)."""
    days = set()
    for obj in objects:
        if obj is None:
            continue
        if isinstance(obj, Outcome):
            days.add((obj.committee_id, obj.submitted_on))
            if obj.pk:
                trail = [
                    *obj.events.values_list("date", flat=True),
                    *obj.endorsements.values_list("date", flat=True),
                ]
                days |= {(obj.committee_id, day) for day in trail}
        elif isinstance(obj, OutcomeEvent | Endorsement):
            outcome = obj.outcome
            # An entry "put into effect" changes the month its outcome was submitted in, too.
            days |= {(outcome.committee_id, obj.date), (outcome.committee_id, outcome.submitted_on)}
    return {(c, d) for c, d in days if c and d}


def refresh_months(days: Iterable[tuple[int, datetime.date]]) -> None:
    """Count again the months of these (committee id, day) pairs, a committee at a time."""
    scope: dict[int, set] = {}
    for committee_id, day in days:
        scope.setdefault(committee_id, set()).add(month_of(day))
    for committee_id, months in scope.items():
        tallies_refresh(committee_ids=[committee_id], months=months)


def refresh_for(objects: Iterable) -> None:
    """Count again the months these objects are counted in."""
    refresh_months(scope_of(objects))
