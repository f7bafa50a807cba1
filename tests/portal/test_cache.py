"""Public pages from the shared cache: served without the database to the next anonymous
visitor, afresh as soon as something the committee shows changes, never for the signed-in."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from consultations.models import Activity
from consultations.services.activities import activity_approve
from consultations.services.messages import message_answer
from tests.factories import (
    ActivityFactory,
    AreaFactory,
    PublicMessageFactory,
    WorkstationFactory,
)
from workstations.services import workstations_set_published

pytestmark = pytest.mark.django_db


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def submitted(portal, title: str) -> Activity:
    """An activity of the portal's workstation waiting for review."""
    return ActivityFactory(
        workstation=portal.workstation,
        type=portal.type,
        title=title,
        status=Activity.Status.SUBMITTED,
        approved_at=None,
    )


def test_the_second_visitor_gets_the_page_without_the_database(portal):
    url = f"/{portal.county.slug}/"
    first, _n = get(Client(), url)
    second, queries = get(Client(), url)
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert queries == 0
    assert second.content == first.content


def test_an_approval_shows_at_once(portal):
    url = f"/{portal.county.slug}/activities/"
    get(Client(), url)
    waiting = submitted(portal, "刚刚审核的活动")
    assert "刚刚审核的活动" not in get(Client(), url)[0].content.decode()
    activity_approve(activity=waiting, by=portal.hanshan.staff)
    response, _n = get(Client(), url)
    assert response["X-Page-Cache"] == "miss"
    assert "刚刚审核的活动" in response.content.decode()


def test_a_countys_change_reaches_its_citys_page(portal):
    city = f"/{portal.county.parent.slug}/"
    get(Client(), city)
    ActivityFactory(workstation=portal.workstation, type=portal.type)
    assert get(Client(), city)[0]["X-Page-Cache"] == "miss"


def test_signed_in_visitors_are_never_served_from_the_cache(portal, login):
    url = f"/{portal.county.slug}/"
    get(Client(), url)
    response, _n = get(login(portal.hanshan.staff), url)
    assert "X-Page-Cache" not in response


def test_each_language_has_its_own_copy(portal):
    url = f"/{portal.county.slug}/"
    get(Client(), url)
    english = Client()
    english.cookies["django_language"] = "en"
    response, _n = get(english, url)
    assert response["X-Page-Cache"] == "miss"
    assert response["Content-Language"] == "en"


def test_forms_are_never_cached(portal):
    url = f"{portal.workstation.get_absolute_url()}message/"
    get(Client(), url)
    assert "X-Page-Cache" not in get(Client(), url)[0]


def test_the_finder_lists_a_newly_published_workstations_town(portal):
    """The finder's options are kept under the committee's version: publishing a workstation
    in a town not listed yet lists the town at once, on any address."""
    get(Client(), f"/{portal.county.slug}/")
    town = AreaFactory(committee=portal.county, name="仙踪镇")
    waiting = WorkstationFactory(committee=portal.county, area=town, is_published=False)
    assert "仙踪镇" not in get(Client(), f"/{portal.county.slug}/?from=a")[0].content.decode()
    workstations_set_published(workstations=[waiting], published=True)
    for address in ("/", "/workstations/"):
        content = get(Client(), f"/{portal.county.slug}{address}")[0].content.decode()
        assert f'<option value="{town.pk}">仙踪镇</option>' in content


def test_a_workstations_pages_share_what_lies_below_its_activities(portal):
    """Members, consultations, outcomes and replies are kept once under the committee's
    version: another address of the same workstation does not fetch them again."""
    url = portal.workstation.get_absolute_url()
    first, first_queries = get(Client(), url)
    other, other_queries = get(Client(), f"{url}?page=2")
    assert other["X-Page-Cache"] == "miss"
    assert other_queries < first_queries
    assert portal.member.name in other.content.decode()


def test_a_reply_shows_at_once_on_every_address_of_its_workstation(portal):
    message = PublicMessageFactory(workstation=portal.workstation, reply_may_be_published=True)
    url = portal.workstation.get_absolute_url()
    get(Client(), url)
    message_answer(message=message, reply="路灯已于本周修好。", by=portal.hanshan.staff)
    for address in (url, f"{url}?page=2"):
        assert "路灯已于本周修好。" in get(Client(), address)[0].content.decode()


def test_a_search_counts_an_approval_at_once(portal):
    """A search's counts are kept under the committee's version: an activity approved since the
    same search counts and shows at once."""
    url = f"/{portal.county.slug}/search/?q=老年食堂&type=activities"
    assert "老年食堂开张" not in get(Client(), url)[0].content.decode()
    waiting = submitted(portal, "老年食堂开张")
    activity_approve(activity=waiting, by=portal.hanshan.staff)
    assert "老年食堂开张" in get(Client(), url)[0].content.decode()
