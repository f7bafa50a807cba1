"""Workbooks a county office files: a workstation's monthly activity ledger (活动台账) and every
workstation's in one workbook, the yearly statistics workbook, the rhythm board, a member's
yearly record, the points ranking and the yearly assessment, as ``.xlsx``.

Every text cell goes through ``safe_cell`` so that nothing a member typed is run as a formula
when the file is opened.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable, Sequence

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from consultations.models import Activity
from members.models import Member
from members.names import person_name
from workstations.models import Committee, Workstation
from workstations.spreadsheets.cells import neutralise_formula

from . import figures_by_period, points, rhythm
from .assessment import SHARES, assessment
from .models import AssessmentCriterion

THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")
STATE_FILLS = {
    rhythm.MET: PatternFill("solid", fgColor="C6EFCE"),
    rhythm.BEHIND: PatternFill("solid", fgColor="FFC7CE"),
    rhythm.NOT_DUE: PatternFill("solid", fgColor="EEEEEE"),
    rhythm.NOT_APPLICABLE: PatternFill("solid", fgColor="FFFFFF"),
}
STATE_MARKS = {rhythm.MET: "✓", rhythm.BEHIND: "✗", rhythm.NOT_DUE: "…", rhythm.NOT_APPLICABLE: "—"}


def safe_cell(value):
    """A cell value a spreadsheet will not run: text that starts like a formula gets a leading
    apostrophe. Numbers, dates and None pass unchanged."""
    if isinstance(value, Promise):  # a lazy translation
        value = str(value)
    return neutralise_formula(value)


def _sheet(wb: Workbook, name: str, *, landscape: bool = False) -> Worksheet:
    """A new sheet of a write-only workbook, set for A4, fitted to the page's width."""
    ws = wb.create_sheet(safe_cell(str(name))[:31])
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    if landscape:
        ws.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return ws


def _cell(ws: Worksheet, value, **style) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=safe_cell(value))
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


BODY = {"border": BORDER, "alignment": Alignment(vertical="top", wrap_text=True)}
HEAD = {
    "font": Font(bold=True),
    "fill": HEADER_FILL,
    "border": BORDER,
    "alignment": Alignment(horizontal="center", vertical="center", wrap_text=True),
}


def _table(
    ws: Worksheet,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    widths: Sequence[int],
    *,
    subtitle: str = "",
    style=None,
    after: Iterable[Sequence] = (),
) -> None:
    """Write a title (and subtitle), a bordered table with a shaded header row that repeats on
    every printed page, and ``after`` (a total line). Rows are written as they come (openpyxl's
    write-only mode: a province's workbook keeps flat memory). ``style(value)`` may give a cell
    its own style (a rhythm cell's colour)."""
    header_row = 3 if subtitle else 2
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.freeze_panes = f"A{header_row + 1}"
    ws.append([_cell(ws, title, font=Font(size=14, bold=True))])
    if subtitle:
        ws.append([_cell(ws, subtitle)])
    ws.append([_cell(ws, h, **HEAD) for h in headers])
    for values in rows:
        line = []
        for value in values:
            own = style(value) if style else None
            line.append(own if own is not None else _cell(ws, value, **BODY))
        ws.append(line)
    for values in after:
        ws.append([_cell(ws, v, font=Font(bold=True)) for v in values])


def _new_book() -> Workbook:
    return Workbook(write_only=True)


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _month_activities(workstations, year: int, month: int):
    """The approved activities of the month of ``workstations`` (a queryset), with what a
    ledger line shows: three queries, whatever their number."""
    start = datetime.date(year, month, 1)
    end = rhythm.period_containing("month", start).end
    return (
        Activity.objects.filter(workstation__in=workstations)
        .approved()
        .in_period(start, end)
        .select_related("type", "author")
        .prefetch_related(
            Prefetch("participants", queryset=Member.objects.order_by("name")), "media_reports"
        )
        .order_by("workstation_id", "date", "pk")
    )


