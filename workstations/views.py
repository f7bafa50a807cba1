"""Public pages of the organisation: the list of brands, a brand's home, its workstations, a
workstation's page and poster, and the search within a brand.

The tenant of a public page is the committee named by the first part of the address. It is
resolved once, by ``with_committee``, and every query of the page goes through it: an object of
another committee under this committee's address is a 404, exactly like an unknown one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from consultations.models import Activity, Consultation, PublicMessage
from members.selectors import public_memberships
from outcomes.figures import committee_figures, figure_rows
from outcomes.selectors import public_outcomes

from .forms import SearchForm, WorkstationFilterForm
from .models import Committee, StandardCheck, StandardItem, Workstation

WORKSTATIONS_PER_PAGE = 20
ACTIVITIES_PER_PAGE = 10
SEARCH_RESULTS_PER_PAGE = 20
LATEST = 6


def with_committee(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolve the ``committee`` slug of the address to the tenant (404 if unknown) and pass the
    committee to the view in its place."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, committee: str, **kwargs) -> HttpResponse:
        tenant = get_object_or_404(Committee.objects.select_related("parent"), slug=committee)
        request.committee = tenant
        return view(request, tenant, **kwargs)

    return wrapper


def published_workstation_or_404(committee: Committee, slug: str) -> Workstation:
    """A published workstation of ``committee`` itself: workstation addresses are unique per
    committee, so a city's address does not reach into its counties."""
    return get_object_or_404(
        Workstation.objects.published()
        .for_committee(committee, subtree=False)
        .select_related("committee", "area__parent", "sector"),
        slug=slug,
    )


def _workstation_cards(queryset):
    """What a workstation card shows: photos and the conveners in force."""
    return queryset.select_related("committee", "area", "sector").prefetch_related(
        "photos",
        Prefetch(
            "memberships",
            queryset=public_memberships()
            .conveners()
            .select_related("member")
            .order_by("member__name"),
            to_attr="public_conveners",
        ),
    )


def _latest_activities(queryset):
    return queryset.select_related("workstation__committee", "type").prefetch_related("photos")


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
    return render(
        request, "workstations/home.html", {"groups": group_by_province_and_city(committees)}
    )


# --- A brand ---------------------------------------------------------------------------------


@with_committee
def brand_home(request: HttpRequest, committee: Committee) -> HttpResponse:
    year = timezone.localdate().year
    figures = committee_figures(committee, year)
    workstations = _workstation_cards(
        Workstation.objects.published().for_committee(committee).order_by("kind", "name")
    )
    context = {
        "committee": committee,
        "year": year,
        "figures": figures,
        "figure_rows": figure_rows(figures),
        "activities": _latest_activities(Activity.objects.published().for_committee(committee))[
            :LATEST
        ],
        "outcomes": public_outcomes().for_committee(committee).select_related("committee")[:LATEST],
        "workstations": workstations[:LATEST],
        "filter_form": WorkstationFilterForm(committee=committee),
        "children": committee.children.order_by("name"),
    }
    return render(request, "workstations/brand_home.html", context)


@with_committee
def workstation_list(request: HttpRequest, committee: Committee) -> HttpResponse:
    form = WorkstationFilterForm(request.GET or None, committee=committee)
    workstations = form.filter(
        Workstation.objects.published().for_committee(committee).order_by("kind", "name")
    )
    page = Paginator(_workstation_cards(workstations), WORKSTATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "workstations/workstation_list.html",
        {"committee": committee, "form": form, "page": page},
    )


@dataclass
class ChecklistGroup:
    standard_name: str
    rows: list[tuple[StandardItem, StandardCheck | None]]


def _checklist(workstation: Workstation) -> list[ChecklistGroup]:
    """The committee's standards, item by item, with this workstation's state on each."""
    items = (
        StandardItem.objects.filter(standard__committee_id=workstation.committee_id)
        .select_related("standard")
        .order_by("standard__order", "standard__name", "order", "pk")
        .prefetch_related(
            Prefetch(
                "checks",
                queryset=StandardCheck.objects.filter(workstation=workstation),
                to_attr="this_workstation",
            )
        )
    )
    groups: dict[int, ChecklistGroup] = {}
    for item in items:
        group = groups.setdefault(item.standard_id, ChecklistGroup(item.standard.name, []))
        group.rows.append((item, item.this_workstation[0] if item.this_workstation else None))
    return list(groups.values())


