"""Every public page, page by page: what is published shows, nothing else ever does."""

from __future__ import annotations

import math

import pytest
from django.test import Client
from django.urls import reverse

from config.portal.sitemaps import PAGE_SIZE
from tests.factories import (
    ActivityFactory,
    ConsultationFactory,
    MemberFactory,
    MembershipFactory,
    OutcomeFactory,
    WorkstationFactory,
)

from .conftest import PRIVATE_VALUES, SECRET

pytestmark = pytest.mark.django_db


def _sitemap_page(section: str, pk: int) -> str:
    """The section's page that holds the row with this id (pages are ranges of ids, and ids on
    PostgreSQL keep growing from one test to the next)."""
    return f"/sitemap-{section}.xml?p={math.ceil(pk / PAGE_SIZE)}"


def public_pages(p) -> dict[str, tuple[str, list[str]]]:
    """name → (address, strings the page must show)."""
    c, ws = p.county.slug, p.workstation.slug
    return {
        "home": ("/", ["含您协商"]),
        "brand_home": (
            f"/{c}/",
            ["含您协商", p.workstation.name, p.activity.title, p.outcome.title],
        ),
        "city_brand_home": (f"/{p.county.parent.slug}/", [p.workstation.name, p.activity.title]),
        "province_brand_home": (f"/{p.county.parent.parent.slug}/", [p.workstation.name]),
        "workstation_list": (f"/{c}/workstations/", [p.workstation.name]),
        "workstation_list_filtered": (
            f"/{c}/workstations/?kind=workstation&sector={p.workstation.sector_id}",
            [p.workstation.name],
        ),
        "workstation": (
            f"/{c}/workstations/{ws}/",
            [
                p.workstation.name,
                p.member.name,
                p.hanshan.convener.name,
                p.activity.title,
                p.consultation.topic,
                p.outcome.title,
                "已联系供电所修复。",
                "有场所",
                reverse("public:message_form", args=[c, ws]),
            ],
        ),
        "poster": (f"/{c}/workstations/{ws}/poster/", [p.workstation.name, "<svg", p.member.name]),
        "activity_list": (f"/{c}/activities/", [p.activity.title]),
        "activity": (
            f"/{c}/activities/{p.activity.pk}/",
            [p.activity.title, p.member.name, p.workstation.name, "委员进社区报道"],
        ),
        "consultation": (
            f"/{c}/consultations/{p.consultation.pk}/",
            [p.consultation.topic, "走访住户六十户。", p.outcome.title, p.workstation.name],
        ),
        "outcome_list": (f"/{c}/outcomes/", [p.outcome.title]),
        "outcome": (
            f"/{c}/outcomes/{p.outcome.pk}/",
            [p.outcome.title, p.member.name, p.consultation.topic, p.workstation.name],
        ),
        "member": (f"/{c}/members/{p.member.pk}/", [p.member.name, p.workstation.name]),
        "member_card": (f"/{c}/members/{p.member.pk}/card/", [p.member.name, "<svg"]),
        "search": (f"/{c}/search/?q=宣讲", [p.activity.title]),
        # Unpublished things have 未发布, 草稿 or 活动 in their names; the search finds none.
        "search_secret": (f"/{c}/search/?q=未发布", []),
        "search_secret_workstations": (f"/{c}/search/?q=未发布&type=workstations", []),
        "search_secret_outcomes": (f"/{c}/search/?q=草稿&type=outcomes", []),
        "search_secret_activities": (f"/{c}/search/?q=活动&type=activities", []),
        "feed": (f"/{c}/feed/", [p.activity.title]),
        "city_feed": (f"/{p.county.parent.slug}/feed/", [p.activity.title]),
        "sitemap": ("/sitemap.xml", ["sitemap-activities.xml"]),
        "sitemap_workstations": (
            _sitemap_page("workstations", p.workstation.pk),
            [ws],
        ),
        "sitemap_activities": (
            _sitemap_page("activities", p.activity.pk),
            [f"/activities/{p.activity.pk}/"],
        ),
        "sitemap_consultations": (
            _sitemap_page("consultations", p.consultation.pk),
            [str(p.consultation.pk)],
        ),
        "sitemap_outcomes": (
            _sitemap_page("outcomes", p.outcome.pk),
            [f"/outcomes/{p.outcome.pk}/"],
        ),
        "sitemap_members": (_sitemap_page("members", p.member.pk), [f"/members/{p.member.pk}/"]),
        "sitemap_brands": (_sitemap_page("brands", p.county.pk), [f"/{c}/"]),
        "track": ("/track/", []),
        "track_message": (
            f"/track/?code={p.answered.tracking_code}",
            ["路灯坏了。", "已联系供电所修复。"],
        ),
        "message_form": (f"/{c}/workstations/{ws}/message/", [p.workstation.name]),
    }


