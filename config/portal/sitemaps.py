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

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import Exists, Max, OuterRef, Q

from consultations.models import Activity, Consultation
from members.models import Member
from members.selectors import has_public_page
from outcomes.selectors import public_outcomes
from workstations.models import Committee, Workstation

PAGE_SIZE = 5000


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


class KeysetSitemap(Sitemap):
    limit = PAGE_SIZE
    #: The field a row's last change is read from (None: no lastmod).
    changed_field: str | None = "updated_at"

    @property
    def paginator(self):
        return KeysetPaginator(self.items(), self.limit)

    def lastmod(self, obj):
        return getattr(obj, self.changed_field) if self.changed_field else None

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
        return Activity.objects.published().select_related("workstation__committee")


class ConsultationSitemap(KeysetSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Consultation.objects.published().select_related("workstation__committee")


class OutcomeSitemap(KeysetSitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return public_outcomes().select_related("committee")


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
