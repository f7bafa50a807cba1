"""The rhythm: which workstation met which requirement in which period, and who falls behind.

"一月一活动、一季一议事、一年一报告": each committee sets requirements (``Requirement``) for a
period (month, quarter, year). This module computes, for a committee and the committees below
it, every workstation × requirement × period cell of a year:

- ``met``: the count of qualifying records in the period reaches the minimum (even before the
  period is over);
- ``behind``: the period is over and the minimum was not reached;
- ``not_due``: the period is still running (or has not begun) and the minimum is not reached yet;
- ``not_applicable``: the workstation was established after the period ended.

What counts, all by local (Beijing) dates, which is how they are stored:
- activities: approved activities dated in the period (drafts, submitted or returned ones do not
  count), of the requirement's types if it names any;
- consultations: distinct consultations with a meeting step dated in the period;
- outcomes: submitted outcomes dated in the period, of the requirement's kinds if it names any.

A requirement version judges a period when it is in force on the period's last day; a change
after a period has closed starts a new version (see ``requirement_change``), so closed periods
keep their result. The whole board takes a fixed number of queries whatever the amount of data.
"""

from __future__ import annotations

import calendar
import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models import Activity
from members.models import Member, Membership
from workstations import versions
from workstations.models import Committee, Workstation
from workstations.tenancy import subtree_ids

from . import counts
from .models import Requirement

MET = "met"
BEHIND = "behind"
NOT_DUE = "not_due"
NOT_APPLICABLE = "not_applicable"
STATE_LABELS = {
    MET: _("Met"),
    BEHIND: _("Behind"),
    NOT_DUE: _("Not yet due"),
    NOT_APPLICABLE: _("Not applicable"),
}


@dataclass(frozen=True, order=True)
class Period:
    start: datetime.date
    end: datetime.date
    kind: str

    @property
    def months(self) -> range:
        return range(self.start.month, self.end.month + 1)

    @property
    def label(self) -> str:
        if self.kind == Requirement.Period.MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == Requirement.Period.QUARTER:
            return f"{self.start.year} Q{(self.start.month - 1) // 3 + 1}"
        return str(self.start.year)

    def is_closed(self, today: datetime.date) -> bool:
        return self.end < today


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def period_containing(kind: str, day: datetime.date) -> Period:
    """The month, quarter or year that contains ``day``."""
    if kind == Requirement.Period.MONTH:
        first, last = day.month, day.month
    elif kind == Requirement.Period.QUARTER:
        first = (day.month - 1) // 3 * 3 + 1
        last = first + 2
    else:
        first, last = 1, 12
    return Period(datetime.date(day.year, first, 1), _month_end(day.year, last), kind)


def periods_of_year(kind: str, year: int) -> list[Period]:
    step = {Requirement.Period.MONTH: 1, Requirement.Period.QUARTER: 3}.get(kind, 12)
    return [period_containing(kind, datetime.date(year, month, 1)) for month in range(1, 13, step)]


@dataclass
class Cell:
    requirement: Requirement
    workstation: Workstation
    period: Period
    count: int
    state: str

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass
class Board:
    committee: Committee
    year: int
    today: datetime.date
    workstations: list[Workstation]
    requirements: list[Requirement]
    # (requirement id, workstation id, period start) → cell
    cells: dict[tuple[int, int, datetime.date], Cell] = field(default_factory=dict)

    def cell(self, requirement: Requirement, workstation: Workstation, period: Period):
        return self.cells.get((requirement.pk, workstation.pk, period.start))

    def rows(self, requirement: Requirement) -> list[tuple[Workstation, list[Cell | None]]]:
        """For one requirement: each workstation it applies to with its cells, in period order."""
        rows = []
        for ws in self.workstations:
            cells = [self.cell(requirement, ws, p) for p in self.periods(requirement)]
            if any(cells):
                rows.append((ws, cells))
        return rows

    def periods(self, requirement: Requirement) -> list[Period]:
        return periods_of_year(requirement.period, self.year)

    def behind(self, *, period_kind: str | None = None) -> list[Cell]:
        """Cells of closed periods that were not met, most recent period first."""
        cells = [
            c
            for c in self.cells.values()
            if c.state == BEHIND and (period_kind is None or c.period.kind == period_kind)
        ]
        return sorted(cells, key=lambda c: (-c.period.start.toordinal(), c.workstation.name))

    def current(self) -> list[Cell]:
        """Cells of the periods running today."""
        return [c for c in self.cells.values() if c.period.start <= self.today <= c.period.end]


