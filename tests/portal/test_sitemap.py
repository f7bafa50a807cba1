"""The sitemap at province scale: the index from aggregates, its pages by ranges of ids."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.utils import timezone

from config.portal import sitemaps
from tests.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def test_a_page_holds_the_published_activities_of_its_range_of_ids(portal, monkeypatch):
    monkeypatch.setattr(sitemaps.ActivitySitemap, "limit", 2)
    extra = [ActivityFactory(workstation=portal.workstation, type=portal.type) for _ in range(4)]
    highest = extra[-1].pk
    site = sitemaps.ActivitySitemap()
    assert site.paginator.num_pages == -(-highest // 2)
    page = site.paginator.page(site.paginator.num_pages)
    assert [row[0] for row in page.object_list] == [
        a.pk for a in extra if a.pk > (highest - 1) // 2 * 2
    ]


def test_the_index_asks_two_aggregates_a_section(client, portal, django_assert_max_num_queries):
    cache.clear()
    with django_assert_max_num_queries(2 * len(sitemaps.SITEMAPS) + 2):
        assert client.get("/sitemap.xml").status_code == 200


def test_a_deep_page_reads_its_range_only(client, portal, django_assert_max_num_queries):
    cache.clear()
    with django_assert_max_num_queries(3):
        response = client.get("/sitemap-activities.xml", {"p": 1})
    assert response.status_code == 200
    assert client.get("/sitemap-activities.xml", {"p": 9999}).status_code == 404


NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_a_section_page_is_a_valid_urlset_with_each_published_address(client, portal):
    from xml.etree import ElementTree

    cache.clear()
    # The page of ranges of ids that holds the activity (ids run on from earlier tests).
    page = -(-portal.activity.pk // sitemaps.PAGE_SIZE)
    response = client.get("/sitemap-activities.xml", {"p": page})
    assert response["Content-Type"] == "application/xml"
    assert response["X-Robots-Tag"].startswith("noindex")
    root = ElementTree.fromstring(response.content)
    urls = {u.findtext("s:loc", namespaces=NS): u for u in root.findall("s:url", NS)}
    entry = urls[f"http://testserver{portal.activity.get_absolute_url()}"]
    # The day of the last change in the site's time zone.
    changed = timezone.localdate(portal.activity.updated_at)
    assert entry.findtext("s:lastmod", namespaces=NS) == changed.isoformat()
    assert entry.findtext("s:changefreq", namespaces=NS) == "monthly"
    for secret in portal.secret_activities:  # drafts, returned, of an unpublished workstation
        if -(-secret.pk // sitemaps.PAGE_SIZE) == page:
            assert f"http://testserver{secret.get_absolute_url()}" not in urls


@pytest.mark.parametrize("section", ["workstations", "members"])
def test_a_section_writes_each_records_own_address(client, portal, section):
    from xml.etree import ElementTree

    cache.clear()
    record = portal.workstation if section == "workstations" else portal.member
    page = -(-record.pk // sitemaps.PAGE_SIZE)
    root = ElementTree.fromstring(client.get(f"/sitemap-{section}.xml", {"p": page}).content)
    locations = {u.findtext("s:loc", namespaces=NS) for u in root.findall("s:url", NS)}
    assert f"http://testserver{record.get_absolute_url()}" in locations


def test_the_index_lists_every_section_with_its_latest_change(client, portal):
    from xml.etree import ElementTree

    cache.clear()
    root = ElementTree.fromstring(client.get("/sitemap.xml").content)
    locations = [s.findtext("s:loc", namespaces=NS) for s in root.findall("s:sitemap", NS)]
    assert "http://testserver/sitemap-activities.xml" in locations
    assert "http://testserver/sitemap-brands.xml" in locations
    activities = root.find("s:sitemap[s:loc='http://testserver/sitemap-activities.xml']", NS)
    assert activities.findtext("s:lastmod", namespaces=NS)
