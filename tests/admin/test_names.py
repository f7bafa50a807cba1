"""People by their name, not their username, wherever a reviewer, an author or an editor
appears in the back office: the member's name, else the account's full name, else the username."""

from __future__ import annotations

import pytest

from consultations.models import Activity, ActivityReview
from members.names import person_name
from outcomes.models import AssessmentAdjustment
from tests.factories import ActivityFactory, UserFactory

from .test_scoping import url

pytestmark = pytest.mark.django_db


def test_a_name_is_the_members_then_the_full_name_then_the_username(hanshan):
    assert person_name(hanshan.convener.user) == "hanshan召集人"
    assert person_name(UserFactory(username="li", first_name="晓明", last_name="李")) == "晓明 李"
    assert person_name(UserFactory(username="nobody_yet")) == "nobody_yet"
    assert person_name(None) == ""


def test_the_activity_page_names_who_approved_and_who_reviewed(hanshan, login):
    convener = hanshan.convener.user
    activity = ActivityFactory(
        workstation=hanshan.workstation,
        author=hanshan.member,
        status=Activity.Status.APPROVED,
        approved_by=convener,
    )
    ActivityReview.objects.create(
        activity=activity, action=ActivityReview.Action.APPROVED, by=convener
    )
    page = login(hanshan.staff).get(url("consultations.activity", "change", activity.pk))
    html = page.content.decode()
    assert html.count("hanshan召集人") >= 2  # approved by, and the review trail
    assert "hanshan_convener" not in html


def test_the_adjustments_list_names_who_made_each(hanshan, login):
    staff = hanshan.staff
    staff.first_name, staff.last_name = "晓明", "李"
    staff.save(update_fields=["first_name", "last_name"])
    AssessmentAdjustment.objects.create(
        workstation=hanshan.workstation, year=2025, points=2, reason="承办现场会", made_by=staff
    )
    html = login(staff).get(url("outcomes.assessmentadjustment", "changelist")).content.decode()
    assert "晓明 李" in html


def test_the_history_names_who_made_the_change(hanshan, login):
    convener = hanshan.convener.user
    convener.is_staff = True
    convener.save(update_fields=["is_staff"])
    workstation = hanshan.workstation
    workstation._history_user = convener
    workstation.address = "环峰镇褒禅路八号"
    workstation.save()
    page = login(hanshan.staff).get(url("workstations.workstation", "history", workstation.pk))
    html = page.content.decode()
    assert "hanshan召集人" in html
    assert "hanshan_convener" not in html
