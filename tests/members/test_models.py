import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members.models import Membership
from tests.factories import MemberFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def test_a_member_holds_one_open_place_per_workstation(hanshan):
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(member=hanshan.member, workstation=hanshan.workstation)


def test_a_member_may_return_after_an_ended_place(hanshan):
    place = hanshan.member.memberships.get()
    place.until = datetime.date(2025, 6, 30)
    place.save()
    MembershipFactory(member=hanshan.member, workstation=hanshan.workstation)
    assert hanshan.member.memberships.count() == 2


def test_a_membership_cannot_end_before_it_starts(hanshan):
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(
            member=MemberFactory(committee=hanshan.committee),
            workstation=hanshan.workstation,
            since=datetime.date(2025, 1, 1),
            until=datetime.date(2024, 1, 1),
        )


def test_a_member_cannot_sit_in_another_committees_workstation(hanshan, huimin):
    place = Membership(member=hanshan.member, workstation=huimin.workstation)
    with pytest.raises(ValidationError) as excinfo:
        place.full_clean()
    assert "workstation" in excinfo.value.message_dict


def test_id_numbers_are_unique_within_a_committee(hanshan):
    with pytest.raises(IntegrityError), transaction.atomic():
        MemberFactory(committee=hanshan.committee, id_number=hanshan.member.id_number)


def test_many_members_may_have_no_id_number(hanshan):
    MemberFactory(committee=hanshan.committee, id_number="")
    MemberFactory(committee=hanshan.committee, id_number="")
    assert hanshan.committee.members.filter(id_number="").count() >= 2


def test_a_mobile_number_must_have_eleven_digits(hanshan):
    member = MemberFactory.build(committee=hanshan.committee, mobile="12345")
    with pytest.raises(ValidationError) as excinfo:
        member.full_clean()
    assert "mobile" in excinfo.value.message_dict


def test_active_memberships_exclude_ended_ones(hanshan):
    place = hanshan.member.memberships.get()
    place.until = datetime.date(2025, 6, 30)
    place.save()
    assert place not in Membership.objects.active(on=datetime.date(2025, 7, 1))
    assert place in Membership.objects.active(on=datetime.date(2025, 6, 30))


def test_force_login_with_the_first_backend_signs_the_user_in(hanshan, client):
    from django.conf import settings

    client.force_login(hanshan.staff, backend=settings.AUTHENTICATION_BACKENDS[0])
    assert client.get("/admin/").status_code == 200
