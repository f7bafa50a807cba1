"""Figures by period: the monthly series and quarterly rates as charts and tables, the roll-up
by county for a city or province, and the yearly statistics workbook."""

from __future__ import annotations

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
            "counties": _county_rows(counties, year),
            "county_totals": [
                sum(totals[key] for _county, totals in counties)
                for key, _label in figures_by_period.SERIES
            ],
            "chart": chart,
            "may_export": may_export(request.user),
        },
    )


def _county_rows(counties: list, year: int) -> list[tuple]:
    """Each county with its page's address and its row of totals, written here once (a
    province's three hundred rows of ten numbers would otherwise be a template loop each)."""
    address = reverse("office:figures", kwargs={"committee": "-"})
    rows = []
    for county, totals in counties:
        cells = format_html_join(
            "", "<td>{}</td>", ((totals[key],) for key, _label in figures_by_period.SERIES)
        )
        url = address.replace("/-/", f"/{county.slug}/", 1) + f"?year={year}"
        rows.append((county, url, cells))
    return rows


@export_view
def statistics_xlsx(request: HttpRequest, committee: Committee) -> HttpResponse:
    year = selected_year(request)
    filename = f"{committee.name}-{_('statistics')}-{year}.xlsx"
    if downloads.is_large(Workstation.objects.for_committee(committee)):
        return downloads.queue_workbook(
            request, committee, workbook="statistics", year=year, title=filename
        )
    return xlsx_response(exports.yearly_statistics(committee, year), filename)