def _write_ledger(
    ws: Worksheet, workstation: Workstation, activities: Sequence[Activity], year: int, month: int
) -> int:
    """One workstation's ledger on its sheet; returns the residents served in all."""
    headers = [
        _("No."),
        _("Date"),
        _("Type"),
        _("Title"),
        _("Place"),
        _("Members who took part"),
        _("Residents served"),
        _("What was done"),
        _("Media reports"),
        _("Logged by"),
    ]
    rows, served = [], 0
    for number, a in enumerate(activities, start=1):
        served += a.residents_served
        rows.append(
            [
                number,
                a.date,
                a.type.name,
                a.title,
                a.place,
                "、".join(m.name for m in a.participants.all()),
                a.residents_served,
                a.description,
                "\n".join(f"{r.outlet} {r.title}".strip() for r in a.media_reports.all()),
                a.author.name if a.author else "",
            ]
        )
    title = _("%(workstation)s — activity ledger") % {"workstation": workstation.name}
    subtitle = _("%(committee)s · %(year)d-%(month)02d · %(count)d activities") % {
        "committee": workstation.committee.name,
        "year": year,
        "month": month,
        "count": len(rows),
    }
    dates = {**BODY, "number_format": "yyyy-mm-dd"}

    def style(value):
        return _cell(ws, value, **dates) if isinstance(value, datetime.date) else None

    _table(
        ws,
        title,
        headers,
        rows,
        [6, 12, 10, 28, 16, 24, 10, 40, 24, 10],
        subtitle=subtitle,
        style=style,
        after=[[_("Total"), "", "", "", "", "", served]],
    )
    return served


def activity_ledger(workstation: Workstation, year: int, month: int) -> bytes:
    """The monthly activity ledger of a workstation: its approved activities of the month."""
    activities = list(_month_activities(Workstation.objects.filter(pk=workstation.pk), year, month))
    wb = _new_book()
    _write_ledger(
        _sheet(wb, _("Activity ledger"), landscape=True), workstation, activities, year, month
    )
    return _save(wb)


# Excel refuses these in a sheet's name, and a name longer than 31 characters.
SHEET_NAME_REFUSED = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_LENGTH = 31


def sheet_title(name: str, taken: set[str]) -> str:
    """A sheet name Excel accepts for ``name``, not yet in ``taken`` (compared as Excel does,
    regardless of case), and added to it: the refused characters and formula signs dropped,
    cut to 31 characters, a number added to the second of two names that look the same."""
    base = SHEET_NAME_REFUSED.sub("", name).strip().strip("'").lstrip("=+-@").strip()
    base = base or _("Workstation")
    title, number = base[:SHEET_NAME_LENGTH], 1
    while title.casefold() in taken:
        number += 1
        suffix = f"({number})"
        title = base[: SHEET_NAME_LENGTH - len(suffix)] + suffix
    taken.add(title.casefold())
    return title


