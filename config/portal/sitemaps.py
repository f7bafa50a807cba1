"""The sitemap of every brand's public pages (``/sitemap.xml`` and its sections).

Built for a province of a million activities: the index asks each section two aggregates (its
table's highest id, its table's latest change), each answered by one end of an index, and never
iterates rows (nor filters them: a range of ids with nothing published in it is an empty page,
and the latest change may be of a record not yet published); a section's pages are ranges of ids
(``KeysetPaginator``: page 3 of activities is ids 10,001 to 15,000 that are published), read by
an index, however deep the page; both are cached under the site's version.
"""

from __future__ import annotations

import calendar
import datetime
import math
from collections.abc import Sequence
from xml.sax.saxutils import escape

from django.contrib.sitemaps import Sitemap
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Exists, Max, OuterRef, Q
from django.db.models.functions import TruncDate
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date

from consultations.models import Activity, Consultation
from members.models import Member
from members.selectors import has_public_page
from outcomes.models import Outcome
from outcomes.selectors import public_outcomes
from workstations.models import Committee, Workstation

# Rows per section page: a page is written in well under a second even when every id of its
# range is published (the protocol allows 50,000; a crawler takes hundreds of pages gladly).
PAGE_SIZE = 1000


class KeysetPage(Sequence):
    def __init__(self, object_list, number: int):
        self.object_list = list(object_list)
        self.number = number

    def __len__(self) -> int:
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]


class KeysetPaginator:
    """Pages of at most ``per_page`` rows by ranges of ids: page n holds the rows whose id is
    in ((n-1)·per_page, n·per_page]. A page may hold fewer rows than that (ids of unpublished
    rows are gaps), none is ever read by an offset."""

    def __init__(self, queryset, per_page: int, *, model=None):
        """``queryset``: the rows, or a function that makes them when a page is read (the
        index only counts pages, from ``model``'s table)."""
        self.queryset = queryset
        self.per_page = per_page
        self.model = model if model is not None else queryset.model

    @property
    def num_pages(self) -> int:
        # The table's highest id, read off the primary key's index: the published rows' own
        # highest id would make the database look at every published row.
        highest = self.model._base_manager.aggregate(m=Max("pk"))["m"] or 0
        return max(1, math.ceil(highest / self.per_page))

    def page(self, number) -> KeysetPage:
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1 or number > self.num_pages:
            raise EmptyPage("That page contains no results")
        low = (number - 1) * self.per_page
        queryset = self.queryset() if callable(self.queryset) else self.queryset
        rows = queryset.filter(pk__gt=low, pk__lte=low + self.per_page).order_by("pk")
        return KeysetPage(rows, number)


def _address(name: str, varying: str, value, **kwargs) -> str:
    """``reverse(name, kwargs={**kwargs, varying: value})``, reversed once per committee: a
    section page writes thousands of addresses of a few committees. ``value``: a record's id or
    slug (ASCII: what reverse would not quote)."""
    key = (name, varying, *sorted(kwargs.items()))
    pattern = _PATTERNS.get(key)
    if pattern is None:
        pattern = _PATTERNS[key] = reverse(name, kwargs={**kwargs, varying: _VARYING})
    return pattern.replace(_VARYING, str(value))


# Stands for the varying part of an address reversed once per committee (``_address``).
_VARYING = "987654321"  # digits: what an int and a slug both take
_PATTERNS: dict[tuple, str] = {}


class KeysetSitemap(Sitemap):
    limit = PAGE_SIZE
    #: The field a row's last change is read from (None: no lastmod).
    changed_field: str | None = "updated_at"

    #: The section's table.
    model = None

    @property
    def paginator(self):
        return KeysetPaginator(self.items, self.limit, model=self.model)

    def lastmod(self, obj):
        return getattr(obj, self.changed_field) if self.changed_field else None

    def get_latest_lastmod(self):
        """The latest change in the section's table (from the end of its index on
        ``changed_field``): a crawler comes back a little more often than it strictly must."""
        if not self.changed_field:
            return None
        return self.model._base_manager.aggregate(latest=Max(self.changed_field))["latest"]


class CommitteeSitemap(KeysetSitemap):
    changefreq = "daily"
    priority = 0.8
    model = Committee
    changed_field = None

    def items(self):
        return Committee.objects.filter(
            Q(brand_name__gt="")
            | Q(Exists(Workstation.objects.published().filter(committee=OuterRef("pk"))))
        )


class RowSitemap(KeysetSitemap):
    """A big section, read as plain rows: (the address's varying part, the committee's slug, the
    day of the last change), the day counted in the site's time zone by the database. A page of
    2,000 model objects, each reversing its own address, took ten times as long."""

    #: The address's name and the keyword that varies from row to row (the rest is the
    #: committee's slug).
    address: tuple[str, str] = ("", "pk")

    def rows(self):
        """The published records, as ``values_list(varying part, committee's slug)``."""
        raise NotImplementedError

    def items(self):
        return (
            self.rows()
            .annotate(changed=TruncDate(self.changed_field))
            .values_list(*self.rows()._fields, "changed")
        )

    def lastmod(self, obj):
        return obj[2]

    def location(self, obj) -> str:
        name, varying = self.address
        return _address(name, varying, obj[0], committee=obj[1])


