"""The rhythm board: workstations × periods for every requirement, who falls behind now, and
the members without activity."""

from __future__ import annotations

import hashlib
from functools import cached_property

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from outcomes import exports, rhythm
from workstations import versions
from workstations.models import Committee
from workstations.tenancy import subtree_ids

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


# The members without activity shown at first; "show all" lists every one.
INACTIVE_SHOWN = 50
# How long the page's sections are kept; any change they show bumps the version sooner.
SECTIONS_CACHED_SECONDS = 24 * 60 * 60


class _Sections:
    """What the page's three sections show, computed on first use: a copy of the sections
    kept in the cache (see ``cache_key``) is shown without computing any of it."""

    def __init__(self, request: HttpRequest, committee: Committee, filters: WorkstationFilter):
        self.request, self.committee, self.filters = request, committee, filters
        self.months = selected_months(request)

    @cached_property
    def board(self) -> rhythm.Board:
        return rhythm.rhythm_board(
            self.committee, selected_year(self.request), workstations=self.filters.qs
        )

    @cached_property
    def grid(self) -> tuple[list, list]:
        return board_grid(self.board)

    @cached_property
    def folded(self) -> bool:
        # A county of hundreds of workstations opens by town; one town, or "every
        # workstation", shows the table (the .xlsx always holds all of it).
        return len(self.grid[1]) > FOLD_AT and self.request.GET.get("full") != "1"

    def inactive(self) -> list:
        shown = None if self.request.GET.get("inactive") == "all" else INACTIVE_SHOWN
        return rhythm.members_without_activity(self.committee, months=self.months, limit=shown)

    def context(self) -> dict:
        """The sections' context, each value computed when the template first reads it."""
        lazy = SimpleLazyObject
        return {
            "board": lazy(lambda: self.board),
            "columns": lazy(lambda: self.grid[0]),
            "rows": lazy(lambda: self.grid[1]),
            "group_starts": lazy(lambda: group_starts(self.grid[0])),
            "shortfalls": lazy(lambda: falling_behind(self.board, self.grid[0])),
            "folded": lazy(lambda: self.folded),
            "towns": lazy(lambda: board_towns(self.board, *self.grid) if self.folded else []),
            "inactive": lazy(self.inactive),
            "inactive_count": lazy(
                lambda: rhythm.count_without_activity(self.committee, months=self.months)
            ),
        }

    def cache_key(self) -> str:
        """The sections' copy: of this committee's subtree at its current versions (whatever
        the sections count or name changes bumps them), today, in this language, for these
        filters."""
        current = sorted(versions.versions(subtree_ids(self.committee)).items())
        query = sorted(self.request.GET.lists())
        digest = hashlib.sha1(f"{current}:{query}".encode()).hexdigest()
        return f"{self.committee.pk}:{timezone.localdate()}:{get_language()}:{digest}"


@office_view
def board(request: HttpRequest, committee: Committee) -> HttpResponse:
    filters = WorkstationFilter(request.GET or None, committee=committee)
    sections = _Sections(request, committee, filters)
    return render(
        request,
        "office/board.html",
        {
            "section": "board",
            "year": selected_year(request),
            "filters": filters,
            **sections.context(),
            "sections_key": sections.cache_key(),
            "sections_seconds": SECTIONS_CACHED_SECONDS,
            "full_url": _with(request, full="1"),
            "inactive_all_url": _with(request, inactive="all") + "#inactive-title",
            "months": sections.months,
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