def committee_ledger(committee: Committee, year: int, month: int, *, workstations=None) -> bytes:
    """The monthly activity ledger of every workstation of ``committee`` (and below) in one
    workbook: a summary sheet first (each workstation's activities and residents served), then
    each workstation's ledger on its own sheet, printed as the single ledger is, so that the
    office files one workbook a month instead of one per workstation. A workstation that held
    nothing has its sheet too, saying 0 activities: the month is accounted for."""
    if workstations is None:
        workstations = Workstation.objects.for_committee(committee)
    workstations = list(
        workstations.select_related("committee").order_by("committee__name", "name", "pk")
    )
    by_workstation: dict[int, list[Activity]] = {ws.pk: [] for ws in workstations}
    for activity in _month_activities([ws.pk for ws in workstations], year, month):
        by_workstation[activity.workstation_id].append(activity)

    wb = _new_book()
    summary_name = _("Summary")
    taken = {summary_name.casefold()}
    summary = _sheet(wb, summary_name)
    totals = []
    for ws in workstations:
        activities = by_workstation[ws.pk]
        sheet = _sheet(wb, sheet_title(ws.name, taken), landscape=True)
        served = _write_ledger(sheet, ws, activities, year, month)
        totals.append((ws, len(activities), served))

    headers = [_("No."), _("Committee"), _("Workstation"), _("Activities"), _("Residents served")]
    rows = [
        [number, ws.committee.name, ws.name, count, served]
        for number, (ws, count, served) in enumerate(totals, start=1)
    ]
    title = _("%(committee)s — activity ledger %(year)d-%(month)02d") % {
        "committee": committee.name,
        "year": year,
        "month": month,
    }
    subtitle = ngettext(
        "%(count)d workstation, on its own sheet",
        "%(count)d workstations, each on its own sheet",
        len(totals),
    ) % {"count": len(totals)}
    _table(
        summary,
        title,
        headers,
        rows,
        [6, 16, 32, 10, 12],
        subtitle=subtitle,
        after=[
            [
                _("Total"),
                "",
                "",
                sum(count for _ws, count, _s in totals),
                sum(served for *_rest, served in totals),
            ]
        ],
    )
    return _save(wb)


def rhythm_rows(board: rhythm.Board) -> tuple[list[str], list[list]]:
    """The rhythm board as a header and rows: one row per workstation and requirement, a column
    per period holding the state mark and the count."""
    headers = [_("Committee"), _("Workstation"), _("Kind"), _("Area"), _("Requirement")]
    longest = max((len(board.periods(r)) for r in board.requirements), default=0)
    headers += [str(i) for i in range(1, longest + 1)]
    rows = []
    for requirement in board.requirements:
        for ws, cells in board.rows(requirement):
            rows.append(
                [
                    ws.committee.name,
                    ws.name,
                    ws.get_kind_display(),
                    ws.area.name if ws.area else "",
                    f"{requirement.name} (≥{requirement.minimum})",
                    *cells,
                    *[None] * (longest - len(cells)),
                ]
            )
    return headers, rows


def _write_rhythm(ws: Worksheet, board: rhythm.Board) -> None:
    headers, rows = rhythm_rows(board)
    title = _("%(committee)s — rhythm %(year)d") % {
        "committee": board.committee.name,
        "year": board.year,
    }
    legend = " ".join(f"{STATE_MARKS[s]} {rhythm.STATE_LABELS[s]}" for s in STATE_MARKS)
    centred = Alignment(horizontal="center")

    def style(value):
        if isinstance(value, rhythm.Cell):
            return _cell(
                ws,
                f"{STATE_MARKS[value.state]}{value.count}",
                fill=STATE_FILLS[value.state],
                alignment=centred,
                border=BORDER,
            )
        return None

    widths = [14, 24, 12, 10, 16] + [6] * (len(headers) - 5)
    _table(ws, title, headers, rows, widths, subtitle=legend, style=style)


def rhythm_workbook(board: rhythm.Board) -> bytes:
    wb = _new_book()
    _write_rhythm(_sheet(wb, _("Rhythm"), landscape=True), board)
    return _save(wb)


def _share_cell(score, metric: str) -> str:
    """A share as a percentage; "not applicable" when the workstation has no data for it yet
    (the assessment leaves it out of the weights), "—" when its committee does not weigh it."""
    if metric in score.not_applicable:
        return _("Not applicable")
    if metric not in score.values:
        return "—"
    return f"{score.values[metric] * 100:.0f}%"


