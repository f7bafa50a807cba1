"""The sitemap of every brand's public pages (``/sitemap.xml`` and its sections)."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, Q

from consultations.models import Activity, Consultation
from members.models import Member
from members.selectors import has_public_page
from outcomes.models import Outcome
from outcomes.selectors import public_outcomes
from workstations.models import Committee, Workstation


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


class ActivitySitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.5
    limit = 5000

    def items(self):
        return Activity.objects.published().select_related("workstation__committee").order_by("pk")

    def lastmod(self, obj: Activity):
        return obj.updated_at


class ConsultationSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return (
            Consultation.objects.published().select_related("workstation__committee").order_by("pk")
        )

    def lastmod(self, obj: Consultation):
        return obj.updated_at


class OutcomeSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return public_outcomes().select_related("committee").order_by("pk")

    def lastmod(self, obj: Outcome):
        return obj.updated_at


class MemberSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4

    def items(self):
        return Member.objects.filter(has_public_page()).select_related("committee").order_by("pk")


SITEMAPS = {
    "brands": CommitteeSitemap,
    "workstations": WorkstationSitemap,
    "activities": ActivitySitemap,
    "consultations": ConsultationSitemap,
    "outcomes": OutcomeSitemap,
    "members": MemberSitemap,
}
