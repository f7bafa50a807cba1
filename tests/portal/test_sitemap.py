"""The sitemap at province scale: the index from aggregates, its pages by ranges of ids."""

from __future__ import annotations

import pytest
from django.core.cache import cache

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
    assert [a.pk for a in page.object_list] == [
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
