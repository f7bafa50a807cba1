import pytest

from workstations.models import Committee, Workstation

pytestmark = pytest.mark.django_db


def test_city_staff_sees_the_counties_below(hanshan, city_staff):
    visible = Committee.objects.visible_to(city_staff)
    assert hanshan.committee in visible
    assert hanshan.committee.parent in visible
    assert hanshan.committee.parent.parent not in visible


def test_county_staff_sees_no_other_county(hanshan, huimin):
    assert huimin.committee not in Committee.objects.visible_to(hanshan.staff)
    assert not Workstation.objects.visible_to(hanshan.staff).filter(committee=huimin.committee)


def test_province_subtree_reaches_counties(hanshan):
    province = hanshan.committee.parent.parent
    assert hanshan.workstation in Workstation.objects.for_committee(province)


def test_a_member_without_staff_role_sees_nothing(hanshan):
    assert not Workstation.objects.visible_to(hanshan.member.user).exists()