def yearly_statistics(committee: Committee, year: int, *, today=None) -> bytes:
    """The yearly statistics workbook: figures by month, workstations, members, the rhythm."""
    wb = _new_book()
    ws = _sheet(wb, _("Figures by month"))
    series = figures_by_period.monthly(committee, year)
    headers = [_("Month"), *[label for _key, label in figures_by_period.SERIES]]
    rows = [
        [f"{year}-{m:02d}", *[series[key][m - 1] for key, _l in figures_by_period.SERIES]]
        for m in range(1, 13)
    ]
    rows.append([_("Whole year"), *[sum(series[key]) for key, _l in figures_by_period.SERIES]])
    title = _("%(committee)s — statistics %(year)d") % {"committee": committee.name, "year": year}
    _table(ws, title, headers, rows, [12] + [14] * (len(headers) - 1))

    if committee.level != Committee.Level.COUNTY:
        # A city's or a province's counties, each with its year's totals (the figures page
        # folds a province's by city).
        ws = _sheet(wb, _("By county"))
        keys = [key for key, _l in figures_by_period.SERIES]
        headers = [
            pgettext("a city committee", "City"),
            pgettext("a county committee", "County"),
            *[label for _key, label in figures_by_period.SERIES],
        ]
        rows = [
            [county.parent.name if county.parent else "", county.name, *[t[k] for k in keys]]
            for county, t in figures_by_period.by_committee(committee, year)
        ]
        _table(ws, title, headers, rows, [16, 16] + [14] * len(keys))

    scores = assessment(committee, year, today=today)
    ws = _sheet(wb, _("Workstations"))
    headers = [
        _("Rank"),
        _("Committee"),
        _("Workstation"),
        _("Kind"),
        _("Area"),
        _("Sector"),
        _("Approved activities"),
        _("Residents served"),
        _("Consultation meetings held"),
        _("Outcomes submitted"),
        _("Leaders' endorsements"),
        _("Problems solved"),
        _("Share of rhythm periods met"),
        _("Computed score"),
        _("Adjustment"),
        _("Total"),
    ]
    M = AssessmentCriterion.Metric
    rows = [
        [
            s.rank,
            s.workstation.committee.name,
            s.workstation.name,
            s.workstation.get_kind_display(),
            s.workstation.area.name if s.workstation.area else "",
            s.workstation.sector.name if s.workstation.sector else "",
            int(s.values.get(M.ACTIVITIES, 0)),
            int(s.values.get(M.RESIDENTS_SERVED, 0)),
            int(s.values.get(M.CONSULTATIONS, 0)),
            int(s.values.get(M.OUTCOMES, 0)),
            int(s.values.get(M.ENDORSEMENTS, 0)),
            int(s.values.get(M.PROBLEMS_SOLVED, 0)),
            _share_cell(s, M.RHYTHM),
            float(s.computed),
            float(s.adjustment),
            float(s.total),
        ]
        for s in scores
    ]
    title = _("Workstations %(year)d") % {"year": year}
    _table(ws, title, headers, rows, [6, 14, 24, 12, 10, 12] + [10] * 10)

    ws = _sheet(wb, _("Members"))
    headers = [_("Rank"), _("Committee"), _("Name"), _("Sector"), _("Records"), _("Points")]
    rows = _ranking_rows(points.ranking(committee, year))
    title = _("Member points %(year)d") % {"year": year}
    _table(ws, title, headers, rows, [6, 14, 12, 16, 8, 8])

    _write_rhythm(
        _sheet(wb, _("Rhythm"), landscape=True), rhythm.rhythm_board(committee, year, today=today)
    )
    return _save(wb)


def member_record(member: Member, year: int) -> bytes:
    """A member's yearly record (履职档案): who they are, where they sit, every point's record."""
    wb = _new_book()
    ws = _sheet(wb, _("Yearly record"))
    ledger = points.member_ledger(member, year)
    total = sum((e.points for e in ledger), 0)
    title = _("%(member)s — yearly record %(year)d") % {"member": member.name, "year": year}
    places = "、".join(
        f"{m.workstation.name}({m.get_role_display()})"
        for m in member.memberships.select_related("workstation")
    )
    subtitle = " · ".join(
        part
        for part in (
            member.committee.name,
            member.sector.name if member.sector else "",
            member.workplace,
            member.title,
            places,
        )
        if part
    )

    headers = [_("Date"), _("For"), _("Record"), _("Points")]
    rows = [[e.date, str(e.basis_label), e.title, float(e.points)] for e in ledger]
    rows.append(["", "", _("Total"), float(total)])
    _table(ws, title, headers, rows, [12, 22, 48, 8], subtitle=subtitle)
    return _save(wb)