PAGE_NAMES = [
    "home",
    "brand_home",
    "city_brand_home",
    "province_brand_home",
    "workstation_list",
    "workstation_list_filtered",
    "workstation",
    "poster",
    "activity_list",
    "activity",
    "consultation",
    "outcome_list",
    "outcome",
    "member",
    "member_card",
    "search",
    "search_secret",
    "search_secret_workstations",
    "search_secret_outcomes",
    "search_secret_activities",
    "feed",
    "city_feed",
    "sitemap",
    "sitemap_workstations",
    "sitemap_activities",
    "sitemap_consultations",
    "sitemap_outcomes",
    "sitemap_members",
    "sitemap_brands",
    "track",
    "track_message",
    "message_form",
]


@pytest.mark.parametrize("name", PAGE_NAMES)
def test_public_page_shows_what_is_published_and_nothing_else(client, portal, name):
    url, expected = public_pages(portal)[name]
    response = client.get(url)
    assert response.status_code == 200, url
    content = response.content.decode()
    for text in expected:
        assert text in content, f"{text!r} missing from {url}"
    assert SECRET not in content, f"something unpublished on {url}"
    for value in PRIVATE_VALUES:
        assert value not in content, f"private value {value} on {url}"


@pytest.mark.parametrize(
    "url",
    [
        "/{c}/workstations/hidden-ws/",
        "/{c}/workstations/hidden-ws/poster/",
        "/{c}/workstations/hidden-ws/message/",
        "/{c}/members/{hidden_member}/",
        "/{c}/members/{hidden_member}/card/",
        "/{c}/members/{past_member}/",
        "/{c}/consultations/{secret_consultation}/",
        "/no-such-committee/",
        "/no-such-committee/workstations/",
    ],
)
def test_unpublished_pages_are_not_found(client, portal, url):
    url = url.format(
        c=portal.county.slug,
        hidden_member=portal.hidden_member.pk,
        past_member=portal.past_member.pk,
        secret_consultation=portal.secret_consultation.pk,
    )
    assert client.get(url).status_code == 404


def test_draft_returned_submitted_activities_are_not_found(client, portal):
    for activity in portal.secret_activities:
        assert client.get(f"/{portal.county.slug}/activities/{activity.pk}/").status_code == 404


def test_draft_unpublished_outcomes_and_those_of_unpublished_workstations_are_not_found(
    client, portal
):
    for outcome in portal.secret_outcomes:
        assert client.get(f"/{portal.county.slug}/outcomes/{outcome.pk}/").status_code == 404


def test_another_countys_objects_under_this_countys_address_are_not_found(client, portal):
    other = portal.other
    activity = ActivityFactory(workstation=other.workstation)
    consultation = ConsultationFactory(workstation=other.workstation)
    outcome = OutcomeFactory(committee=other.committee, workstation=other.workstation)
    c = portal.county.slug
    for url in [
        f"/{c}/workstations/{other.workstation.slug}/",
        f"/{c}/workstations/{other.workstation.slug}/poster/",
        f"/{c}/workstations/{other.workstation.slug}/message/",
        f"/{c}/activities/{activity.pk}/",
        f"/{c}/consultations/{consultation.pk}/",
        f"/{c}/outcomes/{outcome.pk}/",
        f"/{c}/members/{other.member.pk}/",
        f"/{c}/members/{other.member.pk}/card/",
    ]:
        assert client.get(url).status_code == 404, url
    # Under their own county's address they are found.
    assert client.get(activity.get_absolute_url()).status_code == 200
    assert client.get(outcome.get_absolute_url()).status_code == 200


