"""On PostgreSQL, the public search is served by indexes: two Chinese characters by the list of
pairs of characters, three or more by the trigram indexes; and it finds the rows."""

from __future__ import annotations

import pytest
from django.db import connection

from consultations.models import Activity
from tests.factories import ActivityFactory
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


def test_three_characters_use_a_trigram_index_and_find_the_row(activities):
    found = Activity.objects.filter(matching(Activity, "教育均"))
    assert list(found) == [activities[1]]
    assert "_trgm" in plan(found.order_by())


def test_the_pairs_follow_the_text_when_it_changes(activities):
    activity = activities[0]
    activity.title = "读书分享会"
    activity.save(update_fields=["title"])
    assert "读书" in grams(activity.title)
    assert list(Activity.objects.filter(matching(Activity, "读书"))) == [activity]
    assert not Activity.objects.filter(matching(Activity, "养老")).exists()