def _applies(requirement: Requirement, workstation: Workstation) -> bool:
    return requirement.committee_id == workstation.committee_id and (
        not requirement.workstation_kinds or workstation.kind in requirement.workstation_kinds
    )


def _in_force_on(requirement: Requirement, day: datetime.date) -> bool:
    return requirement.effective_from <= day and (
        requirement.effective_until is None or requirement.effective_until >= day
    )


def _state(count: int, minimum: int, period: Period, today: datetime.date) -> str:
    if count >= minimum:
        return MET
    return BEHIND if period.is_closed(today) else NOT_DUE


def _aggregates(workstations: list[Workstation], year: int, kinds: set[str]) -> tuple:
    """The three aggregates of a board (approved activities, submitted outcomes, consultations
    met, per workstation and month), from the shared cache under the versions of the
    workstations' committees: whatever changes a count (an approval, a return, an outcome, a
    meeting, a workstation moved) bumps them, so a board never shows an old count, and a
    county's board read again is not counted again."""
    ids = sorted(w.pk for w in workstations)
    current = versions.versions(sorted({w.committee_id for w in workstations}))
    digest = hashlib.sha1(f"{ids}:{sorted(current.items())}".encode()).hexdigest()
    key = f"rhythm-counts:{year}:{''.join(sorted(kinds))}:{digest}"
    found = cache.get(key)
    if found is not None:
        return found
    period = counts.year_bounds(year)
    found = (
        counts.activities_by_workstation(ids, period)
        if Requirement.Counts.ACTIVITY in kinds
        else {},
        counts.outcomes_by_workstation(ids, period) if Requirement.Counts.OUTCOME in kinds else {},
        dict(counts.consultations_met_by_workstation(ids, period))
        if Requirement.Counts.CONSULTATION in kinds
        else {},
    )
    cache.set(key, found, counts.PEOPLE_CACHE_SECONDS)
    return found


class _Counts:
    """Qualifying records of a year, aggregated per workstation and month by the counting
    layer, so that any period's count is a sum (or, for consultations, a union) of months."""

    def __init__(self, workstations: list[Workstation], year: int, kinds: set[str]):
        self.activities, self.outcomes, self.met = _aggregates(workstations, year, kinds)
        self.wanted: dict[int, set] = {}  # requirement → the types or kinds it counts
        self.months: dict[tuple[int, int], list[int]] = {}  # (requirement, workstation) → 12
        # workstation → its (type or kind, month) keys, so that a cell reads only its own.
        self.keys: dict[tuple[str, int], list] = defaultdict(list)
        for name, source in (("activity", self.activities), ("outcome", self.outcomes)):
            for ws_id, what, month in source:
                self.keys[name, ws_id].append((what, month))

    def count(self, requirement: Requirement, ws_id: int, period: Period) -> int:
        months = period.months
        if requirement.counts == Requirement.Counts.CONSULTATION:
            met = set()
            for month in months:
                met |= self.met.get((ws_id, month), set())
            return len(met)
        by_month = self.by_month(requirement, ws_id)
        return sum(by_month[months.start - 1 : months.stop - 1])

    def by_month(self, requirement: Requirement, ws_id: int) -> list[int]:
        """The requirement's qualifying records at a workstation, month by month (made once
        for the requirement's periods to sum)."""
        key = (requirement.pk, ws_id)
        by_month = self.months.get(key)
        if by_month is not None:
            return by_month
        wanted = self.wanted.get(requirement.pk)
        if wanted is None:
            wanted = self.wanted[requirement.pk] = (
                {t.pk for t in requirement.activity_types.all()}
                if requirement.counts == Requirement.Counts.ACTIVITY
                else set(requirement.outcome_kinds)
            )
        if requirement.counts == Requirement.Counts.ACTIVITY:
            name, source = "activity", self.activities
        else:
            name, source = "outcome", self.outcomes
        by_month = self.months[key] = [0] * 12
        for what, month in self.keys.get((name, ws_id), ()):
            if not wanted or what in wanted:
                by_month[month - 1] += source[ws_id, what, month]
        return by_month


