"""The office pages' shapes of what ``rhythm``, ``points`` and ``assessment`` compute: the board
as a grid, who falls behind now, and the link from each figure to the records behind it.

Nothing here queries per row: the grid is built from the board's cells in memory, and the
admin addresses are reversed once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from outcomes.assessment import SHARES, Score
from outcomes.models import AssessmentCriterion, Requirement
from outcomes.points import Entry
from outcomes.rhythm import BEHIND, MET, NOT_DUE, Board, Cell, Period

STATE_MARKS = {"met": "✓", "behind": "✗", "not_due": "…", "not_applicable": "—"}


def month_heading(month: int) -> str:
    return pgettext("a month as a column heading", "%(month)d") % {"month": month}


def quarter_heading(quarter: int) -> str:
    return pgettext("a quarter as a column heading", "Q%(quarter)d") % {"quarter": quarter}


def period_heading(period: Period) -> str:
    """The short heading of a board column: the month's number, the quarter, or the year."""
    if period.kind == Requirement.Period.MONTH:
        return month_heading(period.start.month)
    if period.kind == Requirement.Period.QUARTER:
        return quarter_heading((period.start.month - 1) // 3 + 1)
    return pgettext("the whole year, as a column heading", "Year")


@dataclass
class Column:
    """One requirement on the board, with all its versions: a change mid-year starts a new
    version, and both show in the same columns, each in the periods it judged."""

    name: str
    period: str
    periods: list[Period]
    requirements: list[Requirement] = field(default_factory=list)

    @property
    def minimums(self) -> list[int]:
        return sorted({r.minimum for r in self.requirements})

    @property
    def period_label(self) -> str:
        return Requirement.Period(self.period).label

    @property
    def headings(self) -> list[str]:
        return [period_heading(p) for p in self.periods]


def group_starts(columns: list[Column]) -> set[int]:
    """The positions in a row where a requirement's columns begin (for a dividing line), but
    the first: the workstation column has its own."""
    starts, position = set(), 0
    for column in columns:
        if position:
            starts.add(position)
        position += len(column.periods)
    return starts


@dataclass
class GridCell:
    cell: Cell
    links: RecordLinks

    @cached_property
    def href(self) -> str:
        # Made when a page shows the cell: a county's board opens folded by town and shows
        # few of its thousands of cells.
        return self.links.for_cell(self.cell)

    @property
    def mark(self) -> str:
        return STATE_MARKS[self.cell.state]

    @property
    def minimum(self) -> int:
        return self.cell.requirement.minimum


@dataclass
class Row:
    workstation: object
    cells: list[GridCell | None]


class RecordLinks:
    """Admin changelist addresses listing the records behind a count."""

    def __init__(self):
        self.base = {
            Requirement.Counts.ACTIVITY: reverse("admin:consultations_activity_changelist"),
            Requirement.Counts.CONSULTATION: reverse("admin:consultations_consultation_changelist"),
            Requirement.Counts.OUTCOME: reverse("admin:outcomes_outcome_changelist"),
        }

    def for_cell(self, cell: Cell) -> str:
        counts = cell.requirement.counts
        params = {"workstation__id__exact": cell.workstation.pk}
        start, end = cell.period.start.isoformat(), cell.period.end.isoformat()
        if counts == Requirement.Counts.ACTIVITY:
            params.update(status__exact="approved", date__gte=start, date__lte=end)
        elif counts == Requirement.Counts.OUTCOME:
            params.update(status__exact="submitted", submitted_on__gte=start, submitted_on__lte=end)
        # A consultation counts by the date of its meeting step, which the consultation list
        # cannot filter by: the link lists the workstation's consultations.
        return f"{self.base[counts]}?{urlencode(params)}"


def board_grid(board: Board) -> tuple[list[Column], list[Row]]:
    """The board as one table: a row per workstation, the columns of every requirement."""
    columns: dict[tuple[str, str], Column] = {}
    for requirement in board.requirements:
        key = (requirement.name, requirement.period)
        if key not in columns:
            columns[key] = Column(*key, periods=board.periods(requirement))
        columns[key].requirements.append(requirement)
    links = RecordLinks()
    # Each cell in its place, in one pass over the cells: (workstation, column, period start).
    position = {
        r.pk: index for index, column in enumerate(columns.values()) for r in column.requirements
    }
    placed: dict[tuple, Cell] = {}
    for (rid, ws_id, start), cell in board.cells.items():  # the first version's, if two
        placed.setdefault((ws_id, position[rid], start), cell)
    places = [
        (index, period.start)
        for index, column in enumerate(columns.values())
        for period in column.periods
    ]
    rows = []
    for ws in board.workstations:
        ws_id = ws.id
        cells: list[GridCell | None] = [
            GridCell(cell, links) if (cell := placed.get((ws_id, index, start))) else None
            for index, start in places
        ]
        if any(cells):
            rows.append(Row(ws, cells))
    return list(columns.values()), rows


# A shortfall names this many workstations, then says how many more (a county of hundreds
# would list them all twice over: the board and the .xlsx hold every one).
SHORTFALL_NAMES = 12


@dataclass
class Shortfall:
    """Workstations of one requirement that fell behind in a period, or have not met it yet."""

    column: Column
    period: Period
    running: bool
    cells: list[GridCell]

    @property
    def label(self) -> str:
        return period_text(self.period)

    @property
    def named(self) -> list[GridCell]:
        return self.cells[:SHORTFALL_NAMES]

    @property
    def more(self) -> int:
        return max(len(self.cells) - SHORTFALL_NAMES, 0)


def falling_behind(board: Board, columns: list[Column]) -> list[Shortfall]:
    """For each requirement: who fell behind in the last period that closed this year, and who
    has not met the running period yet."""
    links = RecordLinks()
    today = board.today
    shortfalls = []
    for column in columns:
        closed = [p for p in column.periods if p.end < today]
        running = [p for p in column.periods if p.start <= today <= p.end]
        for period, state, is_running in (
            *((p, BEHIND, False) for p in closed[-1:]),
            *((p, NOT_DUE, True) for p in running),
        ):
            cells = [
                GridCell(c, links)
                for r in column.requirements
                for ws in board.workstations
                if (c := board.cell(r, ws, period)) and c.state == state
            ]
            shortfalls.append(Shortfall(column, period, is_running, cells))
    return shortfalls


def period_text(period: Period) -> str:
    """A period in words: 2025-03, 2025 Q1, 2025."""
    if period.kind == Requirement.Period.QUARTER:
        return _("%(year)d Q%(quarter)d") % {
            "year": period.start.year,
            "quarter": (period.start.month - 1) // 3 + 1,
        }
    return period.label


def admin_change_url(record) -> str:
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


@dataclass
class LedgerLine:
    entry: Entry
    href: str


def ledger_lines(entries: list[Entry]) -> list[LedgerLine]:
    return [LedgerLine(e, admin_change_url(e.record)) for e in entries]


@dataclass
class AssessmentRow:
    score: Score
    # Per metric column: (weighted part, raw value, not applicable); a part of None with
    # "not applicable" false is a criterion the workstation's committee does not weigh.
    parts: list[tuple[Decimal | None, str, bool]]


def _raw(metric: str, value: Decimal | None) -> str:
    if value is None:
        return ""
    if metric in SHARES:
        return f"{value * 100:.0f}%"
    return f"{value:.0f}"


def assessment_table(scores: list[Score], weights: dict[str, int]) -> tuple[list, list]:
    """The metric columns (those any assessed committee weighs: key, label and the weight if
    one committee's) and a row per score."""
    used = {metric for s in scores for metric in (*s.parts, *s.not_applicable)}
    metrics = [
        (m.value, m.label, weights.get(m.value))
        for m in AssessmentCriterion.Metric
        if m.value in used
    ]
    rows = [
        AssessmentRow(
            s,
            [
                (s.parts.get(key), _raw(key, s.values.get(key)), key in s.not_applicable)
                for key, *_ in metrics
            ],
        )
        for s in scores
    ]
    return metrics, rows


def adjustments_of(scores: list[Score]) -> list:
    """Every adjustment of the year, the latest first."""
    adjustments = []
    for score in scores:
        for adjustment in score.adjustments:
            adjustment.workstation = score.workstation  # already loaded: no query per line
            adjustments.append(adjustment)
    return sorted(adjustments, key=lambda a: a.made_at, reverse=True)


# --- A county of hundreds of workstations: the board by town ------------------------------------

# From this many workstations the board opens folded by town (its full table on demand).
FOLD_AT = 40


@dataclass
class TownColumn:
    """One requirement in a town's line: its last closed period (met of judged), and how many
    have not met the running one yet."""

    column: Column
    closed: Period | None
    met: int = 0
    judged: int = 0
    running_open: int = 0


@dataclass
class Town:
    area: object | None  # the town (an Area), or None for workstations without one
    committee: object
    workstations: int = 0
    behind: int = 0  # cells of closed periods not met, this year
    columns: list[TownColumn] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.area.name if self.area is not None else _("No town")


def board_towns(board: Board, columns: list[Column], rows: list[Row]) -> list[Town]:
    """The board's workstations grouped by town (a village's or community's under its town),
    each town with, per requirement, how its workstations did in the last closed period and how
    many have not met the running period yet. Computed from the board's cells in memory."""
    today = board.today
    towns: dict[tuple, Town] = {}
    for row in rows:
        ws = row.workstation
        area = ws.area.parent if ws.area is not None and ws.area.parent_id else ws.area
        key = (ws.committee_id, area.pk if area else None)
        if key not in towns:
            town = Town(area, ws.committee)
            for column in columns:
                closed = [p for p in column.periods if p.end < today]
                town.columns.append(TownColumn(column, closed[-1] if closed else None))
            towns[key] = town
        town = towns[key]
        town.workstations += 1
        # A row's cells run column by column, period by period (see ``board_grid``).
        position = 0
        for town_column in town.columns:
            for period in town_column.column.periods:
                grid_cell = row.cells[position]
                position += 1
                if grid_cell is None:
                    continue
                state = grid_cell.cell.state
                if state == BEHIND:
                    town.behind += 1
                if period == town_column.closed and state in (BEHIND, MET):
                    town_column.judged += 1
                    town_column.met += state == MET
                if period.start <= today <= period.end and state == NOT_DUE:
                    town_column.running_open += 1
    return sorted(towns.values(), key=lambda t: (t.committee.name, t.area is None, t.label))