@with_committee
def workstation_detail(
    request: HttpRequest, committee: Committee, workstation: str
) -> HttpResponse:
    ws = published_workstation_or_404(committee, workstation)
    activities = Paginator(
        _latest_activities(Activity.objects.published().filter(workstation=ws)),
        ACTIVITIES_PER_PAGE,
    ).get_page(request.GET.get("page"))
    context = {
        "committee": committee,
        "workstation": ws,
        "photos": list(ws.photos.all()),
        "memberships": public_memberships()
        .filter(workstation=ws)
        .select_related("member__sector", "member__committee")
        .order_by("role", "member__name"),
        "checklist": _checklist(ws),
        "activities": activities,
        "consultations": Consultation.objects.published()
        .filter(workstation=ws)
        .select_related("workstation__committee")[:10],
        "outcomes": public_outcomes().filter(workstation=ws).select_related("committee")[:10],
        # Only replies the resident agreed to publish; never a name or a mobile.
        "answered": PublicMessage.objects.visible()
        .filter(
            workstation=ws,
            reply_may_be_published=True,
            status__in=[PublicMessage.Status.ANSWERED, PublicMessage.Status.CLOSED],
        )
        .exclude(reply="")
        .only("category", "text", "reply", "replied_at", "created_at", "workstation_id")[:10],
    }
    return render(request, "workstations/workstation_detail.html", context)


@with_committee
def workstation_poster(
    request: HttpRequest, committee: Committee, workstation: str
) -> HttpResponse:
    """A printable A4 poster for the workstation's wall, with QR codes to its page and form."""
    ws = published_workstation_or_404(committee, workstation)
    context = {
        "committee": committee,
        "workstation": ws,
        "photo": ws.photos.first(),
        "memberships": public_memberships()
        .filter(workstation=ws)
        .select_related("member__sector")
        .order_by("role", "member__name"),
    }
    return render(request, "workstations/poster.html", context)


# --- Search ------------------------------------------------------------------------------------


def _search_querysets(committee: Committee, q: str) -> dict[str, object]:
    """Published workstations, activities and outcomes of the brand that mention ``q``.

    A plain case-insensitive substring match: fine for a county's few thousand items; a full-text
    index can replace it when a brand outgrows it.
    """
    return {
        "workstations": _workstation_cards(
            Workstation.objects.published()
            .for_committee(committee)
            .filter(
                Q(name__icontains=q)
                | Q(intro__icontains=q)
                | Q(address__icontains=q)
                | Q(theme__icontains=q)
            )
            .order_by("kind", "name")
        ),
        "activities": _latest_activities(
            Activity.objects.published()
            .for_committee(committee)
            .filter(Q(title__icontains=q) | Q(description__icontains=q) | Q(place__icontains=q))
        ),
        "outcomes": public_outcomes()
        .for_committee(committee)
        .filter(Q(title__icontains=q) | Q(summary__icontains=q))
        .select_related("committee"),
    }


@with_committee
def search(request: HttpRequest, committee: Committee) -> HttpResponse:
    form = SearchForm(request.GET or None)
    context = {"committee": committee, "form": form, "q": "", "page": None, "tabs": []}
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"]
        querysets = _search_querysets(committee, q)
        counts = {kind: qs.count() for kind, qs in querysets.items()}
        kind = form.cleaned_data["type"] or next(
            (k for k, n in counts.items() if n), "workstations"
        )
        labels = dict(SearchForm.base_fields["type"].choices)
        context.update(
            q=q,
            kind=kind,
            tabs=[(k, labels[k], n) for k, n in counts.items()],
            page=Paginator(querysets[kind], SEARCH_RESULTS_PER_PAGE).get_page(
                request.GET.get("page")
            ),
        )
    return render(request, "workstations/search.html", context)


# --- Sitemaps (assembled in config/urls.py) -----------------------------------------------------


class CommitteeSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.8

    def items(self):
        return Committee.objects.filter(
            Q(brand_name__gt="")
            | Q(Exists(Workstation.objects.published().filter(committee=OuterRef("pk"))))
        ).order_by("pk")


class WorkstationSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Workstation.objects.published().select_related("committee").order_by("pk")

    def lastmod(self, obj: Workstation):
        return obj.updated_at