def rhythm_board(
    committee: Committee,
    year: int,
    *,
    today: datetime.date | None = None,
    workstations: Iterable[Workstation] | None = None,
) -> Board:
    """Every cell of ``year`` for the workstations of ``committee`` and the committees below.

    ``workstations`` narrows the board (a filtered queryset of the same committee's subtree).
    """
    today = today or timezone.localdate()
    if workstations is None:
        workstations = Workstation.objects.for_committee(committee)
    ws_list = list(
        workstations.select_related("committee", "area__parent", "sector")
        .defer("search_grams", "intro")
        .order_by("committee__name", "kind", "name")
    )
    year_start, year_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    requirements = list(
        Requirement.objects.for_committee(committee)
        .filter(effective_from__lte=year_end)
        .filter(Q(effective_until__isnull=True) | Q(effective_until__gte=year_start))
        .prefetch_related("activity_types")
        .order_by("committee_id", "order", "effective_from", "pk")
    )
    board = Board(committee, year, today, ws_list, requirements)
    counts = _Counts(ws_list, year, {r.counts for r in requirements})
    cells = board.cells
    for requirement in requirements:
        rid, minimum = requirement.pk, requirement.minimum
        periods = [
            (period, period.start, period.end, period.start.month - 1, period.end.month)
            for period in periods_of_year(requirement.period, year)
            if _in_force_on(requirement, period.end)
        ]
        by_months = requirement.counts != Requirement.Counts.CONSULTATION
        for ws in ws_list:
            if not _applies(requirement, ws):
                continue
            ws_id, established_on = ws.id, ws.established_on
            months = counts.by_month(requirement, ws_id) if by_months else None
            for period, start, end, first, last in periods:
                if established_on and established_on > end:
                    state, n = NOT_APPLICABLE, 0
                else:
                    n = (
                        sum(months[first:last])
                        if months is not None
                        else counts.count(requirement, ws_id, period)
                    )
                    state = _state(n, minimum, period, today)
                cells[rid, ws_id, start] = Cell(requirement, ws, period, n, state)
    return board


def members_without_activity(
    committee: Committee,
    *,
    months: int,
    today: datetime.date | None = None,
    limit: int | None = None,
) -> list[Member]:
    """Serving members who sit in a workstation and took part in no approved activity for
    ``months`` months (or ever): those never active first, then the longest idle, by name;
    the first ``limit`` of them if given. Each carries ``last_activity`` (a date or None)."""
    last = _idle(committee, months, today)
    wanted = list(last)[:limit] if limit is not None else list(last)
    members = Member.objects.filter(pk__in=wanted).select_related("sector", "committee")
    by_id = {m.pk: m for m in members}
    for pk in wanted:
        by_id[pk].last_activity = last[pk][0]
    return [by_id[pk] for pk in wanted]


def count_without_activity(
    committee: Committee, *, months: int, today: datetime.date | None = None
) -> int:
    """How many members ``members_without_activity`` lists."""
    return len(_idle(committee, months, today))


def _idle(committee: Committee, months: int, today: datetime.date | None) -> dict:
    """{member id: (last approved activity or None, name)} of the idle members, in order.

    Two bounded queries, neither over a member's whole history of activities: who took part
    in the committee's workstations' approved activities since the cutoff (those are not idle;
    the index on workstation, status and date serves it), and the last approved activity of
    everyone else who sits (which drops, too, anyone active since the cutoff elsewhere). Kept in
    the shared cache under the versions of the committee's subtree (an approval, a return, a
    change of participants, of a membership or of a member bumps them) and for the day."""
    today = today or timezone.localdate()
    month_index = today.year * 12 + today.month - 1 - months
    cutoff = datetime.date(month_index // 12, month_index % 12 + 1, 1)
    cutoff = min(cutoff.replace(day=min(today.day, 28)), today)
    current = sorted(versions.versions(subtree_ids(committee)).items())
    digest = hashlib.sha1(f"{current}".encode()).hexdigest()
    key = f"rhythm-idle:{committee.pk}:{digest}:{today}:{cutoff}"
    found = cache.get(key)
    if found is not None:
        return found
    recently = Activity.participants.through.objects.filter(
        activity__workstation__in=Workstation.objects.for_committee(committee).values("pk"),
        activity__status=Activity.Status.APPROVED,
        activity__date__gte=cutoff,
    ).values("member_id")
    candidates = (
        Member.objects.for_committee(committee)
        .current()
        .filter(pk__in=Membership.objects.active(on=today).values("member_id"))
        .exclude(pk__in=recently)
        .order_by()
        .values("pk", "name")
        .annotate(
            last=Max("activities__date", filter=Q(activities__status=Activity.Status.APPROVED))
        )
        .values_list("pk", "name", "last")
    )
    idle = sorted(
        ((last, name, pk) for pk, name, last in candidates if last is None or last < cutoff),
        key=lambda row: (row[0] is not None, row[0] or cutoff, row[1], row[2]),
    )
    found = {pk: (last, name) for last, name, pk in idle}
    cache.set(key, found, counts.PEOPLE_CACHE_SECONDS)
    return found
