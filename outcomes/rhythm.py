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
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from consultations.models import Activity
from members.models import Member, Membership
from workstations.models import Committee, Workstation

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


class _Counts:
    """Qualifying records of a year, aggregated per workstation and month by the counting
    layer, so that any period's count is a sum (or, for consultations, a union) of months."""

    def __init__(self, workstation_ids: list[int], year: int, kinds: set[str]):
        period = counts.year_bounds(year)
        self.activities, self.outcomes, self.met = {}, {}, {}
        self.wanted: dict[int, set] = {}  # requirement → the types or kinds it counts
        if Requirement.Counts.ACTIVITY in kinds:
            self.activities = counts.activities_by_workstation(workstation_ids, period)
        if Requirement.Counts.OUTCOME in kinds:
            self.outcomes = counts.outcomes_by_workstation(workstation_ids, period)
        if Requirement.Counts.CONSULTATION in kinds:
            self.met = counts.consultations_met_by_workstation(workstation_ids, period)
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
        return sum(
            source[ws_id, what, month]
            for what, month in self.keys.get((name, ws_id), ())
            if month in months and (not wanted or what in wanted)
        )


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
        workstations.select_related("committee", "area__parent", "sector").order_by(
            "committee__name", "kind", "name"
        )
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
    counts = _Counts([w.pk for w in ws_list], year, {r.counts for r in requirements})
    for requirement in requirements:
        for period in periods_of_year(requirement.period, year):
            if not _in_force_on(requirement, period.end):
                continue
            for ws in ws_list:
                if not _applies(requirement, ws):
                    continue
                if ws.established_on and ws.established_on > period.end:
                    state, n = NOT_APPLICABLE, 0
                else:
                    n = counts.count(requirement, ws.pk, period)
                    state = _state(n, requirement.minimum, period, today)
                board.cells[requirement.pk, ws.pk, period.start] = Cell(
                    requirement, ws, period, n, state
                )
    return board


def members_without_activity(
    committee: Committee, *, months: int, today: datetime.date | None = None
) -> list[Member]:
    """Serving members who sit in a workstation and took part in no approved activity for
    ``months`` months (or ever). Each carries ``last_activity`` (a date or None)."""
    today = today or timezone.localdate()
    month_index = today.year * 12 + today.month - 1 - months
    cutoff = datetime.date(month_index // 12, month_index % 12 + 1, 1)
    cutoff = min(cutoff.replace(day=min(today.day, 28)), today)
    sitting = Membership.objects.active(on=today).values("member_id")
    last_approved = Max("activities__date", filter=Q(activities__status=Activity.Status.APPROVED))
    # Who is without activity, grouped by the member's id alone (a narrow sort); then those
    # members whole, with the same annotation over their own participations only.
    idle = (
        Member.objects.for_committee(committee)
        .current()
        .filter(pk__in=sitting)
        .order_by()
        .values("pk")
        .annotate(last_activity=last_approved)
        .filter(Q(last_activity__isnull=True) | Q(last_activity__lt=cutoff))
        .values("pk")
    )
    return list(
        Member.objects.filter(pk__in=idle)
        .annotate(last_activity=last_approved)
        .select_related("sector", "committee")
        .order_by("last_activity", "name")
    )
