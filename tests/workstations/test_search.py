"""The pairs of characters the search keeps (workstations.search), on every database."""

from __future__ import annotations

import pytest

from members.models import Member
from tests.factories import MemberFactory, WorkstationFactory
from workstations.models import Workstation
from workstations.search import grams, matching, scope_token


def test_pairs_never_span_two_fields_or_punctuation():
    assert grams("养老，服务", "社区") == "养老 服务 社区"


def test_pairs_are_case_folded():
    assert grams("AI课堂") == "ai i课 课堂"


@pytest.mark.django_db
def test_a_workstation_is_found_by_two_characters_of_its_intro(hanshan):
    ws = WorkstationFactory(committee=hanshan.committee, intro="关注居家养老。")
    assert list(Workstation.objects.filter(matching(Workstation, "养老"))) == [ws]
    assert "养老" in Workstation.objects.get(pk=ws.pk).search_grams


@pytest.mark.django_db
def test_a_bulk_write_keeps_the_pairs(hanshan):
    from workstations.history import bulk_create_with_history

    (ws,) = bulk_create_with_history(
        [
            Workstation(
                committee=hanshan.committee,
                name="鲁班工作室",
                slug="luban",
                kind="workstation",
                category="featured",
            )
        ],  # fmt: skip
        Workstation,
    )
    assert "鲁班" in Workstation.objects.get(pk=ws.pk).search_grams


def test_a_members_name_is_kept_as_pairs_with_the_committees_tokens(hanshan):
    member = MemberFactory(committee=hanshan.committee, name="王养老")
    kept = Member.objects.get(pk=member.pk).search_grams.split()
    assert {"王养", "养老", scope_token(hanshan.committee.pk)} <= set(kept)
