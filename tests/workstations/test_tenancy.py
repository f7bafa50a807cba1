import pytest

from consultations.models import Activity
from tests.factories import ActivityFactory, CommitteeFactory, StaffRoleFactory
from workstations import tenancy
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


# --- A province that is most of the site ------------------------------------------------------


def _where(queryset) -> str:
    sql = str(queryset.query)
    return sql.split(" WHERE ", 1)[1] if " WHERE " in sql else ""


def test_a_province_that_is_the_whole_site_filters_by_no_committee(hanshan):
    province = hanshan.committee.parent.parent
    ActivityFactory(workstation=hanshan.workstation)
    activities = Activity.objects.for_committee(province)
    assert tenancy.subtree_ids(province).outside == []
    assert "committee" not in _where(activities)
    assert activities.filter(workstation=hanshan.workstation).exists()


def test_a_province_beside_a_smaller_one_leaves_out_the_other_ones_committees(hanshan, huimin):
    province = hanshan.committee.parent.parent
    CommitteeFactory.create_batch(2, parent=hanshan.committee.parent)  # 安徽 5, 山东 3
    ids = tenancy.subtree_ids(province)
    assert set(ids.outside) == set(tenancy.subtree_ids(huimin.committee.parent.parent))
    mine = Workstation.objects.for_committee(province)
    assert "NOT" in _where(mine)
    assert hanshan.workstation in mine
    assert huimin.workstation not in mine


def test_a_province_smaller_than_the_rest_of_the_site_names_its_committees(hanshan, huimin):
    province = huimin.committee.parent.parent
    assert not isinstance(tenancy.subtree_ids(province), tenancy.MostCommittees)
    theirs = Workstation.objects.for_committee(province)
    assert "NOT" not in _where(theirs)
    assert huimin.workstation in theirs
    assert hanshan.workstation not in theirs


def test_a_province_staffs_list_leaves_out_the_other_province(hanshan, huimin):
    province = hanshan.committee.parent.parent
    ActivityFactory(workstation=hanshan.workstation)
    ActivityFactory(workstation=huimin.workstation)
    staff = StaffRoleFactory(committee=province).user
    visible = Activity.objects.visible_to(staff)
    assert visible.filter(workstation=hanshan.workstation).exists()
    assert not visible.filter(workstation=huimin.workstation).exists()


def test_a_link_that_may_be_empty_keeps_out_the_rows_without_a_committee(hanshan):
    from outcomes.models import Outcome

    assert tenancy._path_is_required(Activity, "workstation__committee")
    assert not tenancy._path_is_required(Outcome, "workstation__committee")
