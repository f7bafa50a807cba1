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

from django.db.models import Count, DateField, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from workstations.tallies import TallyRow, month_of, tallies_replace

from .models import Activity, ConsultationStep, PublicMessage

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


# What each kind of record changes: a write counts again only its own group's keys.
GROUPS = {
    "activities": ("activities", "residents"),
    "consultations": ("consultations",),
    "messages": ("messages", "rated", "rated_good"),
}


def _first_meetings(ids: list[int], months) -> list[TallyRow]:
    """Consultations, each in the month of its first meeting: one aggregate per consultation,
    grouped by month here (a few hundred rows a county)."""
    firsts = (
        ConsultationStep.objects.in_committees(ids)
        .meetings()
        .values(
            "consultation_id",
            "consultation__is_published",
            "consultation__workstation_id",
            "consultation__workstation__committee_id",
        )
        .annotate(first=Min("date"))
        .order_by()
    )
    wanted = None if months is None else set(months)
    grouped: dict[tuple, list[int]] = {}
    for f in firsts:
        month = month_of(f["first"])
        if wanted is not None and month not in wanted:
            continue
        key = (
            f["consultation__workstation__committee_id"],
            f["consultation__workstation_id"],
            month,
        )
        counted = grouped.setdefault(key, [0, 0])
        counted[0] += 1
        counted[1] += bool(f["consultation__is_published"])
    return [
        TallyRow(committee, ws, month, "consultations", n, published)
        for (committee, ws, month), (n, published) in grouped.items()
    ]


def tally_rows(committee_ids: Iterable[int], months=None, groups=None) -> list[TallyRow]:
    """The counts of ``KEYS`` (of ``groups`` only, if given) per workstation and month, from
    the records (aggregate queries)."""
    ids = list(committee_ids)
    months = None if months is None else sorted({month_of(m) for m in months})
    groups = set(GROUPS) if groups is None else set(groups)
    shown = ~Q(status=PublicMessage.Status.HIDDEN)
    good = Q(rating__gte=4)
    rows: list[TallyRow] = []
    if "activities" in groups:
        rows += _grouped(
            Activity.objects.in_committees(ids).approved().filter(in_months("date", months)),
            month="date",
            workstation="workstation",
            keys={
                "activities": (Count("pk"), Count("pk")),
                "residents": (Sum("residents_served"), Sum("residents_served")),
            },
        )
    if "consultations" in groups:
        rows += _first_meetings(ids, months)
    if "messages" in groups:
        rows += _grouped(
            PublicMessage.objects.in_committees(ids).filter(
                in_months("created_at", months, time=True)
            ),
            month="created_at",
            workstation="workstation",
            keys={"messages": (Count("pk"), Count("pk", filter=shown))},
        )
        rows += _grouped(
            PublicMessage.objects.in_committees(ids)
            .rated()
            .filter(in_months("rated_at", months, time=True)),
            month="rated_at",
            workstation="workstation",
            keys={
                "rated": (Count("pk"), Count("pk", filter=shown)),
                "rated_good": (Count("pk", filter=good), Count("pk", filter=good & shown)),
            },
        )
    return rows


def tallies_refresh(*, committee_ids: Iterable[int], months=None, groups=None) -> None:
    """Count this app's keys (of ``groups`` only, if given) again for these committees and
    months (None: every month), in the caller's transaction."""
    ids = list(committee_ids)
    groups = list(GROUPS) if groups is None else list(groups)
    keys = [key for group in groups for key in GROUPS[group]]
    tallies_replace(
        committee_ids=ids, months=months, keys=keys, rows=tally_rows(ids, months, groups)
    )


def refresh_months(days: Iterable[tuple]) -> None:
    """Count again the months of these (committee id, day, group) triples, a committee and a
    group at a time (a pair without its group counts every group again)."""
    scope: dict[tuple, set] = {}
    for committee_id, day, *group in days:
        if committee_id and day:
            for name in group or GROUPS:
                scope.setdefault((committee_id, name), set()).add(month_of(day))
    for (committee_id, group), months in scope.items():
        tallies_refresh(committee_ids=[committee_id], months=months, groups=[group])


def scope_of(objects: Iterable) -> set[tuple]:
    """The (committee id, day, group) triples whose months these activities, steps,
    consultations or messages are counted in (read them before a change or a deletion, and
    after)."""
    days = set()
    for obj in objects:
        if obj is None:
            continue
        if isinstance(obj, Activity):
            days.add((obj.workstation.committee_id, obj.date, "activities"))
        elif isinstance(obj, ConsultationStep):
            # A new first meeting moves the consultation from the month of the old one.
            consultation = obj.consultation
            committee_id = consultation.workstation.committee_id
            days.add((committee_id, obj.date, "consultations"))
            days |= {
                (committee_id, day, "consultations")
                for day in consultation.steps.meetings().values_list("date", flat=True)
            }
        elif isinstance(obj, PublicMessage):
            committee_id = obj.workstation.committee_id
            days |= {
                (committee_id, obj.created_at, "messages"),
                (committee_id, obj.rated_at, "messages"),
            }
        elif hasattr(obj, "steps") and obj.pk:  # a consultation: every month it met
            committee_id = obj.workstation.committee_id
            days |= {
                (committee_id, day, "consultations")
                for day in obj.steps.meetings().values_list("date", flat=True)
            }
    return {(c, d, g) for c, d, g in days if c and d}


def refresh_for(objects: Iterable) -> None:
    """Count again the months these objects are counted in."""
    refresh_months(scope_of(objects))