def test_a_city_page_rolls_up_but_objects_live_under_their_county(client, portal):
    city = portal.county.parent.slug
    response = client.get(f"/{city}/")
    assert portal.workstation.get_absolute_url() in response.content.decode()
    # The county's objects are not reached under the city's address: one canonical address.
    assert client.get(f"/{city}/activities/{portal.activity.pk}/").status_code == 404
    # Another province's county does not roll up into this city.
    other = WorkstationFactory(committee=portal.other.committee, name="惠民专属工作室")
    assert other.name not in client.get(f"/{city}/workstations/").content.decode()


def test_the_brand_list_groups_by_province_and_city(client, portal):
    content = client.get("/").content.decode()
    assert "安徽省政协" in content and "马鞍山市政协" in content
    assert "山东省政协" in content and "有事多商量·惠协商" in content
    assert content.index("马鞍山市政协") < content.index("含您协商")


def test_workstation_page_lists_only_publishable_replies(client, portal):
    content = client.get(portal.workstation.get_absolute_url()).content.decode()
    assert "已联系供电所修复。" in content
    assert portal.private_reply.reply not in content
    assert portal.hidden_message.text not in content
    assert portal.answered.name not in content  # never the resident's name


def test_the_resident_sees_their_reply_by_code_even_if_not_published(client, portal):
    content = client.get(f"/track/?code={portal.private_reply.tracking_code}").content.decode()
    assert portal.private_reply.reply in content


def test_a_hidden_message_is_not_found_by_its_code(client, portal):
    content = client.get(f"/track/?code={portal.hidden_message.tracking_code}").content.decode()
    assert "No message has this tracking code" in content
    assert portal.hidden_message.text not in content


def test_a_member_who_left_or_sits_nowhere_published_is_not_linked(client, portal):
    lonely = MemberFactory(committee=portal.county, name="无工作室委员")
    ActivityFactory(
        workstation=portal.workstation,
        type=portal.type,
        title="带无工作室委员的活动",
        participants=[lonely],
    )
    content = client.get(f"/{portal.county.slug}/activities/").content.decode()
    assert "带无工作室委员的活动" in content
    activity = portal.workstation.activities.get(title="带无工作室委员的活动")
    content = client.get(activity.get_absolute_url()).content.decode()
    assert lonely.name in content
    assert f"/members/{lonely.pk}/" not in content
    assert client.get(f"/{portal.county.slug}/members/{lonely.pk}/").status_code == 404


def test_a_member_page_lists_only_published_workstations(client, portal):
    MembershipFactory(member=portal.member, workstation=portal.hidden_workstation)
    content = client.get(portal.member.get_absolute_url()).content.decode()
    assert portal.workstation.name in content
    assert portal.hidden_workstation.name not in content


def test_workstation_filter_by_town_and_kind(client, portal):
    town = portal.workstation.area
    room = WorkstationFactory(
        committee=portal.county, name="城东协商议事室", kind="consultation_room", area=town
    )
    c = portal.county.slug
    content = client.get(f"/{c}/workstations/?town={town.pk}").content.decode()
    assert portal.workstation.name in content and room.name in content
    assert portal.hanshan.other_workstation.name not in content
    content = client.get(f"/{c}/workstations/?kind=consultation_room").content.decode()
    assert room.name in content and portal.workstation.name not in content


def test_bad_filter_values_show_everything_and_say_so(client, portal):
    response = client.get(f"/{portal.county.slug}/workstations/?town=999999&kind=nonsense")
    assert response.status_code == 200
    assert portal.workstation.name in response.content.decode()


