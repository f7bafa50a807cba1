"""Figures by period: the monthly series and quarterly rates as charts and tables, the roll-up
by county for a city or province, and the yearly statistics workbook."""

from __future__ import annotations

from collections import defaultdict

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from outcomes import exports, figures_by_period
from workstations.models import Committee, Workstation

from . import downloads
from .access import export_view, may_export, office_view, xlsx_response
from .forms import selected_year, year_choices
from .selectors import month_heading, quarter_heading

# Above this many counties (a province), the roll-up shows each city with its counties' totals,
# the full table of counties on demand (``?counties=all``) and in the workbook: three hundred
# rows are no table to read on a screen, and a page that grows with the province.
FOLD_COUNTIES = 40


@office_view
def figures(request: HttpRequest, committee: Committee) -> HttpResponse:
    year = selected_year(request)
    monthly, rates, counties = figures_by_period.year_of(committee, year)
    # Months still to come are blank, not zero: a chart's line stops at today.
    today = timezone.localdate()
    begun = 12 if year < today.year else today.month if year == today.year else 0
    series = [
        {
            "key": key,
            "name": str(label),
            "data": [v if m < begun else None for m, v in enumerate(monthly[key])],
            "total": sum(monthly[key]),
        }
        for key, label in figures_by_period.SERIES
    ]
    rate_rows = [
        {"key": key, "name": str(label), "data": rates[key]}
        for key, label in figures_by_period.RATE_SERIES
    ]
    chart = {
        "months": [month_heading(m) for m in range(1, 13)],
        "quarters": [quarter_heading(q) for q in range(1, 5)],
        "series": series,
        "rates": rate_rows,
        "labels": {"month": _("Month"), "quarter": _("Quarter"), "percent": _("Percent")},
    }
    full = request.GET.get("counties") == "all"
    cities = [] if full else _city_rows(committee, counties, year)
    return render(
        request,
        "office/figures.html",
        {
            "section": "figures",
            "year": year,
            "years": year_choices(),
            "series": series,
            "rates": rate_rows,
            "series_keys": [key for key, _label in figures_by_period.SERIES],
            "series_labels": [label for _key, label in figures_by_period.SERIES],
            "counties": [] if cities else _county_rows(counties, year),
            "cities": cities,
            "county_count": len(counties),
            "full_url": f"?year={year}&counties=all",
            "county_totals": [
                sum(totals[key] for _county, totals in counties)
                for key, _label in figures_by_period.SERIES
            ],
            "chart": chart,
            "may_export": may_export(request.user),
        },
    )


def _cells(totals: dict) -> str:
    """A row's totals as cells, written here once (a province's three hundred rows of ten
    numbers would otherwise be a template loop each)."""
    return format_html_join(
        "", "<td>{}</td>", ((totals[key],) for key, _label in figures_by_period.SERIES)
    )


def _page_of(committee: Committee, year: int) -> str:
    """The address of a committee's figures of ``year``."""
    return reverse("office:figures", kwargs={"committee": committee.slug}) + f"?year={year}"


def _county_rows(counties: list, year: int) -> list[tuple]:
    """Each county with its page's address and its row of totals."""
    return [(county, _page_of(county, year), _cells(totals)) for county, totals in counties]


def _city_rows(committee: Committee, counties: list, year: int) -> list[tuple]:
    """A province's counties summed by city (a county right below the province stands for
    itself), each city with its number of counties, its page's address and its row of totals,
    when the province has more than ``FOLD_COUNTIES``; else nothing (the counties are shown)."""
    if committee.level != Committee.Level.PROVINCE or len(counties) <= FOLD_COUNTIES:
        return []
    cities: dict[int, Committee] = {}
    sizes: dict[int, int] = defaultdict(int)
    sums: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    for county, totals in counties:
        city = county if county.parent_id == committee.pk else county.parent
        cities[city.pk] = city
        sizes[city.pk] += 1
        for key, value in totals.items():
            sums[city.pk][key] += value
    return [
        (city, sizes[pk], _page_of(city, year), _cells(sums[pk])) for pk, city in cities.items()
    ]


@export_view
def statistics_xlsx(request: HttpRequest, committee: Committee) -> HttpResponse:
    year = selected_year(request)
    filename = f"{committee.name}-{_('statistics')}-{year}.xlsx"
    if downloads.is_large(Workstation.objects.for_committee(committee)):
        return downloads.queue_workbook(
            request, committee, workbook="statistics", year=year, title=filename
        )
    return xlsx_response(exports.yearly_statistics(committee, year), filename)
