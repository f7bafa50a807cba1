"""The list of brands (``/``) and a brand's home (``/<committee>/``) with its live figures.

A city's or a province's page rolls up the counties below it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from consultations.models import Activity
from outcomes.figures import committee_figures, figure_rows
from outcomes.selectors import public_outcomes
from workstations.models import Committee, Workstation

from .cache import cached_page
from .forms import WorkstationFilterForm
from .selectors import activity_items, workstation_cards
from .tenant import with_committee

LATEST = 6


# --- The list of brands ---------------------------------------------------------------------


@dataclass
class CityGroup:
    city: Committee | None
    committees: list[Committee] = field(default_factory=list)


@dataclass
class ProvinceGroup:
    province: Committee | None
    cities: dict[int | None, CityGroup] = field(default_factory=dict)

    def city_groups(self) -> list[CityGroup]:
        return list(self.cities.values())


def group_by_province_and_city(committees: list[Committee]) -> list[ProvinceGroup]:
    """Branded committees grouped under their province and city. A branded city or province
    heads its own group (its page rolls up the counties below it)."""
    provinces: dict[int | None, ProvinceGroup] = {}
    for c in committees:
        if c.level == Committee.Level.PROVINCE:
            province, city = c, None
        elif c.level == Committee.Level.CITY:
            province, city = c.parent, c
        elif c.parent is not None and c.parent.level == Committee.Level.CITY:
            province, city = c.parent.parent, c.parent
        else:  # a county directly under its province
            province, city = c.parent, None
        group = provinces.setdefault(province.pk if province else None, ProvinceGroup(province))
        city_group = group.cities.setdefault(city.pk if city else None, CityGroup(city))
        if c.level == Committee.Level.COUNTY:
            city_group.committees.append(c)
    return sorted(provinces.values(), key=lambda g: g.province.name if g.province else "")


def home(request: HttpRequest) -> HttpResponse:
    committees = list(
        Committee.objects.with_brand()
        .select_related("parent__parent")
        .order_by("parent__parent__name", "parent__name", "name")
    )
    return render(request, "portal/home.html", {"groups": group_by_province_and_city(committees)})


# --- A brand ---------------------------------------------------------------------------------


@cached_page
@with_committee
def brand_home(request: HttpRequest, committee: Committee) -> HttpResponse:
    year = timezone.localdate().year
    figures = committee_figures(committee, year)
    workstations = workstation_cards(
        Workstation.objects.published().for_committee(committee).order_by("kind", "name")
    )
    context = {
        "committee": committee,
        "year": year,
        "figures": figures,
        "figure_rows": figure_rows(figures),
        "activities": activity_items(Activity.objects.published().for_committee(committee))[
            :LATEST
        ],
        "outcomes": public_outcomes().for_committee(committee).select_related("committee")[:LATEST],
        "workstations": workstations[:LATEST],
        "filter_form": WorkstationFilterForm(committee=committee),
        "children": committee.children.order_by("name"),
    }
    return render(request, "portal/brand_home.html", context)