def test_pages_have_titles_and_descriptions(client, portal):
    for url in [f"/{portal.county.slug}/", portal.workstation.get_absolute_url()]:
        content = client.get(url).content.decode()
        assert "<title>" in content and '<meta name="description" content="' in content
    content = client.get(portal.workstation.get_absolute_url()).content.decode()
    assert f"<title>{portal.workstation.name} · 含您协商</title>" in content


def test_chinese_by_default_with_a_switch_to_english(portal):
    client = Client()
    response = client.get(f"/{portal.county.slug}/")
    assert response.headers["Content-Language"] == "zh-hans"
    assert 'name="language" value="en"' in response.content.decode()
    response = client.post("/i18n/setlang/", {"language": "en", "next": f"/{portal.county.slug}/"})
    assert response.status_code == 302
    response = client.get(f"/{portal.county.slug}/")
    assert response.headers["Content-Language"] == "en"
    assert 'name="language" value="zh-hans"' in response.content.decode()


def test_the_feed_is_atom_with_published_activities_only(client, portal):
    response = client.get(f"/{portal.county.slug}/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    content = response.content.decode()
    assert portal.activity.title in content and SECRET not in content


def test_a_city_filters_its_workstations_by_county_and_sector_name(client, portal):
    city = portal.county.parent
    page = client.get(f"/{city.slug}/").content.decode()
    assert f'value="{portal.county.pk}"' in page  # the county, not its towns
    assert 'name="town"' not in page
    sector = portal.workstation.sector.name
    content = client.get(
        f"/{city.slug}/workstations/?county={portal.county.pk}&sector_name={sector}"
    ).content.decode()
    assert portal.workstation.name in content


def test_a_search_counts_up_to_a_thousand_and_says_more(client, portal, monkeypatch):
    from config.portal import search

    monkeypatch.setattr(search, "COUNTED_AT_MOST", 0)
    content = client.get(f"/{portal.county.slug}/search/?q={portal.workstation.name}").content
    assert '<span class="count">0+</span>' in content.decode()


@pytest.mark.parametrize("q", ["养老服务", "养老"])
def test_a_phrase_with_more_matches_than_counted_lists_them_newest_first(hanshan, monkeypatch, q):
    """Past the count, a province's search reads the phrase by its text alone (``matching``'s
    ``common``; two characters are their pair): the same results, newest first."""
    import datetime

    from django.utils import timezone

    from config.portal import search
    from tests.factories import ActivityFactory

    monkeypatch.setattr(search, "COUNTED_AT_MOST", 2)
    today = timezone.localdate()
    _oldest, older, newer = (
        ActivityFactory(
            workstation=hanshan.workstation,
            title=f"居家养老服务{n}",
            date=today - datetime.timedelta(days=9 - n),
        )
        for n in range(3)
    )
    ActivityFactory(workstation=hanshan.workstation, title="义务教育调研", date=today)
    province = hanshan.committee.parent.parent
    response = Client().get(f"/{province.slug}/search/", {"q": q, "type": "activities"})
    assert [a.pk for a in response.context["page"]] == [newer.pk, older.pk]
    assert '<span class="count">2+</span>' in response.content.decode()


def _poster_with_members(hanshan, count: int) -> str:
    ws = WorkstationFactory(committee=hanshan.committee, area=hanshan.workstation.area)
    for i in range(1, count + 1):
        member = MemberFactory(committee=hanshan.committee, name=f"海报委员{i:02d}")
        MembershipFactory(member=member, workstation=ws)
    response = Client().get(f"/{hanshan.committee.slug}/workstations/{ws.slug}/poster/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_poster_lists_every_member_it_has_room_for(hanshan):
    html = _poster_with_members(hanshan, 8)
    assert all(f"海报委员{i:02d}" in html for i in range(1, 9))
    assert "名委员" not in html


def test_a_poster_with_more_members_than_room_says_how_many_in_all(hanshan):
    html = _poster_with_members(hanshan, 17)
    shown = [i for i in range(1, 18) if f"海报委员{i:02d}" in html]
    assert shown == list(range(1, 8))  # seven cards, and the eighth slot says the rest
    assert "等17名委员" in html