class WorkstationSitemap(RowSitemap):
    changefreq = "weekly"
    priority = 0.7
    model = Workstation
    address = ("public:workstation", "workstation")

    def rows(self):
        return Workstation.objects.published().values_list("slug", "committee__slug")


class ActivitySitemap(RowSitemap):
    changefreq = "monthly"
    priority = 0.5
    model = Activity
    address = ("public:activity", "pk")

    def rows(self):
        return Activity.objects.published().values_list("pk", "workstation__committee__slug")


class ConsultationSitemap(RowSitemap):
    changefreq = "weekly"
    priority = 0.5
    model = Consultation
    address = ("public:consultation", "pk")

    def rows(self):
        return Consultation.objects.published().values_list("pk", "workstation__committee__slug")


class OutcomeSitemap(RowSitemap):
    changefreq = "monthly"
    priority = 0.6
    model = Outcome
    address = ("public:outcome", "pk")

    def rows(self):
        return public_outcomes().values_list("pk", "committee__slug")


class MemberSitemap(RowSitemap):
    changefreq = "monthly"
    priority = 0.4
    model = Member
    address = ("public:member", "member")

    def rows(self):
        return Member.objects.filter(has_public_page()).values_list("pk", "committee__slug")


SITEMAPS = {
    "brands": CommitteeSitemap,
    "workstations": WorkstationSitemap,
    "activities": ActivitySitemap,
    "consultations": ConsultationSitemap,
    "outcomes": OutcomeSitemap,
    "members": MemberSitemap,
}


def section(request: HttpRequest, sitemaps: dict, section: str) -> HttpResponse:
    """A section page of the sitemap (``/sitemap-activities.xml?p=3``): what Django's sitemap
    view writes, written row by row without a template nor Django's per-row lookups (a section's
    ``changefreq`` and ``priority`` are one value for all its rows): a page of 2,000 addresses
    in a few tens of milliseconds."""
    if section not in sitemaps:
        raise Http404(f"No sitemap available for section: {section!r}")
    sitemap = sitemaps[section]()
    try:
        page = sitemap.paginator.page(request.GET.get("p", 1))
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such page") from None
    base = f"{request.scheme}://{get_current_site(request).domain}"
    tail = ""
    if sitemap.changefreq:
        tail += f"<changefreq>{sitemap.changefreq}</changefreq>"
    if sitemap.priority:
        tail += f"<priority>{sitemap.priority}</priority>"
    tail += "</url>"
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    ]
    latest = None
    for obj in page:
        changed = sitemap.lastmod(obj)
        loc = escape(base + sitemap.location(obj))
        if changed:
            if isinstance(changed, datetime.datetime):
                changed = timezone.localdate(changed)
            if latest is None or changed > latest:
                latest = changed
            parts.append(f"<url><loc>{loc}</loc><lastmod>{changed.isoformat()}</lastmod>")
        else:
            parts.append(f"<url><loc>{loc}</loc>")
        parts.append(tail)
    parts.append("</urlset>\n")
    response = HttpResponse("".join(parts), content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    if latest is not None:  # the day of the latest change, read as its midnight
        response["Last-Modified"] = http_date(calendar.timegm(latest.timetuple()))
    return response


def index(request: HttpRequest, sitemaps: dict) -> HttpResponse:
    """The sitemap index (``/sitemap.xml``): every page of every section, with the section's
    latest change; Django's index view, written without a template (a province's index lists
    hundreds of pages)."""
    site = get_current_site(request)
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    ]
    latest_of_all = None
    for name, sitemap_class in sitemaps.items():
        sitemap = sitemap_class()
        address = escape(
            f"{request.scheme}://{site.domain}"
            f"{reverse('sitemap_section', kwargs={'section': name})}"
        )
        latest = sitemap.get_latest_lastmod()
        changed = f"<lastmod>{latest.isoformat()}</lastmod>" if latest else ""
        if latest and (latest_of_all is None or latest > latest_of_all):
            latest_of_all = latest
        parts.append(f"<sitemap><loc>{address}</loc>{changed}</sitemap>")
        for page in range(2, sitemap.paginator.num_pages + 1):
            parts.append(f"<sitemap><loc>{address}?p={page}</loc>{changed}</sitemap>")
    parts.append("</sitemapindex>\n")
    response = HttpResponse("".join(parts), content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    if latest_of_all is not None:
        response["Last-Modified"] = http_date(latest_of_all.timestamp())
    return response
