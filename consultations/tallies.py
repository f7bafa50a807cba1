"""What this app counts in the figures' summary (``workstations.tallies``), per workstation and
month, and the one function every write that changes it calls (``tallies_refresh``).

- ``activities``: approved activities, by their date; ``residents``: residents served on them;
- ``consultations``: consultations that have held their meeting, each once, in the month of
  its first meeting; published: published consultations;
- ``messages``: residents' messages received, by the day they arrived; published: not hidden;
- ``rated`` and ``rated_good``: closed messages rated by their residents, by the day they
  rated, and those rated 4 or 5; published: not hidden.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Count, DateField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from workstations.tallies import TallyRow, month_of, tallies_replace

from .models import Activity, Consultation, ConsultationStep, PublicMessage

KEYS = ("activities", "residents", "consultations", "messages", "rated", "rated_good")


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def in_months(field: str, months, *, time: bool = False) -> Q:
    """Q for ``field`` (a date, or with ``time`` a moment, in Beijing's calendar) within any of
    ``months``; everything when ``months`` is None."""
    if months is None:
        return Q()

    def bound(day: datetime.date):
        if not time:
            return day
        return datetime.datetime.combine(
            day, datetime.time.min, tzinfo=timezone.get_current_timezone()
        )

    q = Q(pk__in=[])
    for month in months:
        q |= Q(**{f"{field}__gte": bound(month), f"{field}__lt": bound(_next_month(month))})
    return q


def _grouped(queryset, *, month, workstation: str, keys: dict) -> list[TallyRow]:
    """Rows of ``keys`` ({key: (count of all, count of the published)}) per workstation and
    month of ``month``, in one aggregate query."""
    committee = f"{workstation}__committee_id"
    aggregates = {}
    for key, (value, published) in keys.items():
        aggregates[f"{key}__v"], aggregates[f"{key}__p"] = value, published
    grouped = (
        queryset.annotate(m=TruncMonth(month, output_field=DateField()))
        .values(committee, f"{workstation}_id", "m")
        .annotate(**aggregates)
        .order_by()
    )
    return [
        TallyRow(
            g[committee],
            g[f"{workstation}_id"],
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
    shown = ~Q(status=PublicMessage.Status.HIDDEN)
    good = Q(rating__gte=4)
    first_meeting = Subquery(
        ConsultationStep.objects.meetings()
        .filter(consultation=OuterRef("pk"))
        .order_by("date")
        .values("date")[:1]
    )
    return [
        *_grouped(
            Activity.objects.in_committees(ids).approved().filter(in_months("date", months)),
            month="date",
            workstation="workstation",
            keys={
                "activities": (Count("pk"), Count("pk")),
                "residents": (Sum("residents_served"), Sum("residents_served")),
            },
        ),
        *_grouped(
            Consultation.objects.in_committees(ids)
            .annotate(first_meeting=first_meeting)
            .filter(first_meeting__isnull=False)
            .filter(in_months("first_meeting", months)),
            month="first_meeting",
            workstation="workstation",
            keys={"consultations": (Count("pk"), Count("pk", filter=Q(is_published=True)))},
        ),
        *_grouped(
            PublicMessage.objects.in_committees(ids).filter(
                in_months("created_at", months, time=True)
            ),
            month="created_at",
            workstation="workstation",
            keys={"messages": (Count("pk"), Count("pk", filter=shown))},
        ),
        *_grouped(
            PublicMessage.objects.in_committees(ids)
            .rated()
            .filter(in_months("rated_at", months, time=True)),
            month="rated_at",
            workstation="workstation",
            keys={
                "rated": (Count("pk"), Count("pk", filter=shown)),
                "rated_good": (Count("pk", filter=good), Count("pk", filter=good & shown)),
            },
        ),
    ]


def tallies_refresh(*, committee_ids: Iterable[int], months=None) -> None:
    """Count this app's keys again for these committees and months (None: every month), in
    the caller's transaction."""
    ids = list(committee_ids)
    tallies_replace(committee_ids=ids, months=months, keys=KEYS, rows=tally_rows(ids, months))


def refresh_months(days: Iterable[tuple[int, datetime.date]]) -> None:
    """Count again the months of these (committee id, day) pairs, a committee at a time."""
    scope: dict[int, set] = {}
    for committee_id, day in days:
        if committee_id and day:
            scope.setdefault(committee_id, set()).add(month_of(day))
    for committee_id, months in scope.items():
        tallies_refresh(committee_ids=[committee_id], months=months)


def scope_of(objects: Iterable) -> set[tuple[int, datetime.date]]:
    """The (committee id, day) pairs whose months these activities, steps, consultations or
    messages are counted in (read them before a change or a deletion, and after)."""
    days = set()
    for obj in objects:
        if obj is None:
            continue
        if isinstance(obj, Activity):
            days.add((obj.workstation.committee_id, obj.date))
        elif isinstance(obj, ConsultationStep):
            # A new first meeting moves the consultation from the month of the old one.
            consultation = obj.consultation
            committee_id = consultation.workstation.committee_id
            days.add((committee_id, obj.date))
            days |= {
                (committee_id, day)
                for day in consultation.steps.meetings().values_list("date", flat=True)
            }
        elif isinstance(obj, PublicMessage):
            committee_id = obj.workstation.committee_id
            days |= {(committee_id, obj.created_at), (committee_id, obj.rated_at)}
        elif hasattr(obj, "steps") and obj.pk:  # a consultation: every month it met
            committee_id = obj.workstation.committee_id
            days |= {(committee_id, day) for day in obj.steps.values_list("date", flat=True)}
    return {(c, d) for c, d in days if c and d}


def refresh_for(objects: Iterable) -> None:
    """Count again the months these objects are counted in."""
    refresh_months(scope_of(objects))