def _ranking_rows(standings: Iterable[points.Standing]) -> list[list]:
    """Rank, committee, member, sector, the records behind the points and the points."""
    return [
        [
            s.rank,
            s.member.committee.name,
            s.member.name,
            s.member.sector.name if s.member.sector else "",
            s.entries,
            float(s.points),
        ]
        for s in standings
    ]


def points_ranking(committee: Committee, year: int, standings: Sequence[points.Standing]) -> bytes:
    """The points ranking as the office page shows it: rank, member, committee, sector, the
    records behind the points and the points."""
    wb = _new_book()
    ws = _sheet(wb, _("Member points"))
    headers = [_("Rank"), _("Committee"), _("Member"), _("Sector"), _("Records"), _("Points")]
    rows = _ranking_rows(standings)
    title = _("%(committee)s — member points %(year)d") % {
        "committee": committee.name,
        "year": year,
    }
    subtitle = _("Ranking of serving members, %(year)d") % {"year": year}
    _table(ws, title, headers, rows, [6, 14, 12, 16, 8, 8], subtitle=subtitle)
    return _save(wb)


def _assessment_cell(score, metric: str) -> str:
    """A criterion's score and the figure it comes from, as the page shows them."""
    if metric in score.not_applicable:
        return _("Not applicable")
    if metric not in score.parts:
        return "—"
    value = score.values.get(metric)
    if value is None:
        return f"{score.parts[metric]}"
    raw = f"{value * 100:.0f}%" if metric in SHARES else f"{value:.0f}"
    return f"{score.parts[metric]} ({raw})"


def assessment_workbook(
    committee: Committee,
    year: int,
    scores: Sequence,
    metrics: Sequence[tuple[str, str, int | None]],
) -> bytes:
    """The yearly assessment as the office page shows it: a row per workstation with each
    criterion's score (and the figure it comes from), the computed score, the adjustment and
    the total; then every adjustment with its reason and who made it. ``metrics`` are the
    page's columns (key, label, weight)."""
    wb = _new_book()
    ws = _sheet(wb, _("Assessment"), landscape=True)
    headers = [
        _("Rank"),
        _("Committee"),
        _("Workstation"),
        *[f"{label} (≤{weight})" if weight else str(label) for _key, label, weight in metrics],
        _("Computed score"),
        _("Adjustment"),
        _("Total"),
    ]
    rows = [
        [
            s.rank,
            s.workstation.committee.name,
            s.workstation.name,
            *[_assessment_cell(s, key) for key, *_rest in metrics],
            float(s.computed),
            float(s.adjustment),
            float(s.total),
        ]
        for s in scores
    ]
    title = _("%(committee)s — yearly assessment %(year)d") % {
        "committee": committee.name,
        "year": year,
    }
    subtitle = _("In each criterion: the score, and in brackets the figure it comes from.")
    widths = [6, 14, 24] + [14] * len(metrics) + [10, 10, 10]
    _table(ws, title, headers, rows, widths, subtitle=subtitle)

    ws = _sheet(wb, _("Adjustments"))
    adjustments = sorted(
        ((s.workstation, a) for s in scores for a in s.adjustments),
        key=lambda pair: pair[1].made_at,
        reverse=True,
    )
    headers = [_("Workstation"), _("Points"), _("Reason"), _("By"), _("On")]
    rows = [
        [
            workstation.name,
            float(a.points),
            a.reason,
            person_name(a.made_by) if a.made_by else "",
            timezone.localtime(a.made_at).strftime("%Y-%m-%d %H:%M"),
        ]
        for workstation, a in adjustments
    ]
    title = _("Adjustments %(year)d") % {"year": year}
    _table(ws, title, headers, rows, [24, 8, 48, 12, 16])
    return _save(wb)
