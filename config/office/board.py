"""The rhythm board: workstations × periods for every requirement, who falls behind now, and
the members without activity."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from outcomes import exports, rhythm
from workstations.models import Committee

from . import downloads
from .access import export_view, may_export, office_view, xlsx_response
from .forms import (
    INACTIVE_MONTHS,
    WorkstationFilter,
    selected_months,
    selected_year,
    year_choices,
)
from .selectors import (
    FOLD_AT,
    STATE_MARKS,
    board_grid,
    board_towns,
    falling_behind,
    group_starts,
)


def _board(request: HttpRequest, committee: Committee) -> tuple[rhythm.Board, WorkstationFilter]:
    filters = WorkstationFilter(request.GET or None, committee=committee)
    board = rhythm.rhythm_board(committee, selected_year(request), workstations=filters.qs)
    return board, filters


def _with(request: HttpRequest, **changes) -> str:
    query = request.GET.copy()
    for key, value in changes.items():
        query[key] = value
    return f"?{query.urlencode()}"


@office_view
def board(request: HttpRequest, committee: Committee) -> HttpResponse:
    board, filters = _board(request, committee)
    columns, rows = board_grid(board)
    months = selected_months(request)
    # A county of hundreds of workstations opens by town; one town, or "every workstation",
    # shows the table (the .xlsx always holds all of it).
    folded = len(rows) > FOLD_AT and request.GET.get("full") != "1"
    towns = board_towns(board, columns, rows) if folded else []
    return render(
        request,
        "office/board.html",
        {
            "section": "board",
            "board": board,
            "filters": filters,
            "columns": columns,
            "rows": rows,
            "group_starts": group_starts(columns),
            "shortfalls": falling_behind(board, columns),
            "folded": folded,
            "towns": towns,
            "full_url": _with(request, full="1"),
            "inactive": rhythm.members_without_activity(committee, months=months),
            "months": months,
            "month_choices": INACTIVE_MONTHS,
            "years": year_choices(),
            "legend": [(STATE_MARKS[k], k, label) for k, label in rhythm.STATE_LABELS.items()],
            "several_committees": committee.level != Committee.Level.COUNTY,
            "may_export": may_export(request.user),
        },
    )


@export_view
def board_xlsx(request: HttpRequest, committee: Committee) -> HttpResponse:
    year = selected_year(request)
    filename = f"{committee.name}-{_('rhythm')}-{year}.xlsx"
    filters = WorkstationFilter(request.GET or None, committee=committee)
    if downloads.is_large(filters.qs):
        ids = list(filters.qs.values_list("pk", flat=True)) if filters.is_bound else None
        return downloads.queue_workbook(
            request, committee, workbook="rhythm", year=year, title=filename, workstation_ids=ids
        )
    board, _filters = _board(request, committee)
    return xlsx_response(exports.rhythm_workbook(board), filename)
