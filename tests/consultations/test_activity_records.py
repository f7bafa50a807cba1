"""Many activities at once (``activities_record``): the rules of logging, submitting, returning
and approving one activity, the review trail and the history of every row, in bulk."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from consultations.models import Activity, ActivityReview
from consultations.services.activities import ActivityRecord, activities_record
from tests.factories import ActivityFactory, ActivityTypeFactory, MemberFactory

pytestmark = pytest.mark.django_db

Status = Activity.Status


def record(ns, **kwargs) -> ActivityRecord:
    values = {
        "workstation": ns.workstation,
        "type": ActivityTypeFactory(committee=ns.committee),
        "date": timezone.localdate() - datetime.timedelta(days=3),
        "title": "政策宣讲",
        "description": "委员向居民宣讲医保新政策。",
        "participants": [ns.member, ns.convener],
        "author": ns.convener,
    }
    values.update(kwargs)
    return ActivityRecord(**values)


def test_an_approved_record_has_the_whole_review_trail(hanshan):
    (activity,) = activities_record(
        records=[record(hanshan, status=Status.APPROVED)], by=hanshan.staff, reason="import"
    )
    activity.refresh_from_db()
    assert activity.status == Status.APPROVED
    assert activity.approved_by == hanshan.staff and activity.approved_at is not None
    assert list(activity.reviews.values_list("action", flat=True)) == [
        ActivityReview.Action.SUBMITTED,
        ActivityReview.Action.APPROVED,
    ]


def test_participants_are_written_with_their_history(hanshan):
    (activity,) = activities_record(records=[record(hanshan)], by=hanshan.staff, reason="import")
    assert set(activity.participants.all()) == {hanshan.member, hanshan.convener}
    history = activity.history.get()
    assert (history.history_user, history.history_change_reason) == (hanshan.staff, "import")
    assert {p.member_id for p in history.participants.all()} == {
        hanshan.member.pk,
        hanshan.convener.pk,
    }


def test_a_participant_from_outside_the_workstation_refuses_the_whole_batch(hanshan):
    outsider = MemberFactory(committee=hanshan.committee)
    good, bad = record(hanshan), record(hanshan, participants=[outsider])
    with pytest.raises(ValidationError) as excinfo:
        activities_record(records=[good, bad], by=hanshan.staff)
    assert "record 1" in excinfo.value.message_dict
    assert not Activity.objects.exists()


def test_a_submitted_record_says_what_was_done(hanshan):
    with pytest.raises(ValidationError):
        activities_record(records=[record(hanshan, status=Status.SUBMITTED, description="")])


def test_a_returned_record_needs_the_reviewers_comment(hanshan):
    with pytest.raises(ValidationError):
        activities_record(records=[record(hanshan, status=Status.RETURNED)])
    (activity,) = activities_record(
        records=[record(hanshan, status=Status.RETURNED, returned_comment="请补充照片")]
    )
    assert activity.reviews.last().comment == "请补充照片"


def test_an_approved_activity_never_goes_back(hanshan):
    approved = ActivityFactory(workstation=hanshan.workstation, participants=[hanshan.member])
    with pytest.raises(ValidationError):
        activities_record(
            records=[record(hanshan, activity=approved, type=approved.type, status=Status.DRAFT)]
        )
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED


def test_an_update_replaces_the_participants_and_adds_only_the_new_steps(hanshan):
    draft = ActivityFactory(
        workstation=hanshan.workstation,
        status=Status.DRAFT,
        approved_at=None,
        participants=[hanshan.member],
    )
    activities_record(
        records=[
            record(
                hanshan,
                activity=draft,
                type=draft.type,
                participants=[hanshan.convener],
                status=Status.SUBMITTED,
            )
        ],
        by=hanshan.staff,
    )
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    assert list(draft.participants.all()) == [hanshan.convener]
    assert list(draft.reviews.values_list("action", flat=True)) == ["submitted"]
    assert {p.member_id for p in draft.history.latest().participants.all()} == {hanshan.convener.pk}


def test_a_future_date_is_refused(hanshan):
    future = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError):
        activities_record(records=[record(hanshan, date=future)])


def test_the_queries_do_not_grow_with_the_records(hanshan, django_assert_max_num_queries):
    type_ = ActivityTypeFactory(committee=hanshan.committee)
    records = [record(hanshan, type=type_, status=Status.APPROVED) for _ in range(40)]
    # The rows, their history, participants, reviews, and the summary of the county's month.
    with django_assert_max_num_queries(26):
        activities_record(records=records, by=hanshan.staff)
    assert Activity.objects.count() == 40


def test_media_reports_come_with_their_records(hanshan):
    from consultations.services.activities import MediaLink

    link = MediaLink(url="https://example.org/news/1", title="委员进社区", outlet="含山新闻")
    (activity,) = activities_record(records=[record(hanshan, media_links=[link])])
    assert list(activity.media_reports.values_list("title", "outlet")) == [
        ("委员进社区", "含山新闻")
    ]
