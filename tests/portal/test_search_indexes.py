"""On PostgreSQL, the public search is served by indexes: two Chinese characters by the list of
pairs of characters, three or more by the trigram indexes; and it finds the rows."""

from __future__ import annotations

import pytest
from django.db import connection

from consultations.models import Activity
from members.models import Member
from tests.factories import ActivityFactory, MemberFactory
from workstations.search import grams, matching

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes"),
]


def plan(queryset) -> str:
    with connection.cursor() as cursor:
        # With a few rows a sequential scan is cheaper; forbid it, to see which index serves.
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.fixture
def activities(hanshan):
    return [
        ActivityFactory(workstation=hanshan.workstation, title="居家养老服务进社区"),
        ActivityFactory(workstation=hanshan.workstation, title="义务教育均衡发展调研"),
    ]


def test_two_characters_use_the_index_of_pairs_and_find_the_row(activities):
    found = Activity.objects.filter(matching(Activity, "养老"))
    assert list(found) == [activities[0]]
    assert "consultations_activity_grams" in plan(found.order_by())


def test_three_characters_use_an_index_and_find_the_row(activities):
    found = Activity.objects.filter(matching(Activity, "教育均"))
    assert list(found) == [activities[1]]
    assert "_trgm" in plan(found.order_by()) or "_grams" in plan(found.order_by())


def test_a_common_phrase_in_a_whole_province_is_matched_by_its_text_alone(activities, hanshan):
    province = hanshan.committee.parent.parent
    found = Activity.objects.filter(matching(Activity, "教育均", within=province, common=True))
    assert list(found) == [activities[1]]
    assert "shangliang_search_pairs" not in str(found.query)
    # Within a county its token still narrows the index's lookup.
    county = Activity.objects.filter(
        matching(Activity, "教育均", within=hanshan.committee, common=True)
    )
    assert list(county) == [activities[1]] and "shangliang_search_pairs" in str(county.query)
    # Two characters are their pair, common or not.
    pair = Activity.objects.filter(matching(Activity, "养老", within=province, common=True))
    assert list(pair) == [activities[0]]


@pytest.fixture
def elsewhere(huimin):
    """The same words in another province's county."""
    return ActivityFactory(workstation=huimin.workstation, title="居家养老服务到农村：教育均衡")


@pytest.mark.parametrize("q", ["养老", "教育均"])
def test_within_a_committee_one_lookup_of_the_pairs_finds_its_rows_only(
    activities, elsewhere, hanshan, q
):
    found = Activity.objects.filter(matching(Activity, q, within=hanshan.committee))
    assert list(found) == [a for a in activities if q in a.title]
    assert "consultations_activity_grams" in plan(found.order_by())
    province = hanshan.committee.parent.parent  # no token asked for: the committee filter
    in_province = Activity.objects.for_committee(province)
    assert list(in_province.filter(matching(Activity, q, within=province))) == list(found)


def test_an_activity_is_found_where_its_workstation_moved(activities, hanshan, huimin):
    workstation = activities[0].workstation
    workstation.committee = huimin.committee
    workstation.save()
    assert list(Activity.objects.filter(matching(Activity, "养老", within=huimin.committee))) == [
        activities[0]
    ]
    assert not Activity.objects.filter(
        matching(Activity, "养老", within=hanshan.committee.parent)
    ).exists()


def test_the_pairs_follow_the_text_when_it_changes(activities):
    activity = activities[0]
    activity.title = "读书分享会"
    activity.save(update_fields=["title"])
    assert "读书" in grams(activity.title)
    assert list(Activity.objects.filter(matching(Activity, "读书"))) == [activity]
    assert not Activity.objects.filter(matching(Activity, "养老")).exists()


def test_a_county_moved_under_another_city_is_found_within_that_city(activities, hanshan, huimin):
    county = hanshan.committee
    county.parent = huimin.committee.parent
    county.save()
    city = huimin.committee.parent
    assert list(Activity.objects.filter(matching(Activity, "养老", within=city))) == [activities[0]]


def test_a_member_is_found_by_two_characters_of_the_name_through_the_index(hanshan):
    wang = MemberFactory(committee=hanshan.committee, name="王养老")
    MemberFactory(committee=hanshan.committee, name="李教育")
    found = Member.objects.filter(matching(Member, "养老", within=hanshan.committee))
    assert list(found) == [wang]
    assert "members_member_grams" in plan(found.order_by())


def test_the_index_reads_the_pairs_through_the_function_that_says_what_it_costs():
    with connection.cursor() as cursor:
        cursor.execute("SELECT procost FROM pg_proc WHERE proname = 'shangliang_search_pairs'")
        (cost,) = cursor.fetchone()
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'consultations_activity_grams'"
        )
        (definition,) = cursor.fetchone()
    assert cost > 1
    assert "shangliang_search_pairs(search_grams)" in definition
