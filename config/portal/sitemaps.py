"""The sitemap of every brand's public pages (``/sitemap.xml`` and its sections).

Built for a province of a million activities: the index asks each section two aggregates (its
table's highest id, its table's latest change), each answered by one end of an index, and never
iterates rows (nor filters them: a range of ids with nothing published in it is an empty page,
and the latest change may be of a record not yet published); a section's pages are ranges of ids
(``KeysetPaginator``: page 3 of activities is ids 10,001 to 15,000 that are published), read by
an index, however deep the page; both are cached under the site's version.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from xml.sax.saxutils import escape

from django.contrib.sitemaps import Sitemap
from django.contrib.sites.shortcuts import get_current_site
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Exists, F, Max, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.http import http_date

from consultations.models import Activity, Consultation
from members.models import Member
from members.selectors import has_public_page
from outcomes.selectors import public_outcomes
from workstations.models import Committee, Workstation

# Rows per section page: a page is written in well under a second even when every id of its
# range is published (the protocol allows 50,000; a crawler takes hundreds of pages gladly).
PAGE_SIZE = 2000
# Stands for a record's id in an address reversed once per committee (``_address``).
_ID = 987654321


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

    def __init__(self, queryset, per_page: int):
        self.queryset = queryset
        self.per_page = per_page

    @property
    def num_pages(self) -> int:
        # The table's highest id, read off the primary key's index: the published rows' own
        # highest id would make the database look at every published row.
        highest = self.queryset.model._base_manager.aggregate(m=Max("pk"))["m"] or 0
        return max(1, math.ceil(highest / self.per_page))

    def page(self, number) -> KeysetPage:
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1 or number > self.num_pages:
            raise EmptyPage("That page contains no results")
        low = (number - 1) * self.per_page
        rows = self.queryset.filter(pk__gt=low, pk__lte=low + self.per_page).order_by("pk")
        return KeysetPage(rows, number)


def _address(name: str, record_id: int, **kwargs) -> str:
    """``reverse(name, kwargs={**kwargs, "pk": record_id})``, reversed once per committee: a
    section page writes thousands of addresses of a few committees."""
    key = (name, *sorted(kwargs.items()))
    pattern = _PATTERNS.get(key)
    if pattern is None:
        pattern = _PATTERNS[key] = reverse(name, kwargs={**kwargs, "pk": _ID})
    return pattern.replace(str(_ID), str(record_id))


_PATTERNS: dict[tuple, str] = {}


class KeysetSitemap(Sitemap):
    limit = PAGE_SIZE
    #: The field a row's last change is read from (None: no lastmod).
    changed_field: str | None = "updated_at"

    @property
    def paginator(self):
        return KeysetPaginator(self.items(), self.limit)

    def lastmod(self, obj):
        if not self.changed_field:
            return None
        # The big sections read plain rows (``values``), not models: a page is 2,000 of them.
        return (
            obj[self.changed_field] if isinstance(obj, dict) else getattr(obj, self.changed_field)
        )

    def get_latest_lastmod(self):
        """The latest change in the section's table (from the end of its index on
        ``changed_field``): a crawler comes back a little more often than it strictly must."""
        if not self.changed_field:
            return None
        model = self.items().model
        return model._base_manager.aggregate(latest=Max(self.changed_field))["latest"]


class CommitteeSitemap(KeysetSitemap):
    changefreq = "daily"
    priority = 0.8
    changed_field = None

    def items(self):
        return Committee.objects.filter(
            Q(brand_name__gt="")
            | Q(Exists(Workstation.objects.published().filter(committee=OuterRef("pk"))))
        )


class WorkstationSitemap(KeysetSitemap):
    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return Workstation.objects.published().select_related("committee")


class ActivitySitemap(KeysetSitemap):
    changefreq = "monthly"
    priority = 0.5

    def items(self):
        return Activity.objects.published().values(
            "pk", "updated_at", slug=F("workstation__committee__slug")
        )

    def location(self, obj) -> str:
        return _address("public:activity", obj["pk"], committee=obj["slug"])


class ConsultationSitemap(KeysetSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Consultation.objects.published().values(
            "pk", "updated_at", slug=F("workstation__committee__slug")
        )

    def location(self, obj) -> str:
        return _address("public:consultation", obj["pk"], committee=obj["slug"])


class OutcomeSitemap(KeysetSitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return public_outcomes().values("pk", "updated_at", slug=F("committee__slug"))

    def location(self, obj) -> str:
        return _address("public:outcome", obj["pk"], committee=obj["slug"])


class MemberSitemap(KeysetSitemap):
    changefreq = "monthly"
    priority = 0.4
    changed_field = "updated_at"

    def items(self):
        return Member.objects.filter(has_public_page()).select_related("committee")


SITEMAPS = {
    "brands": CommitteeSitemap,
    "workstations": WorkstationSitemap,
    "activities": ActivitySitemap,
    "consultations": ConsultationSitemap,
    "outcomes": OutcomeSitemap,
    "members": MemberSitemap,
}


def section(request: HttpRequest, sitemaps: dict, section: str) -> HttpResponse:
    """A section page of the sitemap (``/sitemap-activities.xml?p=3``): Django's sitemap view,
    written without a template (a template renders thousands of ``<url>`` at a tenth of the
    speed)."""
    if section not in sitemaps:
        raise Http404(f"No sitemap available for section: {section!r}")
    sitemap = sitemaps[section]()
    try:
        urls = sitemap.get_urls(
            page=request.GET.get("p", 1), site=get_current_site(request), protocol=request.scheme
        )
    except (EmptyPage, PageNotAnInteger):
        raise Http404("No such page") from None
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    ]
    for url in urls:
        parts.append(f"<url><loc>{escape(url['location'])}</loc>")
        if url["lastmod"]:
            parts.append(f"<lastmod>{url['lastmod'].date().isoformat()}</lastmod>")
        if url["changefreq"]:
            parts.append(f"<changefreq>{url['changefreq']}</changefreq>")
        if url["priority"]:
            parts.append(f"<priority>{url['priority']}</priority>")
        parts.append("</url>")
    parts.append("</urlset>\n")
    response = HttpResponse("".join(parts), content_type="application/xml")
    response["X-Robots-Tag"] = "noindex, noodp, noarchive"
    latest = getattr(sitemap, "latest_lastmod", None)
    if latest is not None:
        response["Last-Modified"] = http_date(latest.timestamp())
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
