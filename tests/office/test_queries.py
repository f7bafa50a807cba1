"""The office pages answer in a bounded number of queries, whatever the size of the county."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .conftest import LAST_YEAR, populate_county

pytestmark = pytest.mark.django_db

# Sessions, the user and the staff role, the committee, the switcher, the filters' choices,
# the board's workstations, requirements and their types, the counts, the idle members.
BOARD_QUERIES = 16


def _board(client, committee):
    url = reverse("office:board", kwargs={"committee": committee.slug})
    return client.get(url, {"year": LAST_YEAR})


@pytest.mark.slow
@pytest.mark.parametrize("size", [5, 60])
def test_the_board_takes_a_bounded_number_of_queries(
    size, hanshan, login, django_assert_max_num_queries
):
    county = populate_county(hanshan.committee, workstations=size, year=LAST_YEAR)
    assert len(county.activities) > size * 4  # a year of records
    client = login(hanshan.staff)
    with django_assert_max_num_queries(BOARD_QUERIES):
        response = _board(client, hanshan.committee)
    assert response.status_code == 200
    assert len(response.context["rows"]) == size + 2  # and the personas' two workstations


def test_the_board_does_not_query_per_workstation(hanshan, login):
    client = login(hanshan.staff)
    populate_county(hanshan.committee, workstations=5, year=LAST_YEAR)
    with CaptureQueriesContext(connection) as small:
        _board(client, hanshan.committee)
    populate_county(hanshan.committee, workstations=40, year=LAST_YEAR, seed=8, first=6)
    cache.clear()  # the records were made without the services, which would bump the versions
    with CaptureQueriesContext(connection) as large:
        _board(client, hanshan.committee)
    assert len(large) == len(small)
