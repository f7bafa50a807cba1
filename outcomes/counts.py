"""The counting layer: every figure a page, a workbook or a command reports is counted here.

Counts of records come from the summary (``workstations.CountyTally``), written by the services
in the same transaction as the records, so a city or a province adds up its counties' rows and
never rescans the records (``fresh_counts`` counts the records themselves, for
``check_figures`` and the tests). What each key counts is said by the apps that write it
(``consultations.tallies``, ``outcomes.tallies``) and, for people, in ``FIGURES``.

Counts of distinct people (members who sit in a workstation; who took part in an activity) are
exact: they are computed for each committee with one index-friendly aggregate query and kept in
the cache under the committee's version (``workstations.versions``, bumped by every write that
changes them); a city or a province adds up its counties, as a member belongs to one committee.

``public=True`` counts what the public may see (published records of published workstations);
``public=False`` everything on the register. The two differ on purpose, and the labels say so.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from consultations import tallies as consultation_tallies
from consultations.models import Activity, ConsultationStep
from members.models import Membership
from workstations import versions
from workstations.models import Committee, CountyTally, Tally, Workstation
from workstations.tallies import month_of
from workstations.tenancy import subtree_ids

from . import tallies as outcome_tallies
from .models import Outcome

Period = tuple[datetime.date, datetime.date]
KEYS = (*consultation_tallies.KEYS, *outcome_tallies.KEYS)
# How long a cached count of people is kept (its version changes with every write anyway).
PEOPLE_CACHE_SECONDS = 24 * 60 * 60


@dataclass(frozen=True)
class Rate:
    """A share: ``numerator`` of ``denominator``; ``percent`` is None while there is no data."""

    numerator: int
    denominator: int

    @property
    def percent(self) -> int | None:
        if not self.denominator:
            return None
        return round(100 * self.numerator / self.denominator)

    @property
    def exact_percent(self) -> float | None:
        if not self.denominator:
            return None
        return round(100 * self.numerator / self.denominator, 1)


def year_bounds(year: int) -> Period:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    month, months = month_of(start), []
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _ids(committee: Committee | Iterable[int]) -> list[int]:
    return subtree_ids(committee) if isinstance(committee, Committee) else list(committee)


def kept(committee: Committee, name: str, compute):
    """``compute(versions of the subtree)``, kept in the cache under the committee's version
    (a write that changes what it counts bumps its committee's version and those of the
    committees above it) and for the day (who sits is judged today): a page of a province's
    figures is counted once per change, not per view, and a view reads one version, not
    those of three hundred counties.
    """
    version = versions.versions([committee.pk])[committee.pk]
    key = f"figures:{name}:{committee.pk}:{timezone.localdate()}:{version}"
    value = cache.get(key)
    if value is None:
        value = compute(versions.versions(subtree_ids(committee)))
        cache.set(key, value, PEOPLE_CACHE_SECONDS)
    return value


# --- Counts of records, from the summary -----------------------------------------------------


def _months_of(
    ids: list[int], year: int, public: bool, current=None
) -> dict[int, dict[str, list[int]]]:
    """{committee id: {key: its twelve months of ``year``}} from the summary, each committee's
    kept in the cache under its version (a write to its summary bumps it): a province's page
    reads its counties' months in two cache calls, and counts again only the county that
    changed. 1 query for those missing."""
    field = "public_value" if public else "value"
    start, end = year_bounds(year)

    def compute(missing: list[int]) -> dict[int, dict[str, list[int]]]:
        found: dict[int, dict[str, list[int]]] = {i: {} for i in missing}
        rows = (
            CountyTally.objects.filter(committee_id__in=missing, month__gte=start, month__lte=end)
            .values_list("committee_id", "key", "month", field)
            .order_by()
        )
        for committee_id, key, month, value in rows:
            found[committee_id].setdefault(key, [0] * 12)[month.month - 1] += value or 0
        return found

    return _per_committee("months", ids, f"{year}:{public}", compute, current)


def _totals(
    ids: list[int], period: Period, public: bool, current=None
) -> dict[int, dict[str, int]]:
    """{committee id: {key: total}} over the whole months that begin within ``period``."""
    totals = {i: dict.fromkeys(KEYS, 0) for i in ids}
    for year in range(period[0].year, period[1].year + 1):
        months = [
            m.month - 1
            for m in months_between(max(period[0], datetime.date(year, 1, 1)), period[1])
            if m.year == year and period[0] <= m <= period[1]
        ]
        if not months:
            continue
        for committee_id, keys in _months_of(ids, year, public, current).items():
            for key, values in keys.items():
                totals[committee_id][key] = totals[committee_id].get(key, 0) + sum(
                    values[m] for m in months
                )
    return totals


def sums(committee, period: Period, *, public: bool, current=None) -> dict[str, int]:
    """Every key's total over ``period`` (the whole months that begin in it) for the
    committee's subtree. ``current``: the subtree's versions, if just read."""
    totals = dict.fromkeys(KEYS, 0)
    for keys in _totals(_ids(committee), period, public, current).values():
        for key, value in keys.items():
            totals[key] = totals.get(key, 0) + value
    return totals


def monthly(committee, year: int, *, public: bool, current=None) -> dict[str, list[int]]:
    """Every key as twelve monthly values of ``year``."""
    result = {key: [0] * 12 for key in KEYS}
    for keys in _months_of(_ids(committee), year, public, current).values():
        for key, values in keys.items():
            row = result.setdefault(key, [0] * 12)
            for month, value in enumerate(values):
                row[month] += value
    return result


def by_committee(committee_ids: Iterable[int], period: Period, *, public: bool) -> dict:
    """{committee id: {key: total}} over ``period`` for each of ``committee_ids`` (a county's
    own rows; pass the counties of a city or province)."""
    return _totals(list(committee_ids), period, public)


def _fresh(committee_ids: list[int], months) -> dict[tuple, tuple[int, int]]:
    """{(committee id, month, key): (value, public value)} counted from the records."""
    published = set(
        Workstation.objects.filter(committee_id__in=committee_ids, is_published=True).values_list(
            "pk", flat=True
        )
    )
    fresh: dict[tuple, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for module in (consultation_tallies, outcome_tallies):
        for row in module.tally_rows(committee_ids, months):
            where = (row.committee_id, row.month, row.key)
            value, public = fresh[where]
            shown = row.workstation_id is None or row.workstation_id in published
            fresh[where] = (value + row.value, public + (row.published_value if shown else 0))
    return fresh


def fresh_counts(committee, period: Period, *, public: bool) -> dict[str, int]:
    """The same totals as ``sums``, counted from the records themselves (for ``check_figures``
    and the tests; it rescans, so no page calls it)."""
    totals = dict.fromkeys(KEYS, 0)
    for (_c, _m, key), (value, public_value) in _fresh(
        _ids(committee), months_between(*period)
    ).items():
        totals[key] += public_value if public else value
    return totals


# --- Counts per workstation (the rhythm board, the assessment) ------------------------------


def activities_by_workstation(workstation_ids, period: Period) -> dict[tuple, int]:
    """{(workstation, activity type, month number): approved activities}. 1 aggregate query."""
    rows = (
        Activity.objects.filter(workstation_id__in=list(workstation_ids))
        .approved()
        .in_period(*period)
        .annotate(month=ExtractMonth("date"))
        .values("workstation_id", "type_id", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(r["workstation_id"], r["type_id"], r["month"]): r["n"] for r in rows}


def outcomes_by_workstation(workstation_ids, period: Period) -> dict[tuple, int]:
    """{(workstation, outcome kind, month number): submitted outcomes}. 1 aggregate query."""
    rows = (
        Outcome.objects.filter(workstation_id__in=list(workstation_ids))
        .submitted_in(*period)
        .annotate(month=ExtractMonth("submitted_on"))
        .values("workstation_id", "kind", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(r["workstation_id"], r["kind"], r["month"]): r["n"] for r in rows}


def consultations_met_by_workstation(workstation_ids, period: Period) -> dict[tuple, set]:
    """{(workstation, month number): the consultations that held a meeting that month}; a
    period's count is the size of the union of its months' sets (a consultation that met
    twice counts once). 1 aggregate query."""
    rows = (
        ConsultationStep.objects.filter(consultation__workstation_id__in=list(workstation_ids))
        .meetings()
        .in_period(*period)
        .annotate(month=ExtractMonth("date"))
        .values_list("consultation__workstation_id", "month", "consultation_id")
        .distinct()
        .order_by()
    )
    met: dict[tuple, set] = defaultdict(set)
    for ws_id, month, consultation_id in rows:
        met[ws_id, month].add(consultation_id)
    return met


def workstation_totals(workstation_ids, period: Period) -> dict[str, dict[int, int]]:
    """{key: {workstation: total over the period}} from the summary, every record on the
    register (the staff's counts). 1 query."""
    rows = (
        Tally.objects.filter(
            workstation_id__in=list(workstation_ids),
            month__gte=period[0],
            month__lte=period[1],
        )
        .values("key", "workstation_id")
        .annotate(total=Sum("value"))
        .order_by()
    )
    totals: dict[str, dict[int, int]] = defaultdict(dict)
    for r in rows:
        totals[r["key"]][r["workstation_id"]] = r["total"] or 0
    return totals


# --- Counts of people, exact, per committee --------------------------------------------------


def _sitting_on(end: datetime.date) -> datetime.date:
    """The day on which "sits in a workstation" is judged: today, or the period's last day."""
    return min(timezone.localdate(), end)


def _per_committee(name: str, ids: list[int], extra: str, compute, current=None) -> dict:
    """Per-committee values from the cache, computing the missing ones in one query.
    ``current``: the committees' versions, when the caller has just read them."""
    current = current or versions.versions(ids)
    keys = {i: f"figures:{name}:{i}:{current[i]}:{extra}" for i in ids}
    found = cache.get_many(list(keys.values()))
    values = {i: found[k] for i, k in keys.items() if k in found}
    missing = [i for i in ids if i not in values]
    if missing:
        computed = compute(missing)
        fresh = {i: computed.get(i, 0) for i in missing}
        cache.set_many({keys[i]: v for i, v in fresh.items()}, PEOPLE_CACHE_SECONDS)
        values.update(fresh)
    return values


def _sitting(on: datetime.date, public: bool):
    qs = Membership.objects.active(on).filter(member__is_active=True)
    return qs.filter(workstation__is_published=True) if public else qs


def members_sitting(committee, *, on: datetime.date, public: bool, current=None) -> int:
    """Serving members who sit in at least one workstation on ``on``."""

    def compute(ids):
        rows = (
            _sitting(on, public)
            .filter(workstation__committee_id__in=ids)
            .values("workstation__committee_id")
            .annotate(n=Count("member_id", distinct=True))
            .order_by()
        )
        return {r["workstation__committee_id"]: r["n"] for r in rows}

    ids = _ids(committee)
    return sum(_per_committee("sitting", ids, f"{on}:{public}", compute, current).values())


def members_took_part(committee, period: Period, *, public: bool, current=None) -> int:
    """Of the members sitting (judged on the period's last day, or today), those who took part
    in at least one approved activity of the period (of a published workstation, for the
    public)."""
    on = _sitting_on(period[1])

    def compute(ids):
        activities = Activity.objects.approved().in_period(*period)
        if public:
            activities = activities.filter(workstation__is_published=True)
        sitting = _sitting(on, public).filter(workstation__committee_id__in=ids)
        rows = (
            Activity.participants.through.objects.filter(
                activity__in=activities.filter(workstation__committee_id__in=ids),
                member_id__in=sitting.values("member_id"),
            )
            .values("activity__workstation__committee_id")
            .annotate(n=Count("member_id", distinct=True))
            .order_by()
        )
        return {r["activity__workstation__committee_id"]: r["n"] for r in rows}

    ids = _ids(committee)
    extra = f"{period[0]}:{period[1]}:{on}:{public}"
    return sum(_per_committee("took-part", ids, extra, compute, current).values())


# --- The rates -------------------------------------------------------------------------------


def participation(committee, period: Period, *, public: bool, current=None) -> Rate:
    """Members who took part in at least one approved activity of the period, of the members
    who sit in a workstation. ``current``: the subtree's versions, if just read (a page that
    asks for several periods reads them once)."""
    current = current or versions.versions(_ids(committee))
    return Rate(
        members_took_part(committee, period, public=public, current=current),
        members_sitting(committee, on=_sitting_on(period[1]), public=public, current=current),
    )


def transformation(totals: dict[str, int]) -> Rate:
    """Outcomes of the period put into effect or that solved their problem, of all submitted."""
    return Rate(totals["transformed"], totals["outcomes"])


def recognition(totals: dict[str, int]) -> Rate:
    """Messages of the period rated 4 or 5 by their residents, of all rated."""
    return Rate(totals["rated_good"], totals["rated"])


# --- Rebuilding and checking the summary -----------------------------------------------------


def rebuild(committee_ids: Iterable[int], *, year: int | None = None) -> None:
    """Count every key again for each committee (one transaction each: a rebuild interrupted
    half-way leaves the other committees' summary as it was)."""
    months = None if year is None else months_between(*year_bounds(year))
    for committee_id in committee_ids:
        with transaction.atomic():
            consultation_tallies.tallies_refresh(committee_ids=[committee_id], months=months)
            outcome_tallies.tallies_refresh(committee_ids=[committee_id], months=months)


def differences(committee_ids: Iterable[int], *, year: int | None = None) -> list[tuple]:
    """(committee id, month, key, (value, public) in the summary, (value, public) counted
    afresh) wherever the two differ."""
    months = None if year is None else months_between(*year_bounds(year))
    found = []
    for committee_id in committee_ids:
        fresh = _fresh([committee_id], months)
        stored = CountyTally.objects.filter(committee_id=committee_id)
        if months is not None:
            stored = stored.filter(month__in=months)
        summary = {(committee_id, t.month, t.key): (t.value, t.public_value) for t in stored}
        for where in sorted(set(fresh) | set(summary)):
            if fresh.get(where, (0, 0)) != summary.get(where, (0, 0)):
                found.append((*where, summary.get(where, (0, 0)), fresh.get(where, (0, 0))))
    return found
