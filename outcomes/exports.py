"""Workbooks a county office files: a workstation's monthly activity ledger (活动台账), the
yearly statistics workbook, the rhythm board and a member's yearly record, as ``.xlsx``.

Every text cell goes through ``safe_cell`` so that nothing a member typed is run as a formula
when the file is opened.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence

from django.db.models import Prefetch
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from consultations.models import Activity
from members.models import Member
from workstations.models import Committee, Workstation
from workstations.spreadsheets.cells import neutralise_formula

from . import figures_by_period, points, rhythm
from .assessment import assessment
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


def _title(ws: Worksheet, text: str, width: int, subtitle: str = "") -> int:
    """Write a merged title (and subtitle) over ``width`` columns; return the next row."""
    ws.cell(row=1, column=1, value=safe_cell(text)).font = Font(size=14, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    row = 2
    if subtitle:
        ws.cell(row=2, column=1, value=safe_cell(subtitle))
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
        row = 3
    return row


def _table(
    ws: Worksheet,
    first_row: int,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    widths: Sequence[int],
) -> int:
    """Write a bordered table with a shaded header row; return the row after it."""
    for col, header in enumerate(headers, start=1):
        cell = ws.cell(row=first_row, column=col, value=safe_cell(header))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    row = first_row
    for row, values in enumerate(rows, start=first_row + 1):
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col, value=safe_cell(value))
            cell.border = BORDER
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.print_title_rows = f"{first_row}:{first_row}"
    ws.freeze_panes = ws.cell(row=first_row + 1, column=1)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return row + 1


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def activity_ledger(workstation: Workstation, year: int, month: int) -> bytes:
    """The monthly activity ledger of a workstation: its approved activities of the month."""
    start = datetime.date(year, month, 1)
    end = rhythm.period_containing("month", start).end
    activities = (
        Activity.objects.filter(
            workstation=workstation, status=Activity.Status.APPROVED, date__range=(start, end)
        )
        .select_related("type", "author")
        .prefetch_related(
            Prefetch("participants", queryset=Member.objects.order_by("name")), "media_reports"
        )
        .order_by("date", "pk")
    )
    wb = Workbook()
    ws = wb.active
    ws.title = _("Activity ledger")
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
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
    first = _title(ws, title, len(headers), subtitle)
    after = _table(ws, first, headers, rows, [6, 12, 10, 28, 16, 24, 10, 40, 24, 10])
    for row in range(first + 1, after):
        ws.cell(row=row, column=2).number_format = "yyyy-mm-dd"
    ws.cell(row=after, column=1, value=_("Total"))
    ws.cell(row=after, column=7, value=served).font = Font(bold=True)
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
    first = _title(ws, title, max(len(headers), 5), legend)
    plain = [[c if not isinstance(c, rhythm.Cell) else "" for c in row] for row in rows]
    _table(ws, first, headers, plain, [14, 24, 12, 10, 16] + [6] * (len(headers) - 5))
    for r, row in enumerate(rows, start=first + 1):
        for c, value in enumerate(row, start=1):
            if isinstance(value, rhythm.Cell):
                cell = ws.cell(row=r, column=c, value=f"{STATE_MARKS[value.state]}{value.count}")
                cell.fill = STATE_FILLS[value.state]
                cell.alignment = Alignment(horizontal="center")


def rhythm_workbook(board: rhythm.Board) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Rhythm")
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    _write_rhythm(ws, board)
    return _save(wb)


def yearly_statistics(committee: Committee, year: int, *, today=None) -> bytes:
    """The yearly statistics workbook: figures by month, workstations, members, the rhythm."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Figures by month")
    series = figures_by_period.monthly(committee, year)
    headers = [_("Month"), *[label for _key, label in figures_by_period.SERIES]]
    rows = [
        [f"{year}-{m:02d}", *[series[key][m - 1] for key, _l in figures_by_period.SERIES]]
        for m in range(1, 13)
    ]
    rows.append([_("Whole year"), *[sum(series[key]) for key, _l in figures_by_period.SERIES]])
    title = _("%(committee)s — statistics %(year)d") % {"committee": committee.name, "year": year}
    first = _title(ws, title, len(headers))
    _table(ws, first, headers, rows, [12] + [14] * (len(headers) - 1))

    scores = assessment(committee, year, today=today)
    ws = wb.create_sheet(_("Workstations"))
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
            f"{s.values.get(M.RHYTHM, 0) * 100:.0f}%",
            float(s.computed),
            float(s.adjustment),
            float(s.total),
        ]
        for s in scores
    ]
    first = _title(ws, _("Workstations %(year)d") % {"year": year}, len(headers))
    _table(ws, first, headers, rows, [6, 14, 24, 12, 10, 12] + [10] * 10)

    ws = wb.create_sheet(_("Members"))
    headers = [_("Rank"), _("Committee"), _("Name"), _("Sector"), _("Records"), _("Points")]
    rows = [
        [
            s.rank,
            s.member.committee.name,
            s.member.name,
            s.member.sector.name if s.member.sector else "",
            s.entries,
            float(s.points),
        ]
        for s in points.ranking(committee, year)
    ]
    first = _title(ws, _("Member points %(year)d") % {"year": year}, len(headers))
    _table(ws, first, headers, rows, [6, 14, 12, 16, 8, 8])

    ws = wb.create_sheet(_("Rhythm"))
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    _write_rhythm(ws, rhythm.rhythm_board(committee, year, today=today))
    return _save(wb)


def member_record(member: Member, year: int) -> bytes:
    """A member's yearly record (履职档案): who they are, where they sit, every point's record."""
    wb = Workbook()
    ws = wb.active
    ws.title = _("Yearly record")
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
    first = _title(ws, title, 5, subtitle)
    headers = [_("Date"), _("For"), _("Record"), _("Points")]
    rows = [[e.date, str(e.basis_label), e.title, float(e.points)] for e in ledger]
    rows.append(["", "", _("Total"), float(total)])
    _table(ws, first, headers, rows, [12, 22, 48, 8])
    return _save(wb)
