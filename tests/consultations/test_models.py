import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from consultations.models import Activity, PublicMessage
from tests.factories import (
    ActivityFactory,
    ActivityTypeFactory,
    MediaReportFactory,
    PublicMessageFactory,
)

pytestmark = pytest.mark.django_db


def test_an_activity_cannot_be_dated_in_the_future(hanshan):
    activity = ActivityFactory.build(
        workstation=hanshan.workstation,
        type=ActivityTypeFactory(committee=hanshan.committee),
        date=timezone.localdate() + datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as excinfo:
        activity.full_clean()
    assert "date" in excinfo.value.message_dict


def test_the_database_refuses_a_future_activity_however_it_is_written(hanshan):
    activity = ActivityFactory(workstation=hanshan.workstation)
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(date=datetime.date(2099, 1, 1))
    activity.refresh_from_db()
    assert activity.date <= timezone.localdate()


def test_an_activity_dated_today_in_beijing_is_accepted(hanshan):
    activity = ActivityFactory(workstation=hanshan.workstation, date=timezone.localdate())
    activity.full_clean()
    assert Activity.objects.filter(pk=activity.pk, date=timezone.localdate()).exists()


def test_an_activity_cannot_use_another_committees_type(hanshan, huimin):
    activity = ActivityFactory.build(
        workstation=hanshan.workstation, type=ActivityTypeFactory(committee=huimin.committee)
    )
    with pytest.raises(ValidationError) as excinfo:
        activity.full_clean()
    assert "type" in excinfo.value.message_dict


def test_an_approved_activity_records_when(hanshan):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityFactory(workstation=hanshan.workstation, approved_at=None)


def test_published_activities_exclude_drafts_and_unpublished_workstations(hanshan):
    shown = ActivityFactory(workstation=hanshan.workstation)
    ActivityFactory(workstation=hanshan.workstation, status=Activity.Status.RETURNED)
    hanshan.other_workstation.is_published = False
    hanshan.other_workstation.save()
    ActivityFactory(workstation=hanshan.other_workstation)
    assert list(Activity.objects.published()) == [shown]


def test_a_media_report_belongs_to_exactly_one_subject(hanshan):
    with pytest.raises(IntegrityError), transaction.atomic():
        MediaReportFactory(activity=None)


def test_tracking_codes_are_unique_and_readable(hanshan):
    codes = {PublicMessageFactory(workstation=hanshan.workstation).tracking_code for _ in range(20)}
    assert len(codes) == 20
    assert all(len(code) == 10 and not set(code) & set("01IOL") for code in codes)


def test_only_a_closed_message_can_be_rated(hanshan):
    message = PublicMessageFactory(workstation=hanshan.workstation)
    with pytest.raises(IntegrityError), transaction.atomic():
        PublicMessage.objects.filter(pk=message.pk).update(rating=5)


def test_a_rating_is_between_one_and_five(hanshan):
    message = PublicMessageFactory(workstation=hanshan.workstation, status="closed")
    with pytest.raises(IntegrityError), transaction.atomic():
        PublicMessage.objects.filter(pk=message.pk).update(rating=6)
